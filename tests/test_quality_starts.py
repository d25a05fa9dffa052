"""A pattern of many alternatives is tried only where one of them opens, and finds what
``finditer`` finds."""

from __future__ import annotations

import re

import pytest

from panelist.quality import calls
from panelist.quality.starts import AT_START, Starts, openings_of


def _spans(found: list[re.Match[str]]) -> list[tuple[tuple[int, int], str]]:
    return [(match.span(), match.group(0)) for match in found]


def test_the_openings_are_the_words_each_alternative_spells_first():
    assert openings_of(re.compile(r"\b(?:skip it|steer clear)\b|\bno-go")) == {
        "skip", "stee", "no-g"}


def test_a_lookbehind_or_a_word_boundary_opens_nothing():
    assert openings_of(re.compile(r"(?<=\bthe )skip is\b|\bpass")) == {"skip", "pass"}


def test_a_few_characters_of_a_class_each_open_and_the_text_start_is_an_opening():
    assert openings_of(re.compile(r"(?:^|[.!?]\s+)no\b")) == {AT_START, ".", "!", "?"}


def test_an_optional_part_opens_with_what_follows_it():
    assert openings_of(re.compile(r"(?:very )?good")) == {"very", "good"}


@pytest.mark.parametrize("pattern", [r"\w+ skip", r"skip|.", r"(?:it )?", r"(?i:skip)"])
def test_a_pattern_that_may_open_on_anything_has_no_openings(pattern):
    assert openings_of(re.compile(pattern)) is None
    with pytest.raises(ValueError, match="may open on anything"):
        Starts(re.compile(pattern))


def test_a_case_insensitive_pattern_has_no_openings():
    assert openings_of(re.compile("skip", re.IGNORECASE)) is None


@pytest.mark.parametrize("text", [
    "", "skip", "i'd skip it. skip. no", "no. no. no", "stay away; i'd stay away",
    "it's a skip, a hard pass, and the skip is mine", "skipskip skip it", "so.\n\nno",
])
def test_the_matches_are_those_finditer_finds(text):
    pattern = re.compile(r"(?:^|[.!?]\s+)no\b|\bskip(?: it)?\b|(?<=\bthe )skip is|"
                         r"\b(?:i'd )?stay away|a hard pass|skip")
    assert _spans(Starts(pattern).finditer(text)) == _spans(list(pattern.finditer(text)))


def test_each_call_pattern_lowered_finds_what_it_finds_on_the_lowered_labelled_takes():
    from test_quality_shortcuts import TEXTS

    for raw in TEXTS:
        lowered = raw.lower()
        for folded in calls._FOLDED.values():
            assert _spans(folded.finditer(lowered)) == _spans(
                list(folded.pattern.finditer(lowered))), raw
