"""Learned readings: logistic regressions over a quote's words and word pairs, for what the
rules read poorly because a reviewer says it in words of their own.

- ``leaning``: how likely the quote argues ship rather than skip ("the invoice tracks actual
  use", "more ceremony than a seeded faker"); ``stance`` hears it last, and only where the
  quote makes no call of its own;
- ``filler``: how likely the quote is filler, praise and category words that a reader could
  not check ("makes vector search feel approachable", "an interesting entry into a crowded
  market"); ``substance`` hears it where the rules found details.

A word after "no", "not", "n't" reads as negated for three words; names (a capitalized word
that is not a function word), figures and the words "ship" and "skip" read as placeholders,
so a reading learns how reviewers write, not which products the labelled takes were about.
The weights (``data/<reading>.json``) are fitted by ``training/train_readings.py`` on
editor-labelled takes (``training/<reading>_takes.jsonl``), none of them from the sets the gate
is measured on. Reading a quote is a dictionary lookup per word: no model call, no network, the
same answer every time.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise, repeat
from typing import Literal

from panelist.quality.words import FUNCTION_WORDS

Name = Literal["leaning", "filler"]
NEGATED_SPAN = 3  # words after a negation that read as negated
MAX_WORDS = 600  # a quote is under 200 words; the reading of a longer text is its opening's

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)?")
_NEGATIONS = frozenset({"not", "no", "never", "nothing", "none", "without", "cannot"})
_CALL_WORDS = frozenset({"ship", "ships", "shipping", "shipped", "skip", "skips", "skipping",
                         "skipped"})


def _token(raw: str, first: bool) -> str:
    token = raw.lower().replace("\u2019", "'")
    if any(char.isdigit() for char in token):
        return "#"
    if not first and raw[0].isupper() and token not in FUNCTION_WORDS:
        return "NAME"
    return "CALL" if token in _CALL_WORDS else token


@lru_cache(maxsize=1 << 16)  # a catalogue's takes say the same words again
def _later(raw: str) -> tuple[str, bool]:
    """``_token`` of a word after the first, and whether it negates what follows."""
    token = _token(raw, first=False)
    return token, token in _NEGATIONS or token.endswith("n't")


@lru_cache(maxsize=64)
def features(text: str) -> frozenset[str]:
    """The words and adjacent word pairs of ``text``, lowercased, negated words marked (read
    once per text: both readings ask)."""
    tokens: list[str] = []
    negated = 0
    for index, raw in enumerate(_TOKEN.findall(text)[:MAX_WORDS]):
        if index:
            token, negation = _later(raw)
        else:
            token = _token(raw, first=True)
            negation = token in _NEGATIONS or token.endswith("n't")
        if negation:
            negated = NEGATED_SPAN
            tokens.append(token)
            continue
        tokens.append("NOT_" + token if negated > 0 else token)
        negated -= 1
    return frozenset(tokens) | {f"{a} {b}" for a, b in pairwise(tokens)}


SCORES_KEPT = 64  # texts whose score a reading keeps (a take's checks ask more than once)


@dataclass(frozen=True)
class Reading:
    bias: float
    weights: dict[str, float]
    threshold: float  # a probability above this is a finding
    # the probabilities of the texts read last, as ``features`` keeps their features
    _read: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def probability(self, text: str) -> float:
        found = self._read.get(text)
        if found is None:
            score = self.bias + sum(map(self.weights.get, features(text), repeat(0.0)))
            found = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
            if len(self._read) >= SCORES_KEPT:
                self._read.clear()
            self._read[text] = found
        return found


@cache
def reading(name: Name) -> Reading:
    data = json.loads((resources.files("panelist") / "data" / f"{name}.json")
                      .read_text(encoding="utf-8"))
    return Reading(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()},
                   float(data["threshold"]))
