"""Claims in a quote that the product file does not ground, sentence by sentence.

A claim is a number (in digits or in words: "18", "eighteen months", "a thousand calls"),
an amount of money ("$5M", "one million pounds", "27 billion dollars"), a version ("v3.0",
"2.4.1") or a proper name ("Mistral", "Series B"). It is grounded when the product file says
the same value or name anywhere, whatever the spelling: "$27B" grounds "27 billion dollars".

Small numbers in words count only with a unit after them ("two years", "three times"), so
"one SDK" or "two things matter" are not claims. A capitalised word is a name unless it opens
a sentence (after . ! ? : or a line break, past closing quotes and brackets), is one of the
trade's acronyms, or is a common English word ("Honestly", "Paid", "Ship").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from panelist.review import claim_words
from panelist.review.claim_words import COMMON_WORDS, NOT_NAMES, STARTERS
from panelist.review.source_words import NOT_FIRST as _NOT_FIRST
from panelist.review.source_words import NOT_LAST as _NOT_LAST
from panelist.review.source_words import RUN_CHARS as _RUN_CHARS
from panelist.review.source_words import SourceWords
from panelist.review.source_words import unpossessive as _unpossessive
from panelist.review.source_words import word_key as _word_key

_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9,
           "bn": 1e9, "billion": 1e9, "t": 1e12, "tn": 1e12, "trillion": 1e12}
_SCALE_WORD = r"thousand|million|billion|trillion"
_NUMBER_WORD = "|".join([*claim_words.UNITS, *claim_words.TENS, "hundred", _SCALE_WORD])
_CURRENCY_WORD = r"(?:pounds?|dollars?|euros?|yen|quid|bucks|usd|gbp|eur)\b"
# Units that make a small number a claim: "two years", "three times", "five platforms".
_MEASURE = (r"(?:per\s?cent|percent|times|x|months?|years?|weeks?|days?|hours?|minutes?|"
            r"seconds?|users?|developers?|researchers?|customers?|people|companies|teams?|"
            r"engineers?|employees?|staff|downloads?|stars?|languages?|platforms?|models?|"
            r"devices?|countries|parameters?|tokens?|calls?|requests?|GB|MB|TB)\b")

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY = re.compile(rf"[$€£¥]\s?({_AMOUNT})\s?(k|mn?|bn?|tn?|{_SCALE_WORD})?\b\+?",
                    re.IGNORECASE)
# ``_AMOUNT`` after its first digit. A pattern for an amount opens on that digit, with its
# look-behind after it: a pattern that opens on a character is searched for it (a fast scan),
# where one that opens on a look-around is tried at every place. The same matches as
# ``(?=\d)(?<!...)(_AMOUNT)`` (a spec holds the two forms to it)
_AMOUNT_REST = r"(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)"
_MONEY_IN_WORDS = re.compile(rf"(\d(?<![\w.,]\d){_AMOUNT_REST})\s?"
                             rf"(k|mn?|bn?|{_SCALE_WORD})?\s+{_CURRENCY_WORD}", re.IGNORECASE)
_VERSION = re.compile(r"(?=[vV\d])(?<![\w.])(?:v(\d+(?:\.\d+)*)\b|(\d+\.\d+\.\d+(?:\.\d+)*)\b)",
                      re.IGNORECASE)
_VERSION_NEEDS = re.compile(r"[.vV]\d")  # every version holds one: "v2", "2.4.1"
# Money, versions and numbers all hold a digit: a text with none is not searched for them
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(rf"(\d(?<![\w.,$€£¥]\d){_AMOUNT_REST})"
                     rf"(?:\s?%|\s?({_SCALE_WORD})\b|[a-zA-Z]{{1,2}}\b)?", re.IGNORECASE)
# A word's start, then the lookahead: a number word (or "a", "an") starts with one of these
# letters, and a position inside a word or without one fails there, before the many
# alternatives are tried (2.5x faster).
_NUMBER_WORD_FIRSTS = "".join(sorted({word[0] for word in ["a", *_NUMBER_WORD.split("|")]}))
_WORD_NUMBER = re.compile(
    rf"\b(?=[{_NUMBER_WORD_FIRSTS}])"
    rf"(?<!\bper )(?:an?\s+(?=(?:hundred|{_SCALE_WORD})\b))?(?:{_NUMBER_WORD})"
    rf"(?:(?:\s+|-)(?:and\s+)?(?:{_NUMBER_WORD}))*\b", re.IGNORECASE)
# Number words and currencies' names standing as words, found in one pass: a text without a
# number word holds no number in words, one without a currency's name no money in words
_NUMBER_WORDS = frozenset(_NUMBER_WORD.split("|"))
_SPELLED = claim_words.spelled_finder([*_NUMBER_WORDS, *claim_words.CURRENCY_WORDS])
_LARGE_WORD = re.compile(rf"hundred|{_SCALE_WORD}", re.IGNORECASE)
_WORD_BREAK = re.compile(r"[\s-]+")
_WORD_NUMBER_LOWER = re.compile(_WORD_NUMBER.pattern)  # for lower-cased ASCII text
_AFTER_WORD_NUMBER = re.compile(rf"(?:\s*-\s*|\s+)(?:({_CURRENCY_WORD})|({_MEASURE}))",
                                re.IGNORECASE)
# A run of ``_WORD``'s characters from its first capital letter on: a pattern that opens on a
# capital is searched for one (a fast scan; most characters are not), and the run's lower-case
# start before it ("iPhone") is read back from there
_RUN_FROM_A_CAPITAL = re.compile("[A-Z][A-Za-z0-9.+&'\u2019-]*")
_NOT_OPENERS = STARTERS | NOT_NAMES
_OPENERS = "\"'(\u201c\u2018[*\u2022-"
_CLOSERS = "\"')]\u201d\u2019"
_SENTENCE_BREAK = re.compile("(?<=[.!?\u2026])[\"')\\]\u201d\u2019]*\\s+|\\n\\s*\\n")


@dataclass(frozen=True)
class SentenceClaims:
    """One sentence of a quote and the claims in it the product file does not ground."""

    sentence: str
    claims: list[str]


class _Claim(NamedTuple):  # a tuple: a quote has dozens, made faster than a dataclass
    start: int
    end: int
    grounded: bool


class Grounds:
    """What a product file says: its numbers and amounts (as values) and its words."""

    def __init__(self, source: str) -> None:
        self.values = _value_keys(source)
        self.words = SourceWords(source)  # its words' keys, found as the quotes ask

    def has_value(self, *values: float | str) -> bool:
        return any(_key(value) in self.values for value in values)

    def has_name(self, words: list[str]) -> bool:
        return all(self._has_word(word) for word in words)

    def _has_word(self, word: str) -> bool:
        """A hyphenated name ("Claude-family") is grounded when its capitalised parts are."""
        if _word_key(word) in self.words:
            return True
        parts = [part for part in word.split("-") if part != part.lower()]
        return "-" in word and all(_word_key(part) in self.words for part in parts)


@functools.lru_cache(maxsize=64)
def grounds_of(source: str) -> Grounds:
    """A product's grounds, built once for all its personas' quotes (the costly half of lint)."""
    return Grounds(source)


def ungrounded_by_sentence(quote: str, source: str) -> list[SentenceClaims]:
    """The quote's sentences that make claims the source never mentions, with those claims."""
    grounds = grounds_of(source)
    every = list(_all_claims(quote, grounds))
    if all(claim.grounded for claim in every):
        return []  # what overlaps drops only claims: none is left ungrounded (most quotes)
    found = [claim for claim in _kept(every) if not claim.grounded]
    grouped, next_claim = [], 0
    for start, end in sentence_spans(quote):  # both in order: one pass over each, not S x C
        while next_claim < len(found) and found[next_claim].start < start:
            next_claim += 1
        claims = []
        while next_claim < len(found) and found[next_claim].start < end:
            claim = found[next_claim]
            claims.append(quote[claim.start:claim.end].strip())
            next_claim += 1
        if claims:
            grouped.append(SentenceClaims(quote[start:end].strip(), list(dict.fromkeys(claims))))
    return grouped


def ungrounded_claims(quote: str, source: str) -> list[str]:
    """Every ungrounded claim in the quote once, in order."""
    return list(dict.fromkeys(claim for group in ungrounded_by_sentence(quote, source)
                              for claim in group.claims))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# finding claims ---------------------------------------------------------------------------

def _kept(claims: Iterable[_Claim]) -> list[_Claim]:
    """Earlier kinds win where spans overlap: "$27B" is one money claim, not also 27.

    The claims kept so far never overlap, so sorted by start they are sorted by end too, and
    a new claim can only overlap its two neighbours there (a bisection, not a scan of all).
    """
    kept: list[_Claim] = []
    starts: list[int] = []
    for claim in claims:
        at = bisect.bisect_left(starts, claim.start)
        if at > 0 and kept[at - 1].end > claim.start:
            continue
        if at < len(kept) and kept[at].start < claim.end:
            continue
        kept.insert(at, claim)
        starts.insert(at, claim.start)
    return kept


def _all_claims(quote: str, grounds: Grounds) -> Iterator[_Claim]:
    for start, end, value in _money(quote):
        yield _Claim(start, end, grounds.has_value(value))
    for m in _versions(quote):
        yield _Claim(*m.span(), grounds.has_value(_version(m)))
    for start, end, value, plain in _digit_numbers(quote):
        yield _Claim(start, end, grounds.has_value(value, plain))
    for start, end, value in _word_numbers(quote, claims_only=True):
        yield _Claim(start, end, grounds.has_value(value))
    for start, end, words, opened in _names(quote):
        # "Expect Sonnet": a sentence's first word joined to a grounded name is grounded.
        yield _Claim(start, end, grounds.has_name(words[1:] if opened else words))


def _value_keys(text: str) -> set[str]:
    """Every value the text states, for grounding: money, digits (with and without their
    scale), versions, and numbers in words. A number in words before a currency is money of
    the same value, so each is read once, as a number."""
    keys = set()
    if _DIGIT.search(text):
        for pattern in _money_patterns(text, _may_name_a_currency(text)):
            for m in pattern.finditer(text):
                keys.add(_key(_amount(m.group(1)) * _SCALES.get((m.group(2) or "").lower(), 1)))
        for _, _, value, plain in _digit_numbers(text):
            keys.add(_key(value))
            keys.add(_key(plain))
    for m in _versions(text):
        keys.add(_key(_version(m)))
    for _, _, phrase in _word_number_matches(text):
        if (said := _word_value(phrase)) is not None:
            keys.add(_key(said))
    return keys


def _versions(text: str) -> Iterator[re.Match[str]]:
    return _VERSION.finditer(text) if _VERSION_NEEDS.search(text) else iter(())


def _money(text: str) -> Iterator[tuple[int, int, float]]:
    named = _may_name_a_currency(text)
    for pattern in _money_patterns(text, named) if _DIGIT.search(text) else ():
        for m in pattern.finditer(text):
            yield m.start(), m.end(), _amount(m.group(1)) * _SCALES.get(
                (m.group(2) or "").lower(), 1)
    if not named:
        return  # a number in words is money only before a currency's name
    for start, end, value in _word_numbers(text, claims_only=False):
        after = _AFTER_WORD_NUMBER.match(text, end)
        if after and after.group(1):
            yield start, after.end(), value


def _money_patterns(text: str, named: bool) -> tuple[re.Pattern[str], ...]:
    """Of ``_MONEY`` and ``_MONEY_IN_WORDS``, those that may match ``text`` (one with a digit):
    the first needs a currency's sign, the second its name (``named``: most texts have none)."""
    signed = "$" in text or (not text.isascii() and any(sign in text for sign in "€£¥"))
    return (_MONEY,) * signed + (_MONEY_IN_WORDS,) * named


def _may_name_a_currency(text: str) -> bool:
    """Whether ``_CURRENCY_WORD`` may match where money looks for it (after a space or "-"):
    there it stands as a word, so an ASCII text without one of its words has none. A text
    that is not ASCII may (a letter may fold to another case-insensitively: a long s to s)."""
    words = _SPELLED(text)
    return words is None or not claim_words.CURRENCY_WORDS.isdisjoint(words)


def _digit_numbers(text: str) -> Iterator[tuple[int, int, float, float]]:
    """Digits with their scale applied ("27 billion", "200K"), and the plain number."""
    for m in _NUMBER.finditer(text) if _DIGIT.search(text) else ():
        plain = _amount(m.group(1))
        suffix = (m.group(2) or m.group(0)[len(m.group(1)):]).strip().lower()
        yield m.start(), m.end(), plain * _SCALES.get(suffix, 1), plain


def _word_numbers(text: str, *, claims_only: bool) -> Iterator[tuple[int, int, float]]:
    for start, end, phrase in _word_number_matches(text):
        value = _word_value(phrase)
        if value is None:
            continue
        after = _AFTER_WORD_NUMBER.match(text, end)
        large = value >= 10 or _LARGE_WORD.search(phrase)
        if claims_only and not large and not (after and value >= 2):
            continue
        yield start, after.end() if after else end, value


@functools.lru_cache(maxsize=16)
def _word_number_matches(text: str) -> tuple[tuple[int, int, str], ...]:
    """Numbers in words, found once per text: money and numbers both look for them, and the
    pattern's many alternatives make it the slowest of the claim finder's. An ASCII text is
    read lower-cased by the pattern made case-sensitive: the same matches at the same places
    (no ASCII letter folds to another character), and a case-sensitive alternative is skipped
    on its first letter, where a case-insensitive one is tried."""
    words = _SPELLED(text)
    if words is None:
        found = _WORD_NUMBER.finditer(text)
    elif _NUMBER_WORDS.isdisjoint(words):
        return ()
    else:
        found = _WORD_NUMBER_LOWER.finditer(text.lower())
    return tuple((m.start(), m.end(), text[m.start():m.end()]) for m in found)


@functools.lru_cache(maxsize=1024)  # "two", "a thousand": a catalogue says the same few
def _word_value(phrase: str) -> float | None:
    total, current = 0.0, 0.0
    for word in _WORD_BREAK.split(phrase.lower()):
        if word in ("a", "an"):
            current = 1.0
        elif word in claim_words.WORD_VALUES:
            current += claim_words.WORD_VALUES[word]
        elif word == "hundred":
            current = (current or 1.0) * 100
        elif word in _SCALES:
            total += (current or 1.0) * _SCALES[word]
            current = 0.0
        elif word != "and":
            return None
    return total + current


def _version(match: re.Match[str]) -> str:
    """"v3.0", "3.0.0" and "3" are one version."""
    parts = (match.group(1) or match.group(2)).split(".")
    while len(parts) > 1 and parts[-1].strip("0") == "":
        parts.pop()
    return ".".join(str(int(part)) for part in parts)


def _amount(number: str) -> float:
    return float(number.replace(",", ""))


def _key(value: float | str) -> str:
    return value if isinstance(value, str) else format(value, ".10g")


# names ------------------------------------------------------------------------------------

def _names(text: str) -> list[tuple[int, int, list[str], bool]]:
    """Runs of capitalised words that are not just the first word of a sentence, and whether
    the run begins with a sentence's first word."""
    runs: list[tuple[int, int, list[str], bool]] = []
    opened, opener = -1, ""  # a capitalised first word that may start a name, and where
    last = -1  # where the last run ends
    # A word with no capital is neither a name nor a name's first word; passing one over
    # leaves the opener as it was, but a run or an opener joins the next word only across a
    # single space, and a word between them is more than that.
    for at, word in _capitalised_words(text):
        if word[-1] in "s'\u2019" and ("'" in word or "\u2019" in word):
            word = _unpossessive(word)  # a possessive's "'s" has no capital
        # a word after a space after a letter or digit is inside a sentence
        starts = (at < 2 or text[at - 1] != " " or not text[at - 2].isalnum()) and \
            _starts_sentence(text, at)
        # a name: not the pronoun or an acronym of the trade, opening on a letter, with a
        # capital inside (an ASCII capital lowers) or a capital first not opening a sentence
        first, inner = word[0], word[1:]
        if word in NOT_NAMES or not first.isalpha() or not (
                (inner != inner.lower() if inner.isascii() else any(c.isupper() for c in inner))
                or (first.isupper() and not starts)):
            if starts and first.isupper() and word not in _NOT_OPENERS:
                opened, opener = at, word
            else:
                opened = -1
            continue
        end = at + len(word)
        if last >= 0 and at == last + 1 and text[last] == " ":
            run = runs[-1]
            runs[-1] = (run[0], end, [*run[2], word], run[3])
        elif opened >= 0 and at == opened + len(opener) + 1 and text[at - 1] == " ":
            runs.append((opened, end, [opener, word], True))
        else:
            runs.append((at, end, [word], False))
        opened, last = -1, end
    return [run for run in runs if not COMMON_WORDS.issuperset(map(str.lower, run[2]))]


def _capitalised_words(text: str) -> list[tuple[int, str]]:
    """Where each word ``_WORD`` finds that holds a capital letter is, and the word, in order,
    without reading the others. ``_WORD`` finds at most one word in each run of its characters:
    the run from its first letter or digit to its last letter, digit or "+" (or a lone letter).
    Only runs holding a capital are found here (most runs have none)."""
    found = []
    for run in _RUN_FROM_A_CAPITAL.finditer(text):
        start, end = run.span()
        while start and text[start - 1] in _RUN_CHARS:
            start -= 1
        whole = text[start:end]
        word = whole.lstrip(_NOT_FIRST)
        # a capital is kept: a run has a letter
        found.append((start + len(whole) - len(word), word.rstrip(_NOT_LAST)))
    return found


def _starts_sentence(text: str, index: int) -> bool:
    """Whether the word at ``index`` opens a sentence. Looks back over the gap before the
    word only (never copies the text before it, which made lint quadratic in a quote's length).
    """
    at = _back_over(text, _back_over(text, _back_over(text, index, " \t"), _OPENERS), " \t")
    if at == 0 or text[at - 1] == "\n":
        return True
    at = _back_over(text, at, _CLOSERS)
    return at == 0 or text[at - 1] in ".!?:\u2026"


def _back_over(text: str, index: int, chars: str) -> int:
    """The index before which ``text`` has none of ``chars`` (as ``rstrip`` would stop)."""
    while index > 0 and text[index - 1] in chars:
        index -= 1
    return index
