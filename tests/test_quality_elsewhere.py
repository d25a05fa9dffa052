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
    found = wrong_product(BORROWED, greenlight(CatalogueFacts.of_texts(lambda: CATALOGUE)))

    assert len(found) == 1 and "of Tidemark's description" in found[0], found
    assert "Greenlight's never gives" in found[0]


def test_the_same_take_under_its_own_product_passes():
    tidemark = GateContext("Tidemark", TIDEMARK_TEXT, ("Greenlight",),
                           catalogue=CatalogueFacts.of_texts(lambda: CATALOGUE))
    assert wrong_product(BORROWED.replace("Greenlight", "Tidemark"), tidemark) == []


@pytest.mark.parametrize("quote", [
    "Greenlight fixes failing builds at $29 per seat and opens small pull requests; unlike "
    "Tidemark's 180 KB C99 library for Cortex-M7 and ESP32-S3 boards, it needs no firmware "
    "team, and 200 fix attempts a month cover most of ours.",
    "Greenlight reads a failing build and opens a pull request with the fix, $29 per seat.",
], ids=["this-products-facts-beside-a-rivals", "this-products-facts-only"])
def test_a_take_with_its_own_products_facts_is_not_about_another(quote):
    assert wrong_product(quote, greenlight(CatalogueFacts.of_texts(lambda: CATALOGUE))) == []


def test_the_catalogue_is_read_only_when_a_take_asks():
    reads: list[int] = []

    def load() -> list[tuple[str, str]]:
        reads.append(1)
        return CATALOGUE

    context = greenlight(CatalogueFacts.of_texts(load))
    wrong_product("Greenlight reads a failing build and opens a pull request with a fix at "
                  "$29 per seat, 200 fix attempts a month.", context)
    assert reads == []  # this product's facts: nothing to look up
    wrong_product(BORROWED, context)
    wrong_product(BORROWED, context)
    assert reads == [1]  # read once, then kept


def test_a_take_with_two_rivals_facts_alike_names_the_same_one_whatever_the_catalogues_order():
    """A cold read's workers list the catalogue by file name, a read in one process as the
    index lists it: a tie between two rivals is broken by name, not by that order."""
    twins = [("Greenlight", GREENLIGHT_TEXT), ("Tidemark", TIDEMARK_TEXT),
             ("Coralmark", TIDEMARK_TEXT.replace("Tidemark", "Coralmark"))]
    named = set()
    for catalogue in (twins, twins[::-1]):
        context = GateContext("Greenlight", GREENLIGHT_TEXT, ("Tidemark", "Coralmark"),
                              catalogue=CatalogueFacts.of_texts(lambda c=catalogue: c))
        found = wrong_product(BORROWED, context)
        assert len(found) == 1, found
        named.add(found[0])
    assert len(named) == 1 and "of Coralmark's description" in named.pop()


LEASEWISE_TEXT = ("LeaseWise\nTenant screening from documents.\nPaid\n"
                  "For landlords screening a tenant: LeaseWise checks an applicant's income from "
                  "uploaded pay stubs and bank "
                  "statements with a forgery model. Reports arrive as a PDF within 24 hours, at "
                  "$25 per report. It runs no criminal background check.")
TENANTLENS_TEXT = ("TenantLens\nTenant screening reports.\nPaid\n"
                   "For landlords screening a tenant: each TenantLens report bundles a "
                   "TransUnion credit file, eviction records "
                   "from 38 states and a national criminal search. A report is $39, charged to "
                   "the applicant, with volume pricing above 200 units and automatic FCRA "
                   "notices.")
SHELF = [("LeaseWise", LEASEWISE_TEXT), ("TenantLens", TENANTLENS_TEXT)]


def leasewise() -> GateContext:
    return GateContext("LeaseWise", LEASEWISE_TEXT, ("TenantLens",),
                       catalogue=CatalogueFacts.of_texts(lambda: SHELF))


def test_a_take_naming_neither_product_with_a_rivals_facts_is_about_the_rival():
    """The take gives LeaseWise's words the two share ("landlord", "tenant", "applicant"),
    none that only LeaseWise's description gives, and TenantLens's own."""
    quote = ("The buyer is a landlord screening a tenant, and each $39 report can be charged "
             "to the applicant. It bundles a TransUnion credit file, eviction records from 38 "
             "states and a national criminal search, with volume pricing above 200 units. "
             "I'd sign.")
    found = wrong_product(quote, leasewise())
    assert len(found) == 1 and "of TenantLens's description" in found[0], found


INTO_THE_RIVAL = ("Landlords drop an applicant into TenantLens and get a $39 report, charged to "
                  "the applicant, that bundles a TransUnion credit file and eviction records "
                  "from 38 states. Pay stubs ride along. I'd sign.")


def test_a_take_that_gives_a_named_rivals_figures_and_names_and_never_this_ones_is_about_it():
    """TenantLens is named once, as a place, not a subject; LeaseWise never. What the take
    gives is TenantLens's: $39, TransUnion, 38 states, beside LeaseWise's pay stubs."""
    found = wrong_product(INTO_THE_RIVAL, leasewise())
    assert len(found) == 1 and "of TenantLens's description" in found[0], found


def test_the_same_take_naming_this_product_is_judged_by_it():
    assert wrong_product(INTO_THE_RIVAL.replace("into TenantLens", "into LeaseWise"),
                         leasewise()) == []


@pytest.mark.parametrize("quote", [
    "LeaseWise reads uploaded pay stubs and bank statements with a forgery model and returns a "
    "PDF within 24 hours at $25 a report, where TenantLens charges $39 for a TransUnion credit "
    "file and eviction records from 38 states. I'd ship it for income checks.",
    "The forgery model reads uploaded pay stubs and bank statements, and the PDF arrives within "
    "24 hours at $25 per report. No criminal check, so pair it with one. Ship.",
], ids=["the-rival-named-beside-this-products-facts", "this-products-facts-unnamed"])
def test_a_take_on_the_same_shelf_with_its_own_facts_is_about_this_product(quote):
    assert wrong_product(quote, leasewise()) == []


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


def test_reasons_that_give_a_rivals_facts_are_about_the_rival():
    """The reasons name one of this product's facts (the applicant), so they are not wholly
    another product's; what else they give is TenantLens's."""
    quote = ("The forgery model reads uploaded pay stubs and bank statements, and the PDF "
             "arrives within 24 hours at $25 per report. No criminal check, so pair it with "
             "one. Ship.")
    reasons = ["The applicant pays for the TransUnion credit file",
               "Eviction records and FCRA notices", "Volume pricing for big portfolios"]
    findings = assess_take(quote, reasons, "ship", leasewise()).flags
    assert any(f.startswith("wrong-product: in the reasons") and "TenantLens's description" in f
               for f in findings), findings
    assert assess_take(quote, ["Forgery model on pay stubs", "PDF within 24 hours"], "ship",
                       leasewise()).flags == []


def test_reasons_about_another_catalogue_product_the_quote_never_names_are_about_it():
    quote = ("The forgery model reads uploaded pay stubs and bank statements, and the PDF "
             "arrives within 24 hours at $25 per report. Ship.")
    about = assess_take(quote, ["TenantLens's criminal search makes it easy", "PDF in 24 hours"],
                        "ship", leasewise()).flags
    assert any(f.startswith("wrong-product: in the reasons, they are about TenantLens")
               for f in about), about
    compared = assess_take(quote + " TenantLens charges more.",
                           ["TenantLens's criminal search makes it easy"], "ship",
                           leasewise()).flags
    assert not any("they are about TenantLens" in f for f in compared), compared
