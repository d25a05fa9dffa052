"""Work the gate shares or skips finds what doing it again, in full, finds.

A product's text is read once for its facts and its profile (``described.described``); the
four call patterns' openings are looked for once for them all (``starts.Openings``); the
maker's voice is searched only where its alternatives open (``Starts.search``); a figure is
searched for where a digit is, and "a thousand" only in a text that says a scale. Each is held
here to the form it replaces, on the labelled takes, each of their sentences, upper- and
lower-cased (``test_quality_shortcuts.TEXTS``), and written edge cases.
"""

from __future__ import annotations

import random
import re
from itertools import pairwise

import pytest

from panelist.quality import calls, context, described, voice, words
from panelist.quality.context import GateContext, profile
from panelist.quality.starts import Openings, Starts
from test_quality_shortcuts import TEXTS

# the figure pattern as it was written before: a look ahead for the digit, then the look back
_FIGURE_BEFORE = re.compile(r"(?=\d)(?<![\w.\-])(?P<digits>\d[\d,]*(?:\.\d+)?)"
                            r"(?:(?P<letter>[kKmMbB]n?)(?![\w])|"
                            r"\s(?P<word>thousand|million|billion)\b)?(?![\w]|\.\d)")


def _figures_before(text: str) -> set[str]:
    found: set[str] = set()
    for match in _FIGURE_BEFORE.finditer(text):
        scale = (match.group("letter") or match.group("word") or "").lower()
        value = float(match.group("digits").replace(",", "")) * words._SCALES.get(scale, 1)
        found.add(f"{value:g}")
    found |= {f"{words._SCALES[word.lower()]:g}" for word in words._WORD_FIGURE.findall(text)}
    return found


FIGURES = ["10k users, 1,200 seats, $3.99, 128K-token, 1 million, a thousand, One Billion",
           "v2 P2P GPT-4o 3.5bn 10.2.1 -5 .5 x1 1,00 2,000.50 7 MILLION", "\u0131llion 1"]


def _random_texts(count: int) -> list[str]:
    chars = "0123456789,.-_ aZkKmMbBn\n$%x"
    rnd = random.Random(19)
    return ["".join(rnd.choice(chars) for _ in range(rnd.randint(0, 30))) for _ in range(count)]


def test_a_texts_figures_are_those_the_former_pattern_finds():
    for text in [*TEXTS, *FIGURES, *_random_texts(20_000)]:
        assert words.figures(text) == _figures_before(text), text


def test_the_figure_pattern_finds_the_matches_the_look_ahead_finds():
    for text in [*TEXTS, *FIGURES, *_random_texts(20_000)]:
        assert [(m.span(), m.groups()) for m in words._FIGURE.finditer(text)] == [
            (m.span(), m.groups()) for m in _FIGURE_BEFORE.finditer(text)], text


def test_the_openings_looked_for_together_are_where_each_patterns_are_alone():
    assert len({word for one in calls._FOLDED.values() for word in one.words}) < sum(
        len(one.words) for one in calls._FOLDED.values())  # some shared
    for raw in [*TEXTS, "i  am i  build i  can; i'd, I\u2019d no no-go no-brainer"]:
        lowered = raw.lower()
        held = calls._OPENINGS.held(lowered)
        for one in calls._FOLDED.values():
            assert one._held(held[one]) == one._places(lowered), raw


def test_openings_sharing_their_first_characters_are_each_found():
    first = Starts(re.compile(r"\b(?:i  am|i  can|i  wo|no|no-go|ab)\b"))
    second = Starts(re.compile(r"^no|\bi  c|\bnon"))
    assert set(first.words) == {"i  a", "i  c", "i  w", "no", "no-g", "ab"}
    text = "no-go, i  am sure; i  can; i  wont; nono ab none"
    held = Openings([first, second]).held(text)
    assert [one._held(held[one]) for one in (first, second)] == [
        first._places(text), second._places(text)]


def test_the_calls_found_where_their_openings_are_held_are_those_finditer_finds():
    for raw in TEXTS:
        lowered = raw.lower()
        held = calls._OPENINGS.held(lowered)
        for folded in calls._FOLDED.values():
            assert [m.span() for m in folded.finditer(lowered, held[folded])] == [
                m.span() for m in folded.pattern.finditer(lowered)], raw


def test_a_search_where_the_openings_are_is_the_patterns_search():
    maker = voice._MAKER_STARTS
    matched = 0
    for raw in TEXTS:
        lowered = raw.lower()
        found, whole = maker.search(lowered), maker.pattern.search(lowered)
        assert (found and found.span()) == (whole and whole.span()), raw
        matched += whole is not None
    assert matched >= 10


def _profile_before(context_: GateContext) -> tuple[object, ...]:
    """A profile's fields from the product's text, read for it alone (as before)."""
    product_words = words.words_of(context_.product_text)
    facts = {word: described.word_facts(word) for word in dict.fromkeys(product_words)}
    specific = described._specific(context_.product_text, facts.values())
    content = [stemmed for word in product_words if (stemmed := facts[word].content) is not None]
    title_words = context.distinctive_name_words(context_.product_name)
    return (frozenset([fact.low for fact in facts.values()]
                      + [word for word in facts if word.isupper() and len(word) > 1]),
            frozenset(specific), frozenset(pairwise(content)),
            frozenset(set(title_words) | {fact.low for fact in facts.values() if fact.proper}),
            frozenset(specific | {figure for figure in words.figures(context_.product_text)
                                  if float(figure) > described.FACT_FIGURE_OVER}),
            context._grams([words.normalize(word) for word in product_words]))


BRIEF = "Judge the build minutes and the API surface. Never invent features."


@pytest.mark.parametrize("index", range(0, len(TEXTS), max(1, len(TEXTS) // 400)))
def test_a_products_profile_and_facts_read_once_are_those_read_alone(index):
    text = TEXTS[index]
    context_ = GateContext("Gridline Notes", text, ("Gridline Notes", "Tracelight"), BRIEF)
    known, specific, phrases, name_words, facts, grams = _profile_before(context_)
    found = profile(context_)
    assert (found.known, found.specific, found.phrases, found.name_words) == (
        known, specific, phrases, name_words)
    assert described.product_facts(text) == facts
    assert found.prompt_runs._quoted == grams
    assert found.brief_stems == context._brief_facts(BRIEF).stems.difference(
        [fact for fact in (words.content_stem(word) for word in words.words_of(text))
         if fact is not None])
