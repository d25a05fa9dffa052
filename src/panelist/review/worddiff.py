"""Word-level differences between two quotes, and the edit ratio an approval records.

Words are whitespace-separated tokens, so re-wrapping a paragraph is not an edit but changing
a comma is (the word it sticks to changed).
"""

from __future__ import annotations

import difflib
from typing import Literal

from pydantic import BaseModel, ConfigDict

SegmentKind = Literal["same", "added", "removed"]


class Segment(BaseModel):
    """A run of words that both quotes share, or that only the newer or older one has."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    kind: SegmentKind
    text: str


Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


def _opcodes(old: str, new: str) -> tuple[list[str], list[str], list[Opcode]]:
    old_words, new_words = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    return old_words, new_words, matcher.get_opcodes()


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments that turn ``old`` into ``new``; a replacement is a removal then an addition."""
    old_words, new_words, opcodes = _opcodes(old, new)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            segments.append(Segment(kind="same", text=" ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment(kind="removed", text=" ".join(old_words[i1:i2])))
        if j2 > j1:
            segments.append(Segment(kind="added", text=" ".join(new_words[j1:j2])))
    return segments


def edit_ratio(generated: str, edited: str) -> float:
    """Share of words changed, from 0.0 (untouched) to 1.0 (rewritten).

    Each changed stretch counts its longer side, over the longer of the two quotes, so adding
    a sentence and cutting one weigh the same and the ratio never exceeds 1.
    """
    old_words, new_words, opcodes = _opcodes(generated, edited)
    longest = max(len(old_words), len(new_words))
    if longest == 0:
        return 0.0
    changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")
    return round(min(changed, longest) / longest, 4)
