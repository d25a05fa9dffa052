"""A take whose facts are another catalogue product's is about that product, not this one."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from helpers import invoke
from panel_helpers import HAIKU, QVAC, draft_panel, edit_draft
from panelist.quality import CatalogueFacts, GateContext, assess_take
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

GREENLIGHT_TEXT = ("Greenlight\nA CI agent that fixes failing builds.\nPaid\n"
                   "Greenlight reads a failing build and opens a pull request with a fix. "
                   "Team is $29 per seat a month with 200 fix attempts, then $0.40 each.")
TIDEMARK_TEXT = ("Tidemark\nA runtime for microcontrollers.\nOpen source\n"
                 "Tidemark is a 180 KB C99 static library with no dynamic allocation. "
                 "`tidemark convert` turns an ONNX model into INT8 and reports peak RAM for "
                 "Cortex-M7, ESP32-S3 and Raspberry Pi targets.")
CATALOGUE = [("Greenlight", GREENLIGHT_TEXT), ("Tidemark", TIDEMARK_TEXT)]


def greenlight(catalogue: CatalogueFacts | None) -> GateContext:
    return GateContext("Greenlight", GREENLIGHT_TEXT, ("Tidemark",), catalogue=catalogue)


def wrong_product(quote: str, context: GateContext) -> list[str]:
    findings = assess_take(quote, ["Small footprint"], "ship", context).flags
    return [finding for finding in findings if finding.startswith("wrong-product")]


BORROWED = ("Greenlight is a 180 KB C99 static library with no dynamic allocation, and it turns "
            "an ONNX model into INT8 with a peak-RAM report for Cortex-M7 and ESP32-S3 boards. "
            "Firmware teams should take it today.")


def test_a_take_in_this_products_name_with_another_products_facts_is_about_that_one():
    found = wrong_product(BORROWED, greenlight(CatalogueFacts(lambda: CATALOGUE)))

    assert len(found) == 1 and "of Tidemark's description" in found[0], found
    assert "Greenlight's never gives" in found[0]


def test_the_same_take_under_its_own_product_passes():
    tidemark = GateContext("Tidemark", TIDEMARK_TEXT, ("Greenlight",),
                           catalogue=CatalogueFacts(lambda: CATALOGUE))
    assert wrong_product(BORROWED.replace("Greenlight", "Tidemark"), tidemark) == []


@pytest.mark.parametrize("quote", [
    "Greenlight fixes failing builds at $29 per seat and opens small pull requests; unlike "
    "Tidemark's 180 KB C99 library for Cortex-M7 and ESP32-S3 boards, it needs no firmware "
    "team, and 200 fix attempts a month cover most of ours.",
    "Greenlight reads a failing build and opens a pull request with the fix, $29 per seat.",
], ids=["this-products-facts-beside-a-rivals", "this-products-facts-only"])
def test_a_take_with_its_own_products_facts_is_not_about_another(quote):
    assert wrong_product(quote, greenlight(CatalogueFacts(lambda: CATALOGUE))) == []


def test_the_catalogue_is_read_only_when_a_take_asks():
    reads: list[int] = []

    def load() -> list[tuple[str, str]]:
        reads.append(1)
        return CATALOGUE

    context = greenlight(CatalogueFacts(load))
    wrong_product("Greenlight reads a failing build and opens a pull request with a fix at "
                  "$29 per seat, 200 fix attempts a month.", context)
    assert reads == []  # this product's facts: nothing to look up
    wrong_product(BORROWED, context)
    wrong_product(BORROWED, context)
    assert reads == [1]  # read once, then kept


def test_without_a_catalogue_the_take_is_judged_by_its_names_alone():
    assert wrong_product(BORROWED, greenlight(None)) == []


def test_status_flags_an_edited_take_that_carries_another_products_facts(
        runner: CliRunner, workspace: Workspace) -> None:
    draft_panel(workspace, HAIKU)
    draft_panel(workspace, QVAC)
    draft = DraftStore(workspace).read(HAIKU, "dx")
    assert draft is not None
    edit_draft(draft, quote=(
        "Claude Haiku's inference layer is a customized fork of llama.cpp, and after a model is "
        "cached "
        "the SDK needs no network: Holepunch shares models peer-to-peer across Linux, macOS, "
        "Android and iOS, and the maker's $27B in stablecoin reserves backs the grants."))

    result = invoke(runner, workspace, "status", HAIKU, "--json")

    assert result.exit_code == 0, result.output
    dx = next(row for row in json.loads(result.stdout) if row["persona"] == "dx")
    assert any(finding.startswith("wrong-product") and "Tether QVAC SDK" in finding
               for finding in dx["quality_findings"]), dx
