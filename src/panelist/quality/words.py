"""Words: how the gate tokenizes text, and which words it counts as English.

A word is real if the ``wordfreq`` English list knows it (a maintained list built from
Wikipedia, subtitles, news, books and the web) and it is not much more common in French, Spanish,
German, Dutch, Italian or Portuguese (the small model drifts into French that the big English
list, with its loanwords and names, would half accept; "het", "een", "tot" are Dutch), or if the
product's own text uses it.
"""

from __future__ import annotations

import gzip
import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import cache, cached_property, lru_cache
from importlib.util import find_spec
from pathlib import Path

OTHER_LANGUAGES = ("fr", "es", "de", "nl", "it", "pt")
FOREIGN_MARGIN = 1.0  # Zipf units: "la", "que", "est" are far more French than English
MAX_WORD_CHARS = 40  # longer is never a word
EVERYDAY_ZIPF = 4.5
COMMON_ZIPF = 4.6  # at or above this a word is everyday English ("make", "tool", "users")
NAME_ZIPF = 5.5  # a capitalized word rarer than this may be a fact ("Research"); "New" not

WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
TOKEN = re.compile(r"\S+")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019')\]]*\s+")

# Function words: English prose is about half these; word salad has few, stutter has many.
_FUNCTION_WORDS_TEXT = """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each either else even ever
every few for from further had has have having he her here hers him his how i if in into is it
its itself just least less let like may me might more most much must my neither no nor not now
of off on once one only or other our ours out over own per rather same she should since so some
such than that the their theirs them then there these they this those though through thus to
too under unless until up upon us very via was we were what whatever when where whether which
while who whom whose why will with within without would yet you your yours
isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't wouldn't shouldn't it's
that's there's they're you're i'd i'm i've we're let's here's what's
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


_POSSESSIVE = re.compile(r"'s$")
PUNCTUATION = ".,;:!?()[]\"'\u201c\u201d\u2018\u2019\u2014\u2013-"  # around a token


def words_of(text: str) -> list[str]:
    return WORD.findall(text)


def normalize(word: str) -> str:
    return word.lower().replace("\u2019", "'")


def load_word_lists() -> None:
    """Load wordfreq's lists now (about a second), so the first take's check does not stall
    the calls running beside it."""
    _frequencies("en", "large")
    for language in OTHER_LANGUAGES:
        _frequencies(language, "small")


@cache
def _frequencies(language: str, wordlist: str) -> dict[str, float]:
    """wordfreq's list as a dict: a lookup is a dict access, not a tokenization (0.1 us
    against 30 us a word); the same figures as ``zipf_frequency`` for one plain word, and the
    same dict as wordfreq's ``get_frequency_dict`` (a spec compares them)."""
    pack = _read_pack(language, wordlist)
    if pack is None:
        from wordfreq import get_frequency_dict

        found: dict[str, float] = get_frequency_dict(language, wordlist=wordlist)
        return found  # wordfreq caches it: read it, never change it
    frequencies: dict[str, float] = {}
    for index, bucket in enumerate(pack):
        frequencies.update(dict.fromkeys(bucket, 10 ** (-index / 100)))  # wordfreq's cB_to_freq
    return frequencies


def _read_pack(language: str, wordlist: str) -> list[list[str]] | None:
    """The list as wordfreq keeps it (``data/<wordlist>_<language>.msgpack.gz``: a header,
    then the words of each centibel of frequency, the most frequent first), read without
    importing wordfreq (its tokenizers and language tags cost a tenth of a second); None where
    the file is not there or not in that shape, and wordfreq reads it."""
    spec = find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / f"{wordlist}_{language}.msgpack.gz"
    try:
        import msgpack

        with gzip.open(path, "rb") as packed:
            data = msgpack.load(packed, raw=False)
    except (ImportError, OSError, ValueError):
        return None
    header = data[0] if isinstance(data, list) and data else None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    return data[1:]  # type: ignore[no-any-return]


def _zipf_of(frequency: float) -> float:
    return round(math.log10(frequency) + 9, 2) if frequency > 0 else 0.0


@cache
def zipf(word: str) -> float:
    """How common ``word`` is in English, in Zipf units (0: unknown, 7: "the")."""
    return _zipf_of(_frequencies("en", "large").get(word, 0.0))


@cache
def _zipf_in(language: str, word: str) -> float:
    return _zipf_of(_frequencies(language, "small").get(word, 0.0))


@cache
def _is_english(word: str) -> bool:
    english = zipf(word)
    if english == 0:
        return False
    if english >= EVERYDAY_ZIPF:  # "plus", "long": English words French and German use too
        return True
    elsewhere = max(_zipf_in(language, word) for language in OTHER_LANGUAGES)
    return english >= elsewhere - FOREIGN_MARGIN


FOREIGN_NAME_ZIPF = 3.5  # a capitalized word this common in another language...
NAME_IN_ENGLISH_ZIPF = 2.5  # ...and rarer than this in English is that language's noun


@cache
def another_languages_word(word: str) -> bool:
    """"Suche", "Einstieg", "Kostenlose": a capitalized word that is not a name but another
    language's word (German nouns are capitalized), where English hardly has it."""
    low = word.lower()
    return zipf(low) < NAME_IN_ENGLISH_ZIPF and any(
        _zipf_in(language, low) >= FOREIGN_NAME_ZIPF for language in OTHER_LANGUAGES)


CUT_ZIPF = 2.0  # a lower-case fragment rarer than this...
WHOLE_ZIPF = 3.5  # ...that starts a word at least this common was cut short


@cache
def _whole_words() -> tuple[str, ...]:
    """English's common words, sorted: what a fragment is looked up in."""
    english = _frequencies("en", "large")
    return tuple(sorted(word for word, frequency in english.items()
                        if word.isalpha() and _zipf_of(frequency) >= WHOLE_ZIPF))


def cut_short(word: str, known: frozenset[str] = frozenset()) -> bool:
    """"conver", "regul", "placem": a rare lower-case fragment that starts a common English
    word, as a note cut mid-word ends (no good take of the tuning sets ends on one)."""
    if len(word) < 3 or not word.isalpha() or not word.islower() or word in known:
        return False
    if zipf(word) >= CUT_ZIPF or any(_zipf_in(language, word) for language in OTHER_LANGUAGES):
        return False  # a word of its own, or another language's ("demande")
    whole = _whole_words()
    index = bisect_left(whole, word)
    return index < len(whole) and whole[index].startswith(word) and whole[index] != word


def known_words(texts: Iterable[str]) -> frozenset[str]:
    """The words of ``texts`` (the product's own text), counted as real: lower-cased, plus the
    ALL-CAPS ones as written, which are names (QVAC, OCR) rather than shouting."""
    return known_of([word for text in texts for word in WORD.findall(text)])


def known_of(words: list[str]) -> frozenset[str]:
    """``known_words`` of words already found (``words_of``)."""
    return frozenset([normalize(word) for word in words]
                     + [word for word in words if word.isupper() and len(word) > 1])


def is_real_word(word: str, extra: frozenset[str] = frozenset()) -> bool:
    if len(word) > MAX_WORD_CHARS:
        return False
    lowered, stem, english = _english_forms(word)
    return english or lowered in extra or stem in extra


@lru_cache(maxsize=1 << 16)  # a catalogue's takes say the same words again
def _english_forms(word: str) -> tuple[str, str, bool]:
    """The word lower-cased, without a possessive or contraction, and whether either (or the
    word a common prefix or agent suffix is added to) is English: all but the product's own
    words (``is_real_word``'s ``extra``) is the same for every text."""
    lowered = normalize(word)
    # possessives and contractions wordfreq splits off: "Anthropic's", "doesn't"
    stem = _CONTRACTION.sub("", lowered)
    if _is_english(lowered) or _is_english(stem):
        return lowered, stem, True
    # an English word with a common prefix or agent suffix: "unpriced", "payer", "re-ranks",
    # "microinverters"
    derived = _DERIVED.fullmatch(stem)
    if derived is not None and _is_english(derived.group("base") or derived.group("root")):
        return lowered, stem, True
    # British spelling of a word the list knows in its -ize form: "commercialises"
    american = _BRITISH.sub(r"iz\1", stem)
    return lowered, stem, american != stem and _is_english(american)


_CONTRACTION = re.compile(r"'(?:s|t|d|ll|re|ve|m)$")


_BRITISH = re.compile(r"is(e|es|ed|ing|ation|ations)$")
_DERIVED = re.compile(r"(?:un|re|non|pre|over|under|multi|sub|micro|mini|macro|mega|nano|auto|"
                      r"cross|inter|hyper|ultra|semi|anti|meta|mis|post)-?(?P<base>[a-z]{4,})"
                      r"|(?P<root>[a-z]{3,}?)(?:er|ers)")


@lru_cache(maxsize=1 << 16)  # a catalogue's takes and products say the same words again
def stem(word: str) -> str:
    """A crude stem, enough to see "breaks" and "breaking" as one word."""
    lowered = normalize(word)
    lowered = re.sub(r"'s$", "", lowered)
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 4:
            return lowered[: -len(suffix)]
    return lowered


@lru_cache(maxsize=1 << 16)
def _lowered(word: str) -> str:
    """``normalize``'d, without a possessive "'s"."""
    return _POSSESSIVE.sub("", normalize(word))


def content_stems(words: Sequence[str]) -> list[str]:
    return [found for word in words if (found := content_stem(word)) is not None]


@lru_cache(maxsize=1 << 16)  # a catalogue's products and takes say the same words again
def content_stem(word: str) -> str | None:
    """The word's stem, or None for a function word."""
    return None if normalize(word) in FUNCTION_WORDS else stem(word)


def as_sentences(notes: list[str]) -> str:
    """A take's reasons as sentences, each closed by a stop: "Too costly to run, skip" ends
    where the next begins, as a bare call or a sentence's first word needs."""
    return ". ".join(note.strip().rstrip(".") for note in notes) + "."


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(text) if part.strip()]


def longest_run(flags: Iterable[bool]) -> int:
    longest = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        longest = max(longest, current)
    return longest


def case_sensitive(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-insensitive pattern of lower-case letters made case-sensitive, to search
    lower-cased ASCII text (``Text.folded``) with: the same matches at the same places, and a
    case-sensitive alternative is passed over on its first letter, where a case-insensitive
    one is tried (a pattern of many alternatives is several times faster)."""
    letters = re.sub(r"\\.", "", pattern.pattern)  # escapes aside ("\W", "\S")
    if letters != letters.lower() or not pattern.flags & re.IGNORECASE:
        raise ValueError(f"not a case-insensitive pattern of lower-case letters: {pattern}")
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def folded_copy(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-insensitive pattern's lower-cased, case-sensitive copy (``case_sensitive`` for a
    pattern written with capitals: "I'd"), to search lower-cased ASCII text with: the same
    matches at the same places. Not for a pattern with an escape a capital writes (``\\W``,
    ``\\S``: lower-cased, another escape) or a part of its own case."""
    if (re.search(r"\\[A-Z]", pattern.pattern) or "(?-i" in pattern.pattern
            or not pattern.flags & re.IGNORECASE):
        raise ValueError(f"no folded copy of {pattern}")
    return re.compile(pattern.pattern.lower(), pattern.flags & ~re.IGNORECASE)


# A figure standing alone ("64%", "$3.99", "10.2", "10k", "128K-token", "1 million"), not part
# of a name ("P2P", "GPT-4o", "v2"): digits with separators and a magnitude.
# (a digit not after a word character, a dot or a hyphen: the look back after the digit, so a
# search passes over the places no digit is at in C)
_FIGURE = re.compile(r"(?P<digits>\d(?<![\w.\-]\d)[\d,]*(?:\.\d+)?)"
                     r"(?:(?P<letter>[kKmMbB]n?)(?![\w])|"
                     r"\s(?P<word>thousand|million|billion)\b)?(?![\w]|\.\d)")
_WORD_FIGURE = re.compile(r"\b(?:a|one) (thousand|million|billion)\b", re.IGNORECASE)
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
           "billion": 1e9}
SMALL_COUNT = 10  # "two or three reasons", "3 platforms": small counts need no source


def figures(text: str) -> set[str]:
    """Every figure of the text, as a plain number ("10k" and "10,000" are both "10000")."""
    found: set[str] = set()
    for match in _FIGURE.finditer(text):
        digits, letter, word = match.groups()
        found.add(_figure(digits, letter or word or ""))
    if _may_say_a_scale(text):  # "a thousand"
        found |= {f"{_SCALES[word.lower()]:g}" for word in _WORD_FIGURE.findall(text)}
    return found


@lru_cache(maxsize=1 << 12)  # a catalogue's texts give the same figures again
def _figure(digits: str, scale: str) -> str:
    """A figure as a plain number: its digits times its scale ("10k": 10000)."""
    return f"{float(digits.replace(',', '')) * _SCALES.get(scale.lower(), 1):g}"


def _may_say_a_scale(text: str) -> bool:
    """Whether ``_WORD_FIGURE`` may match: an ASCII text says "thousand" or "-illion" in some
    case (most texts say neither: the pattern's ``\b`` is tried at every place); a text that
    is not ASCII always may (a letter of it may fold to one of theirs)."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return "thousand" in lowered or "illion" in lowered


class Text:
    """One text as the checks read it, tokenized once. Only the first ``LIMIT`` characters
    are read word by word: a take is a paragraph, and a megabyte is flagged by its length."""

    LIMIT = 8000

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.head = raw[: self.LIMIT]
        self.tokens = TOKEN.findall(self.head)
        self.words = WORD.findall(self.head)
        self.lowered = list(map(_lowered, self.words))
        self.sentences = sentences(self.head)
        self._real: tuple[frozenset[str], list[list[bool]]] | None = None

    @cached_property
    def sentence_words(self) -> list[list[str]]:
        """The words of each sentence."""
        return [WORD.findall(sentence) for sentence in self.sentences]

    def real_words(self, known: frozenset[str]) -> list[list[bool]]:
        """Whether each word of each sentence is a real word (``is_real_word``), read once
        per text and product: the babble checks ask twice."""
        if self._real is None or self._real[0] is not known:
            self._real = (known, [[is_real_word(word, known) for word in words]
                                  for words in self.sentence_words])
        return self._real[1]

    @cached_property
    def bare(self) -> list[str]:
        """Each token without the punctuation around it, lower-cased."""
        return [token.strip(PUNCTUATION).lower() for token in self.tokens]

    @cached_property
    def content_stems(self) -> list[str]:
        """``content_stems`` of its words, read once: callers read it and never change it."""
        return content_stems(self.words)

    @cached_property
    def said(self) -> frozenset[str]:
        """Its words without a possessive "'s", lower-cased: the names it may say."""
        return frozenset([word.removesuffix("'s").lower() for word in self.words])

    @cached_property
    def lower(self) -> str:
        """The head lower-cased."""
        return self.folded if self.folded is not None else self.head.lower()

    @cached_property
    def figures(self) -> set[str]:
        """``figures`` of the head, read once: callers read it and never change it."""
        return figures(self.head)

    @cached_property
    def folded(self) -> str | None:
        """The head lower-cased, when it is ASCII (no letter of it folds to another)."""
        return self.head.lower() if self.head.isascii() else None

    def may_hold(self, needs: tuple[str, ...]) -> bool:
        """Whether a case-insensitive pattern every match of which holds one of ``needs``
        (lower-case) may match the head: where the head holds none, the pattern is not run.
        A head that is not ASCII always may (a letter of it may fold to one of theirs)."""
        folded = self.folded
        if folded is None:
            return True
        for need in needs:  # noqa: SIM110 (a loop, not ``any`` over a generator: 35% faster)
            if need in folded:
                return True
        return False

    def search(self, pattern: re.Pattern[str], folded: re.Pattern[str]) -> tuple[int, int] | None:
        """Where ``pattern`` (case-insensitive) first matches the head: ``folded`` (its
        ``case_sensitive`` copy) searched in ``folded`` text, when there is one."""
        match = (folded.search(self.folded) if self.folded is not None
                 else pattern.search(self.head))
        return None if match is None else match.span()
