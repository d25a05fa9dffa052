"""What the gate reads of a product's text alone, the same whatever take it judges: each word's
facts (``word_facts``, kept per word), and the text's (``described``, kept per text): its facts
as the rival check compares a take's with them (``product_facts``, the catalogue's and a take's
own product's) and the words its profile (``context.profile``) is built from. A read derives
the catalogue's facts, then judges its products' takes: each text is read once for both."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from panelist.quality.words import (
    COMMON_ZIPF,
    FUNCTION_WORDS,
    NAME_ZIPF,
    SMALL_COUNT,
    content_stem,
    figures,
    normalize,
    stem,
    words_of,
    zipf,
)

# Words that name the kind of thing, not this thing: "SDK" and "Notes" name nothing.
_GENERIC_NAME_WORDS_TEXT = """
ai app apps api sdk cli ci tool tools kit toolkit platform studio labs lab cloud open source
weights model models notes pro plus max mini lite one hub suite engine agent agents assistant
the of for and by
"""
GENERIC_NAME_WORDS = frozenset(_GENERIC_NAME_WORDS_TEXT.split())

@dataclass(frozen=True)
class WordFacts:
    """What a product's profile asks of one of its words (the same for every product)."""

    low: str  # normalized
    specific: str | None  # its stem, when the word is one of the product's facts
    proper: bool  # a proper noun that names the product or its maker
    content: str | None  # its stem, unless a function word
    known: tuple[str, ...]  # what ``Profile.known`` holds of it: normalized, and as written
    # when in capitals (QVAC, OCR)


@lru_cache(maxsize=1 << 16)
def word_facts(word: str) -> WordFacts:
    low = normalize(word)
    specific = (low not in FUNCTION_WORDS
                and (zipf(low) < COMMON_ZIPF or word.isupper()
                     or (word[0].isupper() and zipf(low) < NAME_ZIPF))
                and low not in GENERIC_NAME_WORDS)
    proper = (word[0].isupper() and not word.isupper() and zipf(low) < 4.0  # acronyms (OCR)
              and len(word) > 2 and low not in GENERIC_NAME_WORDS)  # are facts, not names
    return WordFacts(low, stem(word) if specific else None, proper, content_stem(word),
                      (low, word) if word.isupper() and len(word) > 1 else (low,))


DOTTED = re.compile(r"(?<!\w)\w++(?:[.-]\w+)+")  # "llama.cpp", "peer-to-peer"


def dotted(tokens: Iterable[str]) -> list[str]:
    """``DOTTED``'s matches in a text, from its ``tokens`` (the text split at whitespace, in
    order): a match is word characters, dots and hyphens, so never crosses a space, and holds
    a dot or a hyphen, so only a token holding one is searched (most hold neither)."""
    return [found for token in tokens if "." in token or "-" in token
            for found in DOTTED.findall(token)]


@dataclass(frozen=True)
class Described:
    """What the gate derives from a product's text alone, the same in every context: its facts
    as the rival check compares them (``product_facts``: the catalogue's, and a take's own
    product's) and the words its ``profile`` is built from. Derived once per text, whichever
    asks first: a read derives the catalogue's facts, then judges its products' takes."""

    # each of its words' facts, once per word; and each word's, in the text's order (the facts
    # are kept per word: a text's own words, as strings, are not kept with it)
    distinct: tuple[WordFacts, ...]
    in_order: tuple[WordFacts, ...]
    specific: frozenset[str]  # ``Profile.specific``
    facts: frozenset[str]  # ``specific`` and its figures over ``FACT_FIGURE_OVER``


FACT_FIGURE_OVER = SMALL_COUNT  # "3 platforms" is a count; "180 KB" and "$249" are facts


@lru_cache(maxsize=1 << 12)
def described(text: str) -> Described:
    words = words_of(text)
    # each word's facts once, however often the text says it (and kept across products)
    facts = {word: word_facts(word) for word in dict.fromkeys(words)}
    specific = frozenset(_specific(text, facts.values()))
    return Described(
        distinct=tuple(facts.values()),
        in_order=tuple(map(facts.__getitem__, words)),
        specific=specific,
        facts=specific.union(figure for figure in figures(text)
                             if float(figure) > FACT_FIGURE_OVER))


def _specific(text: str, facts: Iterable[WordFacts]) -> set[str]:
    """A text's facts: its uncommon words' stems, and its dotted names ("llama.cpp")."""
    found = {fact.specific for fact in facts if fact.specific is not None}
    return found | {normalize(token) for token in dotted(text.split())}


def product_facts(text: str) -> frozenset[str]:
    """A product text's facts as a take's are compared with them: ``Profile.specific`` and
    its figures (as ``figures`` writes them), over ``FACT_FIGURE_OVER``."""
    return described(text).facts
