"""The quality gate: cheap, deterministic checks that a take reads as a reviewer's prose.

Every backend's takes pass through ``assess_quote``. Findings, one per failed check:

- ``babble``: too few real English words. A word is real if the ``wordfreq`` English list knows
  it (a maintained list built from Wikipedia, subtitles, news, books and the web) and it is not
  much more common in French, Spanish or German (the small model drifts into French that the
  big English list, with its loanwords and names, would half accept), or if the product's own
  text uses it, so product names and jargon from the description count;
- ``number-salad``: runs of numbers and dates, or too many of them;
- ``repetition``: the same phrase (a word 4-gram) over and over;
- ``all-caps``: runs of ALL-CAPS words, the small model's made-up acronyms;
- ``contradiction``: the quote argues against its own verdict ("should not use" under a ship);
- ``reader-address``: the quote tells the reader what to do ("you should"), which the house
  rules forbid;
- ``prompt-echo``: the quote copies a run of words from its own prompt ("Lens: Developer
  experience: the core primitive...") instead of reviewing.

The thresholds were set on the reference page's quotes (all pass) and on babble the bundled
model really wrote (tests/fixtures/quality/). On the local backend the gate picks the best of a
few draws; on Claude its findings are the message of the one re-ask; a take that still fails
lands with a ``quality`` entry in its front matter, never silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from panelist.models import Verdict

Check = Literal["babble", "number-salad", "repetition", "all-caps", "contradiction",
                "reader-address", "prompt-echo"]

MIN_REAL_WORD_SHARE = 0.85
MAX_NUMBER_SHARE = 0.15
MAX_NUMBER_RUN = 3  # "3.1 8B" is a model name; "10, 3.25, 4.75, 6.8" is salad
MAX_DIGITS_IN_A_WORD = 8  # "$27,000,000" fits; "p32.84,tc-01579687211240" does not
MAX_PHRASE_REPEATS = 2  # a 4-word phrase may come back once
MAX_CAPS_RUN = 2  # "AI SDK" is fine; "QVAC FABRIC CORE SYSTEM" is not
MAX_CAPS_SHARE = 0.15
ECHO_WORDS = 8  # this many words in a row from the prompt is copying, not quoting
OTHER_LANGUAGES = ("fr", "es", "de")
FOREIGN_MARGIN = 1.0  # Zipf units: "la", "que", "est" are far more French than English

_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_DIGIT = re.compile(r"\d")
_CAPS = re.compile(r"^[^A-Za-z]*[A-Z0-9][A-Z0-9&/+-]*[A-Z][A-Z0-9&/+-]*[^A-Za-z]*$")
_READER_ADDRESS = re.compile(
    r"\byou(?:['\u2019]d| would)? (?:should|must|ought to|need to|['\u2019]d better)\b",
    re.IGNORECASE)
# Phrases that argue for the other call. Lexical, so only unambiguous ones: "not for
# production" can sit in a fair ship quote; "should not use" cannot.
_AGAINST: dict[Verdict, re.Pattern[str]] = {
    "ship": re.compile(
        r"\b(?:(?:should|would|do|does|could|can)(?: not|n['\u2019]t)|cannot|never) "
        r"(?:use|adopt|ship|buy|try|recommend|trust|bother)\b"
        r"|\b(?:skip (?:it|this)|pass on (?:it|this)|stay away|avoid (?:it|this)|"
        r"(?:is|isn['\u2019]t|are|not) (?:yet )?(?:not )?ready for (?:production|use)|"
        r"not worth (?:it|adopting|using|the)|I['\u2019]d skip|I would skip|I skip)\b"
        r"|\b(?:call|verdict)(?: is| here is)?[:\s]+skip\b", re.IGNORECASE),
    "skip": re.compile(
        r"\b(?:ship it|I['\u2019]d ship|I would ship|I ship|must[- ]have|highly recommend|"
        r"I recommend (?:it|this|using|adopting)|go for it|(?:should|must) (?:use|adopt|try|"
        r"buy) (?:it|this)|worth adopting now)\b"
        r"|\b(?:call|verdict)(?: is| here is)?[:\s]+ship\b", re.IGNORECASE),
}


@dataclass(frozen=True)
class Finding:
    check: Check
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


@dataclass(frozen=True)
class Assessment:
    """The gate's findings on one quote, and the figures ``rank`` orders draws by."""

    findings: tuple[Finding, ...]
    real_word_share: float

    @property
    def passed(self) -> bool:
        return not self.findings

    @property
    def flags(self) -> list[str]:
        """The ``quality`` front-matter entry: one line per finding."""
        return [str(finding) for finding in self.findings]

    def problem(self) -> str:
        """The findings as one re-ask message for the model."""
        return "the quote failed the quality checks: " + "; ".join(self.flags)

    @property
    def rank(self) -> tuple[int, float]:
        """Bigger is better: fewer findings, then more real words."""
        return (-len(self.findings), self.real_word_share)


def load_word_lists() -> None:
    """Load wordfreq's lists now (about a second), so the first take's check does not stall
    the calls running beside it."""
    from wordfreq import zipf_frequency

    zipf_frequency("word", "en", wordlist="large")
    for language in OTHER_LANGUAGES:
        zipf_frequency("word", language, wordlist="small")


@cache
def _english_share(word: str) -> bool:
    """Whether wordfreq knows ``word`` as English and not as much more common elsewhere.
    wordfreq loads its lists on first use (about a second), never at import."""
    from wordfreq import zipf_frequency

    english = zipf_frequency(word, "en", wordlist="large")
    if english == 0:
        return False
    elsewhere = max(zipf_frequency(word, language, wordlist="small")
                    for language in OTHER_LANGUAGES)
    return english >= elsewhere - FOREIGN_MARGIN


def known_words(texts: Iterable[str]) -> frozenset[str]:
    """The words of ``texts`` (the product's own text), counted as real: lower-cased, plus the
    ALL-CAPS ones as written, which are names (QVAC, OCR) rather than shouting."""
    words = [word for text in texts for word in _WORD.findall(text)]
    return frozenset([word.lower() for word in words]
                     + [word for word in words if word.isupper() and len(word) > 1])


def is_real_word(word: str, extra: frozenset[str] = frozenset()) -> bool:
    lowered = word.lower().replace("\u2019", "'")
    if lowered in extra or _english_share(lowered):
        return True
    # possessives and contractions wordfreq splits off: "Anthropic's", "doesn't"
    stem = re.sub(r"'(?:s|t|d|ll|re|ve|m)$", "", lowered)
    return stem in extra or _english_share(stem)


def assess_quote(quote: str, verdict: Verdict, known: frozenset[str] = frozenset(),
                 prompt: str = "") -> Assessment:
    """Every check on one quote; ``known`` are words the product's own text uses, ``prompt``
    the text the model was given."""
    tokens = _TOKEN.findall(quote)
    words = _WORD.findall(quote)
    real_share = (sum(is_real_word(word, known) for word in words) / len(words)) if words else 0.0
    findings = [finding for finding in (
        _babble(real_share, words),
        _number_salad(tokens),
        _repetition(words),
        _all_caps(tokens, known),
        _contradiction(quote, verdict),
        _reader_address(quote),
        _prompt_echo(words, prompt),
    ) if finding is not None]
    return Assessment(tuple(findings), round(real_share, 3))


def _babble(real_share: float, words: list[str]) -> Finding | None:
    if words and real_share >= MIN_REAL_WORD_SHARE:
        return None
    return Finding("babble", f"only {real_share:.0%} of its words are English words or the "
                             f"product's own (needs {MIN_REAL_WORD_SHARE:.0%})")


def _number_salad(tokens: list[str]) -> Finding | None:
    numeric = [bool(_DIGIT.search(token)) for token in tokens]
    share = sum(numeric) / len(tokens) if tokens else 0.0
    run = _longest_run(numeric)
    garbled = next((token for token in tokens
                    if len(_DIGIT.findall(token)) > MAX_DIGITS_IN_A_WORD), None)
    if garbled is not None:
        return Finding("number-salad", f"'{garbled[:30]}' is a string of digits, not a word")
    if run > MAX_NUMBER_RUN:
        return Finding("number-salad", f"a run of {run} numbers or dates in a row")
    if share > MAX_NUMBER_SHARE:
        return Finding("number-salad", f"{share:.0%} of its words are numbers or dates")
    return None


def _repetition(words: list[str]) -> Finding | None:
    lowered = [word.lower() for word in words]
    grams = Counter(tuple(lowered[i:i + 4]) for i in range(len(lowered) - 3))
    if not grams:
        return None
    phrase, times = grams.most_common(1)[0]
    if times <= MAX_PHRASE_REPEATS:
        return None
    return Finding("repetition", f"'{' '.join(phrase)}' comes {times} times")


def _all_caps(tokens: list[str], known: frozenset[str]) -> Finding | None:
    # An ALL-CAPS word the product's text writes so (QVAC, OCR) is a name, not babble.
    caps = [bool(_CAPS.match(token)) and token.strip(".,;:!?()'\"") not in known
            and len(re.sub(r"[^A-Za-z]", "", token)) >= 2 for token in tokens]
    run = _longest_run(caps)
    share = sum(caps) / len(tokens) if tokens else 0.0
    if run > MAX_CAPS_RUN:
        return Finding("all-caps", f"a run of {run} ALL-CAPS words")
    if share > MAX_CAPS_SHARE:
        return Finding("all-caps", f"{share:.0%} of its words are ALL-CAPS")
    return None


def _contradiction(quote: str, verdict: Verdict) -> Finding | None:
    match = _AGAINST[verdict].search(quote)
    if match is None:
        return None
    return Finding("contradiction", f"the verdict is {verdict} but the quote says "
                                    f"'{match.group(0)}'")


def _reader_address(quote: str) -> Finding | None:
    match = _READER_ADDRESS.search(quote)
    if match is None:
        return None
    return Finding("reader-address", f"'{match.group(0)}' addresses the reader; say it in the "
                                     f"reviewer's own voice")


def _prompt_echo(words: list[str], prompt: str) -> Finding | None:
    if not prompt or len(words) < ECHO_WORDS:
        return None
    source = " " + " ".join(_WORD.findall(prompt)).lower() + " "
    lowered = [word.lower() for word in words]
    for start in range(len(lowered) - ECHO_WORDS + 1):
        run = " ".join(lowered[start:start + ECHO_WORDS])
        if f" {run} " in source:
            return Finding("prompt-echo", f"'{' '.join(words[start:start + ECHO_WORDS])}...' "
                                          f"is copied from the prompt")
    return None


def summarize(findings: list[str] | None) -> str:
    """A ``quality`` entry as the failed checks' names ("babble, all-caps")."""
    return ", ".join(finding.split(":", 1)[0] for finding in findings or [])


def _longest_run(flags: list[bool]) -> int:
    longest = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        longest = max(longest, current)
    return longest


# ------------------------------------------------------------------------------------------
# The gate as review/ calls it: a take (quote and reasons) judged in its product's context.
# SHIM until the new gate lands: it wraps ``assess_quote`` above. On merge, replace this whole
# block (imports included) with the gate's own ``GateContext``, ``context_for``, ``assess_take``.
# ------------------------------------------------------------------------------------------
from collections.abc import Sequence  # noqa: E402

from panelist.models import Persona, Product  # noqa: E402


@dataclass(frozen=True)
class GateContext:
    """What the gate needs to know about a take besides its text."""

    product_name: str
    product_text: str  # name + tagline + description (+ pricing etc.)
    other_products: tuple[str, ...] = ()  # names of the catalogue's other products
    brief: str = ""  # the persona's own brief (its prompt file's body)
    prompt: str = ""


def context_for(product: Product, persona: Persona | None, others: Sequence[str] = (),
                prompt: str = "") -> GateContext:
    text = "\n".join([product.name, product.tagline, product.description, product.category,
                      product.pricing])
    return GateContext(product_name=product.name, product_text=text,
                       other_products=tuple(name for name in others if name != product.name),
                       brief=persona.brief if persona is not None else "", prompt=prompt)


@cache
def _known_in(product_text: str) -> frozenset[str]:
    return known_words([product_text])


# What makes sense on a reason: a reason may concede or advise (no contradiction or
# reader-address) and is short (no repetition).
_REASON_CHECKS = frozenset({"babble", "number-salad", "all-caps", "prompt-echo"})


def assess_take(quote: str, reasons: Sequence[str], verdict: str,
                context: GateContext) -> Assessment:
    """The quote's findings, then the reasons' (each marked as being in the reasons)."""
    known = _known_in(context.product_text)
    echoed = " ".join(part for part in (context.prompt, context.brief) if part)
    call: Verdict = "skip" if verdict.strip().lower() == "skip" else "ship"
    judged = assess_quote(quote, call, known, echoed)
    findings = list(judged.findings)
    if reasons:
        on_reasons = assess_quote(" ".join(reasons), call, known, echoed)
        findings += [Finding(found.check, f"in the reasons, {found.message}")
                     for found in on_reasons.findings if found.check in _REASON_CHECKS]
    return Assessment(tuple(findings), judged.real_word_share)
