"""The gate's learned reading of which call a quote argues: fitted on labelled takes, kept in
step with them, and heard only where the quote makes no call of its own."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from panelist.quality import GateContext, assess_take
from panelist.quality.leaning import features, leaning
from panelist.quality.stance import argues_other
from panelist.quality.words import Text

TAKES = Path(__file__).parent.parent / "training" / "leaning_takes.jsonl"
NO_PRODUCT = GateContext("", "", prompt="")
LIMITS = ("Notion and Obsidian already do this. The desktop app is macOS only. Sync needs the $12 "
          "plan. Search covers titles, not attachments. Offline mode is read-only. Imports stop "
          "at 2,000 pages.")


def weights_file() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(
        (resources.files("panelist") / "data" / "leaning.json").read_text(encoding="utf-8"))
    return loaded


def test_the_shipped_weights_were_fitted_on_the_takes_in_the_repository() -> None:
    data = weights_file()
    assert data["takes_sha256"] == hashlib.sha256(TAKES.read_bytes()).hexdigest(), (
        "training/leaning_takes.jsonl changed: run training/train_leaning.py")
    assert data["takes"] == len(TAKES.read_text(encoding="utf-8").splitlines())


def test_the_takes_argue_their_verdict_or_are_labelled_contradictions() -> None:
    takes = [json.loads(line) for line in TAKES.read_text(encoding="utf-8").splitlines()]
    assert {take["argues"] for take in takes} == {"ship", "skip"}
    assert all(take["verdict"] in ("ship", "skip") and take["quote"] for take in takes)
    assert len({take["id"] for take in takes}) == len(takes)


def test_names_figures_and_the_calls_read_as_placeholders() -> None:
    found = features("It costs $12 a month on Otter. I would not ship Zapier's 2,000 pages")
    assert {"NAME", "#", "NOT_CALL", "NOT_NAME"} <= found
    assert not {"otter", "zapier's", "12", "ship"} & found
    assert "not" in found and "NOT_would" not in found


def test_a_ship_over_a_bare_list_of_limits_argues_skip() -> None:
    flags = assess_take(LIMITS, (), "ship", NO_PRODUCT).flags
    assert flags and flags[0].startswith("contradiction: the verdict is ship but the quote "
                                         "argues skip (the gate's learned reading")
    assert assess_take(LIMITS, (), "skip", NO_PRODUCT).passed


def test_a_quote_that_makes_its_own_call_is_not_second_guessed() -> None:
    own_call = LIMITS + " I'd still ship it for a team that lives in Markdown."
    assert argues_other(Text(own_call), "ship", leaning()) == 0.0
    assert assess_take(own_call, (), "ship", NO_PRODUCT).passed


def test_the_reading_is_a_probability_and_the_same_every_time() -> None:
    reading = leaning()
    first = reading.ship_probability(LIMITS)
    assert 0.0 < first < 0.2
    assert reading.ship_probability(LIMITS) == first
    assert reading.ship_probability("") == reading.ship_probability("   ")
