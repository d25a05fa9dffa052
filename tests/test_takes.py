"""Reading a take out of a model's answer, strict or buried in prose."""

from __future__ import annotations

import json

import pytest

from panelist.run.takes import TakeProblem, extract_json, parse_take

QUOTE = " ".join(["word"] * 60)
TAKE = {"verdict": "ship", "quote": QUOTE, "reasons": ["one", "two"]}


@pytest.mark.parametrize("text", [
    json.dumps(TAKE),
    "Here you go:\n```json\n" + json.dumps(TAKE) + "\n```\nThanks!",
    "My take is " + json.dumps(TAKE) + " and that is final.",
], ids=["plain", "fenced", "inline-prose"])
def test_take_json_is_found_in_any_wrapping(text):
    assert extract_json(text)["verdict"] == "ship"


def test_a_valid_take_parses(workspace):
    take = parse_take(json.dumps({**TAKE, "verdict": "SKIP"}), workspace.load_personas()["dx"])

    assert take.verdict == "skip"


@pytest.mark.parametrize(("answer", "stop_reason", "expected"), [
    ("", None, "empty"),
    ("no json here", None, "did not contain a JSON object"),
    (json.dumps({**TAKE, "verdict": "maybe"}), None, "verdict"),
    (json.dumps({**TAKE, "reasons": ["only one"]}), None, "reasons"),
    (json.dumps({**TAKE, "quote": "too short"}), None, "needs 50-140 words"),
    ('{"verdict": "ship", "quote": "cut', "max_tokens", "cut off"),
], ids=["empty", "prose", "bad-verdict", "one-reason", "short-quote", "truncated"])
def test_unusable_answers_say_what_to_fix(workspace, answer, stop_reason, expected):
    with pytest.raises(TakeProblem, match=expected):
        parse_take(answer, workspace.load_personas()["dx"], stop_reason=stop_reason)
