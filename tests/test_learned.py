"""The gate's learned readings: fitted on labelled takes, kept in step with them, and heard only
where the rules leave the question open."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import pytest

from panelist.quality import GateContext, assess_take
from panelist.quality.learned import features, reading
from panelist.quality.stance import argues_other
from panelist.quality.words import Text

TRAINING = Path(__file__).parent.parent / "training"
NO_PRODUCT = GateContext("", "", prompt="")
LIMITS = ("Notion and Obsidian already do this. The desktop app is macOS only. Sync needs the $12 "
          "plan. Search covers titles, not attachments. Offline mode is read-only. Imports stop "
          "at 2,000 pages.")
VECTORLOOM = GateContext("Vectorloom", "Vectorloom\nServerless vector search.\nFreemium\n"
                         "Vectorloom is a serverless vector database: indexes scale to zero, "
                         "storage sits in object storage, queries cost $0.10 per million, and "
                         "metadata filters, hybrid BM25 search and a Python client are included.")


@pytest.mark.parametrize("name", ["leaning", "filler"])
def test_the_shipped_weights_were_fitted_on_the_takes_in_the_repository(name):
    data = json.loads((resources.files("panelist") / "data" / f"{name}.json")
                      .read_text(encoding="utf-8"))
    takes = TRAINING / f"{name}_takes.jsonl"
    assert data["takes_sha256"] == hashlib.sha256(takes.read_bytes()).hexdigest(), (
        f"training/{name}_takes.jsonl changed: run training/train_readings.py {name}")
    assert data["takes"] == len(takes.read_text(encoding="utf-8").splitlines())


def test_the_takes_are_labelled_and_each_is_there_once():
    leaning = [json.loads(line) for line in
               (TRAINING / "leaning_takes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {take["argues"] for take in leaning} == {"ship", "skip"}
    assert all(take["verdict"] in ("ship", "skip") and take["quote"] for take in leaning)
    filler = [json.loads(line) for line in
              (TRAINING / "filler_takes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {take["filler"] for take in filler} == {True, False}
    for takes in (leaning, filler):
        assert len({take["id"] for take in takes}) == len(takes)


def test_names_figures_and_the_calls_read_as_placeholders():
    found = features("It costs $12 a month on Otter. I would not ship Zapier's 2,000 pages")
    assert {"NAME", "#", "NOT_CALL", "NOT_NAME"} <= found
    assert not {"otter", "zapier's", "12", "ship"} & found
    assert "not" in found and "NOT_would" not in found


def test_a_ship_over_a_bare_list_of_limits_argues_skip():
    flags = assess_take(LIMITS, (), "ship", NO_PRODUCT).flags
    assert flags and flags[0].startswith("contradiction: the verdict is ship but the quote "
                                         "argues skip (the gate's learned reading")
    assert assess_take(LIMITS, (), "skip", NO_PRODUCT).passed


def test_a_quote_that_makes_its_own_call_is_not_second_guessed():
    own_call = LIMITS + " I'd still ship it for a team that lives in Markdown."
    assert argues_other(Text(own_call), "ship", reading("leaning")) == 0.0
    assert assess_take(own_call, (), "ship", NO_PRODUCT).passed


def test_a_reading_is_a_probability_and_the_same_every_time():
    leaning = reading("leaning")
    first = leaning.probability(LIMITS)
    assert 0.0 < first < 0.2
    assert leaning.probability(LIMITS) == first
    assert leaning.probability("") == leaning.probability("   ")


def test_praise_and_category_words_read_as_filler_though_the_product_is_named():
    quote = ("Vectorloom brings serverless vector search to everyone in a way that feels fresh. "
             "Teams everywhere will appreciate how easy it is to get started, and it fits "
             "naturally into modern workflows.")
    flags = assess_take(quote, ["Serverless vector search"], "ship", VECTORLOOM).flags
    assert any(flag.startswith("filler") and "learned reading" in flag for flag in flags), flags
    honest = ("Vectorloom scales indexes to zero and keeps storage in object storage, so an idle "
              "side project costs nothing; queries at $0.10 per million and hybrid BM25 search "
              "cover what I would build first with the Python client.")
    assert assess_take(honest, ["Scales to zero"], "ship", VECTORLOOM).passed


def test_reasons_that_read_as_filler_are_filler_in_the_reasons():
    honest = ("Vectorloom scales indexes to zero and keeps storage in object storage, so an idle "
              "side project costs nothing; queries at $0.10 per million and hybrid BM25 search "
              "cover what I would build first with the Python client.")
    praise = ["Brings vector search to everyone in a way that feels fresh",
              "Teams everywhere will appreciate how easy it is to get started"]
    flags = assess_take(honest, praise, "ship", VECTORLOOM).flags
    assert any(flag.startswith("filler: in the reasons") for flag in flags), flags
