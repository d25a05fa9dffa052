"""A long pattern of many alternatives tried only where one of them can start.

``re`` tries every alternative of a pattern at every place of a text: for the call patterns
("I'd skip", "should not use", "steer clear" ... some sixty alternatives) that is most of what
reading a quote's calls costs. Every match of such a pattern opens on a word the pattern spells
out ("skip", "should", "steer"), or at the text's start; so the places where one of those opens
are found first (a plain search for each word, in C) and the pattern is tried there alone. A
match found this way is the one ``finditer`` finds: the leftmost match at or after a place is
at one of those places, and ``match`` at a place reads the text before it (a lookbehind, ``\\b``)
as ``finditer`` does.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

AT_START = "^"  # the text's start: a place for an alternative opening on ``^``
LONGEST = 4  # letters of an opening read: enough to pass over most places
MOST_CHARS = 4  # a character class of more than this many ends an opening


class Starts:
    """A pattern with the openings its matches begin on: ``finditer`` is ``re``'s."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        openings = openings_of(pattern)
        if openings is None:
            raise ValueError(f"a match of {pattern.pattern[:60]!r} may open on anything")
        self.pattern = pattern
        self.at_start = AT_START in openings
        self.words = tuple(sorted(openings - {AT_START}))

    def finditer(self, text: str, held: list[int] | None = None) -> list[re.Match[str]]:
        """``list(self.pattern.finditer(text))``. ``held``: where its openings are in ``text``
        (``Openings.held``), when they were looked for already."""
        found: list[re.Match[str]] = []
        end = 0
        for place in self._places(text) if held is None else self._held(held):
            if place < end:
                continue
            match = self.pattern.match(text, place)
            if match is not None:
                if match.end() == place:  # an empty match: finditer goes on differently
                    return list(self.pattern.finditer(text))
                found.append(match)
                end = match.end()
        return found

    def search(self, text: str) -> re.Match[str] | None:
        """``self.pattern.search(text)``: the match at the first place one is at."""
        for place in self._places(text):
            match = self.pattern.match(text, place)
            if match is not None:
                return match
        return None

    def _held(self, held: list[int]) -> list[int]:
        places = set(held)
        if self.at_start:
            places.add(0)
        return sorted(places)

    def _places(self, text: str) -> list[int]:
        """Where one of the openings is, in order."""
        places = {0} if self.at_start else set()
        for word in self.words:
            place = text.find(word)
            while place >= 0:
                places.add(place)
                place = text.find(word, place + 1)
        return sorted(places)


SHARED = 3  # characters of an opening several share ("i  a", "i  b"...): looked for once


class Openings:
    """The openings of several patterns (``Starts``), looked for once per text for them all:
    an opening two patterns share is looked for once, and openings that share their first
    ``SHARED`` characters by those ("i  " for nineteen), each then read at its places."""

    def __init__(self, starts: list[Starts]) -> None:
        groups: dict[str, dict[str, tuple[Starts, ...]]] = {}
        for word in sorted({word for one in starts for word in one.words}):
            groups.setdefault(word[:SHARED], {})[word] = tuple(
                one for one in starts if word in one.words)
        # a word alone is looked for whole; ASCII text holds no opening that is not ASCII
        self.starts = starts
        self.groups = [(next(iter(words)) if len(words) == 1 else prefix, tuple(words.items()))
                       for prefix, words in groups.items()]
        self.ascii_groups = [(key, words) for key, words in self.groups if key.isascii()]

    def held(self, text: str) -> dict[Starts, list[int]]:
        """Where each pattern's openings are in ``text`` (in no order, some twice)."""
        found: dict[Starts, list[int]] = {one: [] for one in self.starts}
        for key, words in self.ascii_groups if text.isascii() else self.groups:
            place = text.find(key)
            while place >= 0:
                for word, starts in words:
                    if text.startswith(word, place):
                        for one in starts:
                            found[one].append(place)
                place = text.find(key, place + 1)
        return found


def openings_of(pattern: re.Pattern[str]) -> set[str] | None:
    """The strings every match of ``pattern`` opens on (``AT_START``: at the text's start), or
    None where one may open on anything. A case-insensitive pattern has none: its letters
    open on either case."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if (pattern.flags | parsed.state.flags) & re.IGNORECASE:
        return None
    return _walk([(list(parsed), 0)], "")


Frames = list[tuple[list[Any], int]]  # the items left to read: innermost first


def _walk(frames: Frames, prefix: str) -> set[str] | None:
    """The openings of what ``frames`` spell, after ``prefix``."""
    while frames and frames[0][1] >= len(frames[0][0]):
        frames = frames[1:]
    if not frames or len(prefix) >= LONGEST:
        return _ended(prefix)
    (items, at), rest = frames[0], frames[1:]
    op, value = items[at]
    after = [(items, at + 1), *rest]
    if op is sre.LITERAL:
        return _walk(after, prefix + chr(value))
    if op is sre.AT:
        if value in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
            return {AT_START} if not prefix else _ended(prefix)
        return _walk(after, prefix)  # \b and the like: zero-width
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return _walk(after, prefix)  # a lookaround narrows where a match is, never widens
    if op is sre.SUBPATTERN:
        if value[1] & re.IGNORECASE:  # "(?i:...)": its letters open on either case
            return _ended(prefix)
        return _walk([(list(value[-1]), 0), *after], prefix)
    if op is sre.BRANCH:
        return _union(_walk([(list(branch), 0), *after], prefix) for branch in value[1])
    if op is sre.IN:
        letters = _letters(value)
        if letters is None:
            return _ended(prefix)
        return _union(_walk(after, prefix + letter) for letter in letters)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        least, _, body = value
        once = _walk([(list(body), 0)], prefix)  # one turn, then whatever follows: cut here
        return once if least else _union([once, _walk(after, prefix)])
    return _ended(prefix)


def _ended(prefix: str) -> set[str] | None:
    return {prefix} if prefix else None


def _union(parts: Any) -> set[str] | None:
    found: set[str] = set()
    for part in parts:
        if part is None:
            return None
        found |= part
    return found


def _letters(value: list[tuple[Any, Any]]) -> list[str] | None:
    """The few characters a class takes, or None (a range, a category, a negation, many)."""
    if len(value) > MOST_CHARS or any(op is not sre.LITERAL for op, _ in value):
        return None
    return [chr(code) for _, code in value]
