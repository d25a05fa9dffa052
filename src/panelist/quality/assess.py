"""The gate: every check on a take's quote and reasons, and the assessment they make."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from panelist.quality import (
    babble,
    borrowed,
    elsewhere,
    form,
    salad,
    stance,
    substance,
    undescribed,
    voice,
    words,
)
from panelist.quality.calls import Call, explicit_calls
from panelist.quality.context import GateContext, Profile, profile
from panelist.quality.findings import Finding
from panelist.quality.words import Text, normalize


@dataclass(frozen=True)
class Assessment:
    """The gate's findings on one take, and the figures ``rank`` orders draws by."""

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
        return "the take failed the quality checks: " + "; ".join(self.flags)

    @property
    def rank(self) -> tuple[int, float]:
        """Bigger is better: fewer findings, then more real words."""
        return (-len(self.findings), self.real_word_share)


def assess_take(quote: str, reasons: Sequence[str], verdict: str,
                context: GateContext) -> Assessment:
    """Every check on one take: the quote's, then the same checks on the reasons."""
    facts = profile(context)
    call = _call_of(verdict)
    text = Text(quote)
    share = babble.real_word_share(text, facts.known)
    findings = _first_per_check([
        Finding("verdict", f"'{verdict}' is not ship or skip") if call is None else None,
        *_quote_checks(text, share, facts, context),
        stance.contradiction(text, call) if call is not None else None,
    ])
    if reasons:
        findings += [finding.in_reasons() for finding in _first_per_check(
            _reasons_checks(list(reasons), text, facts, context, call))]
    return Assessment(tuple(findings), round(share, 3))


def _quote_checks(text: Text, share: float, facts: Profile, context: GateContext
                  ) -> Iterable[Finding | None]:
    if len(text.raw) > Text.LIMIT:
        yield Finding("babble", f"it is {len(text.raw):,} characters long: no quote is")
    yield form.control_chars(text)
    yield form.leak(text, context.product_text)
    yield voice.chat_wrapper(text)
    yield voice.maker_voice(text)
    yield voice.prompt_echo(text, facts)
    yield voice.reader_address(text)
    yield form.truncated(text, known=facts.known)
    yield babble.babble(text, share, facts.known)
    yield salad.number_salad(text)
    yield form.all_caps(text, facts.known)
    yield babble.repetition(text)
    if context.product_text:
        found = substance.anchors(text, facts)  # the product's facts it names: read once
        wrong = (elsewhere.wrong_product(text, facts, context.product_name or "this product",
                                         found, context.product_text)
                 or borrowed.borrowed_facts(text, facts, found, context))
        name = context.product_name or "this product"
        yield (wrong or substance.filler(text, facts, found)
               or undescribed.undescribed(text, facts, found, name, context.product_text)
               or substance.press_release(text))
        yield substance.invented_fact(text, context.product_text)


def _said(quote: Text, known: frozenset[str]) -> Iterator[str]:
    """The quote's words and the product's, read only where a note ends on a fragment."""
    yield from (normalize(word) for word in quote.words)
    yield from known


def _call_of(verdict: object) -> Call | None:
    """"Ship", " skip " and "SHIP" are calls; anything else is not."""
    lowered = verdict.strip().lower() if isinstance(verdict, str) else ""
    return "ship" if lowered == "ship" else "skip" if lowered == "skip" else None


LONG_REASON_WORDS = 14
_A_PARTS_DOUBT = re.compile(r"(?:hard|difficult|struggle) to\b", re.IGNORECASE)


def _reasons_checks(reasons: list[str], quote: Text, facts: Profile, context: GateContext,
                    call: Call | None) -> Iterable[Finding | None]:
    text = Text(" ".join(reasons))
    yield form.control_chars(text)
    yield form.leak(text, context.product_text, notes=True)
    yield voice.chat_wrapper(text)
    yield voice.maker_voice(text)
    yield voice.prompt_echo(text, facts, against_prompt=False)
    yield voice.reader_address(text, orders=False)
    yield substance.unsupported_number(text.head, quote.raw, context.product_text)
    notes = Text(words.as_sentences(reasons))
    if context.product_text:
        name = context.product_name or "this product"
        found = substance.anchors(notes, facts)  # read once: two checks below read it
        yield (elsewhere.reasons_elsewhere(notes, quote, facts, name, found)
               or elsewhere.reasons_name_another(notes, quote, facts, name)
               or borrowed.borrowed_facts(notes, facts, found, context))
    each = [Text(reason) for reason in reasons]  # read once: two checks below read each
    for one in each:
        yield form.truncated(one, needs_stop=False, known=facts.known)
        yield form.cut_from(one, _said(quote, facts.known))
    yield substance.rambling_reason(reasons)
    yield substance.stock_reasons(reasons)
    yield substance.reads_as_filler(text)  # "It's a strong product overall"
    yield babble.babble(text, babble.real_word_share(text, facts.known), facts.known,
                        rhythm=False) or babble.broken_pairs(notes)
    for long in each:  # a reason is a phrase; only a long one must read as a sentence
        if len(long.words) >= LONG_REASON_WORDS:
            yield babble.babble(long, babble.real_word_share(long, facts.known), facts.known)
    yield salad.number_salad(text)
    yield form.all_caps(text, facts.known)
    yield babble.repetition(text)
    if call is not None:
        other: Call = "skip" if call == "ship" else "ship"
        calls = explicit_calls(notes.head)  # read, never changed: read_calls keeps it
        # "Individual plan hard to justify": a reason's doubt about one part, not a call
        against = [phrase for phrase in calls[other] if not _A_PARTS_DOUBT.match(phrase)]
        if against and not calls[call]:
            yield Finding("contradiction", f"the verdict is {call} but they say "
                                           f"'{against[0]}'")


def _first_per_check(findings: Iterable[Finding | None]) -> list[Finding]:
    kept: dict[str, Finding] = {}
    for finding in findings:
        if finding is not None and finding.check not in kept:
            kept[finding.check] = finding
    return list(kept.values())


def load_word_lists() -> None:
    """Load the word lists and the sentiment lexicon now (about a second), so the first
    take's check does not stall the calls running beside it."""
    words.load_word_lists()
    stance.load_lexicon()


def assess_quote(quote: str, verdict: str, known: frozenset[str] = frozenset(),
                 prompt: str = "") -> Assessment:
    """The quote alone, against the product's words (``known``) and the prompt: for callers
    that have no product at hand. ``assess_take`` is the full gate."""
    context = GateContext("", " ".join(sorted(known)), prompt=prompt)
    return assess_take(quote, (), verdict, context)


def summarize(findings: list[str] | None) -> str:
    """A ``quality`` entry as the failed checks' names ("babble, all-caps")."""
    return ", ".join(dict.fromkeys(finding.split(":", 1)[0] for finding in findings or []))


