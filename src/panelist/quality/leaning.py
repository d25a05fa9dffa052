"""Which call a quote argues, as a learned reading: a logistic regression over the quote's
words and word pairs. A word after "no", "not", "n't" reads as negated for three words; names
(a capitalized word that is not a function word), figures and the words "ship" and "skip" read
as placeholders, so that the reading learns how reviewers argue, not which products the
labelled takes were about (the calls themselves are ``calls``'s to read).

The rules of ``stance`` read the calls a quote makes and its words for and against; a reviewer
who argues a side in words of their own ("the invoice tracks actual use", "more ceremony than a
seeded faker") slips past them. The weights (``data/leaning.json``) are fitted by
``training/train_leaning.py`` on editor-labelled takes (``training/leaning_takes.jsonl``: good
takes argue their verdict, contradicted ones the other call), none of them from the sets the
gate is measured on. Reading a quote is a dictionary lookup per word: no model call, no
network, the same answer every time.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise

from panelist.quality.words import FUNCTION_WORDS

WEIGHTS_FILE = "leaning.json"
NEGATED_SPAN = 3  # words after a negation that read as negated
MAX_WORDS = 600  # a quote is under 200 words; the leaning of a longer text is its opening's

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


def features(text: str) -> set[str]:
    """The words and adjacent word pairs of ``text``, lowercased, negated words marked."""
    tokens: list[str] = []
    negated = 0
    for index, raw in enumerate(_TOKEN.findall(text)[:MAX_WORDS]):
        token = _token(raw, first=index == 0)
        if token in _NEGATIONS or token.endswith("n't"):
            negated = NEGATED_SPAN
            tokens.append(token)
            continue
        tokens.append("NOT_" + token if negated > 0 else token)
        negated -= 1
    return set(tokens) | {f"{a} {b}" for a, b in pairwise(tokens)}


@dataclass(frozen=True)
class Leaning:
    bias: float
    weights: dict[str, float]
    threshold: float  # the other call this likely, and no call of the quote's own: contradiction

    def ship_probability(self, text: str) -> float:
        score = self.bias + sum(self.weights.get(feature, 0.0) for feature in features(text))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


@cache
def leaning() -> Leaning:
    data = json.loads((resources.files("panelist") / "data" / WEIGHTS_FILE)
                      .read_text(encoding="utf-8"))
    return Leaning(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()},
                   float(data["threshold"]))
