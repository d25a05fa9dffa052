"""Checks an editor runs before approving or publishing a panel's takes.

Errors make a take unpublishable (no verdict, no quote, placeholder text); warnings are for the
editor to check: a quote outside the persona's word range, and, one finding per sentence,
claims the product file does not ground (numbers, money, versions and names; see ``claims``).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from panelist.errors import FileFormatError
from panelist.models import Draft, Persona, Product
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

Check = Literal["unreadable", "verdict", "empty", "placeholder", "length", "ungrounded"]
Severity = Literal["error", "warning"]

_PLACEHOLDERS = [
    re.compile(r"\b(?:TODO|TBD|FIXME|XXX|TK)\b"),
    re.compile(r"lorem ipsum|\[(?:insert|add|todo|quote|tk)\b[^\]]*\]|\{\{.*?\}\}|<(?:insert|"
               r"quote|placeholder)[^>]*>|\bplaceholder\b", re.IGNORECASE),
]
class Finding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    product: str
    persona: str
    check: Check
    severity: Severity
    message: str
    claims: list[str] = Field(default_factory=list)
    sentence: str | None = None  # the sentence the claims are in, quoted once
    file: str | None = None  # the draft, relative to the workspace

    @property
    def summary(self) -> str:
        """One line: what is wrong and the text it is about."""
        claims = ", ".join(repr(claim) for claim in self.claims)
        text = f"{self.message}: {claims}" if claims else self.message
        return f"{text} in “{self.sentence}”" if self.sentence else text


class LintReport(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

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
            findings.append(unreadable_finding(product.slug, persona.id, file, exc))
            continue
        if draft is not None:
            checked.append(persona.id)
            findings += lint_draft(product, persona, draft, file=file)
    return LintReport(product=product.slug, checked=checked, findings=findings)


def unreadable_finding(slug: str, persona_id: str, file: str, exc: FileFormatError) -> Finding:
    """A draft that cannot be read is an error of its own (a bad verdict names the fix)."""
    if exc.field == "verdict":
        return Finding(product=slug, persona=persona_id, check="verdict", severity="error",
                       message=f"verdict missing or invalid: {exc} (set 'verdict: ship' or "
                               f"'verdict: skip')", file=file)
    return Finding(product=slug, persona=persona_id, check="unreadable", severity="error",
                   message=str(exc), file=file)


def lint_draft(product: Product, persona: Persona, draft: Draft, *,
               file: str | None = None) -> list[Finding]:
    from panelist.review.claims import ungrounded_by_sentence  # compiled when a take is linted

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
    for group in ungrounded_by_sentence(quote, product_text(product)):
        found.append(Finding(product=product.slug, persona=persona.id, check="ungrounded",
                             severity="warning", message="not in the product file",
                             claims=group.claims, sentence=group.sentence, file=file))
    return found


def placeholder_text(quote: str) -> list[str]:
    return list(dict.fromkeys(m.group(0) for pattern in _placeholder_patterns(quote)
                              for m in pattern.finditer(quote)))


def _placeholder_patterns(quote: str) -> list[re.Pattern[str]]:
    """The patterns that may match ``quote``: each needs a word or a bracket of its own, looked
    for first (most quotes have neither). A text that is not ASCII gets both: a letter may fold
    to another under a case-insensitive match (a dotless i to "i")."""
    if not quote.isascii():
        return _PLACEHOLDERS
    lowered = quote.lower()
    marks = any(mark in quote for mark in _PLACEHOLDER_MARKS)
    return [pattern for pattern, may in zip(_PLACEHOLDERS, (
        any(word in quote for word in _PLACEHOLDER_WORDS),
        marks or "lorem ipsum" in lowered or "placeholder" in lowered), strict=True) if may]


_PLACEHOLDER_WORDS = ("TODO", "TBD", "FIXME", "XXX", "TK")  # the first pattern's words
_PLACEHOLDER_MARKS = ("[", "{{", "<")  # the second's brackets


def product_text(product: Product) -> str:
    """Everything the product file says: front matter values and the description."""
    fields = [product.name, product.tagline, product.category, product.pricing,
              product.license or "", product.url or "", product.description]
    return "\n".join(fields)
