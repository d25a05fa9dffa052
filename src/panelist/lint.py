"""Checks an editor runs before approving or publishing a panel's takes.

Errors make a take unpublishable (no verdict, no quote, placeholder text); warnings are for the
editor to check: a quote outside the persona's word range, and claims the product file does not
ground: numbers, money amounts, versions and proper names that appear nowhere in it.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from panelist.drafts import DraftStore
from panelist.errors import FileFormatError
from panelist.models import Draft, Persona, Product
from panelist.workspace import Workspace

Check = Literal["unreadable", "verdict", "empty", "placeholder", "length", "ungrounded"]
Severity = Literal["error", "warning"]

_PLACEHOLDERS = [
    re.compile(r"\b(?:TODO|TBD|FIXME|XXX|TK)\b"),
    re.compile(r"lorem ipsum|\[(?:insert|add|todo|quote|tk)\b[^\]]*\]|\{\{.*?\}\}|<(?:insert|"
               r"quote|placeholder)[^>]*>|\bplaceholder\b", re.IGNORECASE),
]
_MULTIPLIERS = {"k": "k", "thousand": "k", "m": "m", "mn": "m", "million": "m", "b": "b",
                "bn": "b", "billion": "b", "t": "t", "tn": "t", "trillion": "t"}
_MONEY = re.compile(r"[$€£¥]\s?(\d[\d,]*(?:\.\d+)?)\s?(k|mn?|bn?|tn?|thousand|million|billion|"
                    r"trillion)?\b\+?", re.IGNORECASE)
_VERSION = re.compile(r"(?<![\w.])v(\d+(?:\.\d+)*)\b|(?<![\w.])(\d+\.\d+\.\d+(?:\.\d+)*)\b",
                      re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,$€£¥])(\d[\d,]*(?:\.\d+)?)(?:\s?%|[a-zA-Z]{1,2}\b)?")
_WORD = re.compile("[A-Za-z0-9][A-Za-z0-9.+&'\u2019-]*[A-Za-z0-9+]|[A-Za-z]")
_POSSESSIVE = re.compile("['\u2019]s?$")
_OPENERS = "\"'(\u201c\u2018"
# Capitalised words that are not claims about a product: the pronoun, and the trade's acronyms.
_NOT_NAMES = frozenset([
    "I", "I'd", "I'm", "I've", "I'll", "AI", "API", "APIs", "SDK", "SDKs", "CLI", "UI", "UX",
    "LLM", "LLMs", "GPU", "GPUs", "CPU", "CPUs", "OS", "ML", "DX", "ROI", "SaaS", "B2B", "B2C",
    "OSS", "P2P", "IDE", "JSON", "HTTP", "REST", "TTS", "STT", "OCR", "MVP", "PR", "CTO", "CEO",
    "VC", "VCs", "TAM", "KV", "RAM", "FAQ", "TODO", "TBD", "FIXME", "XXX", "TK",
])
# Words that open sentences; any other capitalised first word joins a name that follows it.
_STARTERS = frozenset([
    "A", "An", "And", "Any", "As", "At", "But", "By", "Each", "Every", "For", "From", "Here",
    "How", "If", "In", "It", "Its", "Like", "No", "Not", "Of", "On", "Once", "Or", "So", "Some",
    "That", "The", "Then", "There", "These", "This", "Those", "To", "Unlike", "Until", "What",
    "When", "Where", "While", "Who", "Why", "With", "Without", "Yet",
])


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    product: str
    persona: str
    check: Check
    severity: Severity
    message: str
    claims: list[str] = Field(default_factory=list)
    file: str | None = None  # the draft, relative to the workspace

    @property
    def summary(self) -> str:
        """One line: what is wrong and the text it is about."""
        claims = ", ".join(repr(claim) for claim in self.claims)
        return f"{self.message}: {claims}" if claims else self.message


class LintReport(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    product: str
    checked: list[str]
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def lint_product(workspace: Workspace, product_ref: str,
                 persona_ids: list[str] | None = None) -> LintReport:
    """Lint the current draft of each persona on the panel (or of the ones named)."""
    product = workspace.load_product(product_ref)
    store = DraftStore(workspace)
    checked, findings = [], []
    for persona in workspace.select_personas(persona_ids):
        file = workspace.relative(workspace.draft_path(product.slug, persona.id))
        try:
            draft = store.read(product.slug, persona.id)
        except FileFormatError as exc:
            checked.append(persona.id)
            findings.append(_unreadable(product.slug, persona.id, file, exc))
            continue
        if draft is not None:
            checked.append(persona.id)
            findings += lint_draft(product, persona, draft, file=file)
    return LintReport(product=product.slug, checked=checked, findings=findings)


def _unreadable(slug: str, persona_id: str, file: str, exc: FileFormatError) -> Finding:
    if exc.field == "verdict":
        return Finding(product=slug, persona=persona_id, check="verdict", severity="error",
                       message=f"verdict missing or invalid: {exc} (set 'verdict: ship' or "
                               f"'verdict: skip')", file=file)
    return Finding(product=slug, persona=persona_id, check="unreadable", severity="error",
                   message=str(exc), file=file)


def lint_draft(product: Product, persona: Persona, draft: Draft, *,
               file: str | None = None) -> list[Finding]:
    def finding(check: Check, severity: Severity, message: str,
                claims: list[str] | None = None) -> Finding:
        return Finding(product=product.slug, persona=persona.id, check=check, severity=severity,
                       message=message, claims=claims or [], file=file)

    quote = draft.quote
    if not quote.strip():
        return [finding("empty", "error", "the quote is empty: write one or run 'panelist redo'")]
    found = []
    if placeholders := placeholder_text(quote):
        found.append(finding("placeholder", "error",
                             "placeholder text left in the quote", placeholders))
    low, high = persona.quote_words
    words = len(quote.split())
    if not low <= words <= high:
        found.append(finding("length", "warning",
                             f"{words} words; the {persona.id} persona's range is {low}-{high}"))
    if claims := ungrounded_claims(quote, product_text(product)):
        found.append(finding("ungrounded", "warning",
                             "not in the product file; check these against the source",
                             claims))
    return found


def placeholder_text(quote: str) -> list[str]:
    return list(dict.fromkeys(m.group(0) for pattern in _PLACEHOLDERS
                              for m in pattern.finditer(quote)))


def product_text(product: Product) -> str:
    """Everything the product file says: front matter values and the description."""
    fields = [product.name, product.tagline, product.category, product.pricing,
              product.license or "", product.url or "", product.description]
    return "\n".join(fields)


def ungrounded_claims(quote: str, source: str) -> list[str]:
    """Numbers, money, versions and proper names in ``quote`` that ``source`` never mentions."""
    source_numbers = {_number_key(m.group(1)) for m in _NUMBER.finditer(source)}
    source_numbers |= {_number_key(m.group(1)) for m in _MONEY.finditer(source)}
    source_numbers |= {_number_key(m.group(1) or m.group(2)) for m in _VERSION.finditer(source)}
    source_money = {_money_key(m) for m in _MONEY.finditer(source)}
    source_words = {_word_key(m.group(0)) for m in _WORD.finditer(source)}
    ungrounded: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []

    def claim(span: tuple[int, int], grounded: bool) -> None:
        # Earlier patterns win: "$27B" is one money claim, not also the number 27.
        if any(start < span[1] and span[0] < end for start, end in taken):
            return
        taken.append(span)
        if not grounded:
            ungrounded.append((span[0], quote[span[0]:span[1]].strip()))

    for m in _MONEY.finditer(quote):
        key = _money_key(m)
        claim(m.span(), key in source_money or (key[1] == "" and key[0] in source_numbers))
    for m in _VERSION.finditer(quote):
        claim(m.span(), _number_key(m.group(1) or m.group(2)) in source_numbers)
    for m in _NUMBER.finditer(quote):
        claim(m.span(), _number_key(m.group(1)) in source_numbers)
    for start, end, words in _names(quote):
        claim((start, end), all(_grounded_word(word, source_words) for word in words))
    return list(dict.fromkeys(text for _, text in sorted(ungrounded)))


def _names(text: str) -> list[tuple[int, int, list[str]]]:
    """Runs of capitalised words that are not just the first word of a sentence."""
    runs: list[tuple[int, int, list[str]]] = []
    opener: tuple[int, str] | None = None  # a capitalised first word that may start a name
    for m in _WORD.finditer(text):
        word = _POSSESSIVE.sub("", m.group(0))
        starts = _starts_sentence(text, m.start())
        if not _is_name(word, starts):
            capitalised = word[0].isupper() and word not in _STARTERS | _NOT_NAMES
            opener = (m.start(), word) if starts and capitalised else None
            continue
        if runs and text[runs[-1][1]:m.start()] == " ":
            start, _, words = runs[-1]
            runs[-1] = (start, m.start() + len(word), [*words, word])
        elif opener and text[opener[0] + len(opener[1]):m.start()] == " ":
            runs.append((opener[0], m.start() + len(word), [opener[1], word]))
        else:
            runs.append((m.start(), m.start() + len(word), [word]))
        opener = None
    return runs


def _is_name(word: str, sentence_start: bool) -> bool:
    if word in _NOT_NAMES or not word[0].isalpha():
        return False
    inner_capital = any(c.isupper() for c in word[1:])
    return inner_capital or (word[0].isupper() and not sentence_start)


def _starts_sentence(text: str, index: int) -> bool:
    before = text[:index].rstrip().rstrip(_OPENERS)
    return not before or before[-1] in ".!?:"


def _number_key(number: str) -> str:
    plain = number.replace(",", "")
    return plain.rstrip("0").rstrip(".") if "." in plain else plain


def _money_key(match: re.Match[str]) -> tuple[str, str]:
    return _number_key(match.group(1)), _MULTIPLIERS.get((match.group(2) or "").lower(), "")


def _grounded_word(word: str, source_words: set[str]) -> bool:
    """A hyphenated name ("Claude-family") is grounded when its capitalised parts are."""
    if _word_key(word) in source_words:
        return True
    parts = [part for part in word.split("-") if part != part.lower()]
    return "-" in word and all(_word_key(part) in source_words for part in parts)


def _word_key(word: str) -> str:
    return _POSSESSIVE.sub("", word).lower()
