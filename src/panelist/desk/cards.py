"""A persona's card on the panel page, and its JSON form: the draft, its lint findings (with the
flagged words located in the quote), the quality gate's findings on the saved take, its history
with word diffs, and the file's hash.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from panelist.desk.editing import file_hash
from panelist.errors import InputError
from panelist.models import Draft, Persona, Product, Verdict
from panelist.review.approval import approval_blockers
from panelist.review.gate import TakeGate
from panelist.review.lint import Finding, lint_draft
from panelist.review.signoff import EDITED_AFTER_APPROVAL
from panelist.review.views import Seat, TakeColumn, build_takes, changes_since_approval
from panelist.review.worddiff import Segment
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace


class QuotePart(BaseModel):
    """A run of the quote; ``flag`` is set on words a lint finding points at."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    text: str
    flag: str | None = None


class DraftCard(Seat):
    """The review read model's seat (status, edited, who approved and when) plus what the desk
    needs to edit it: the persona's word range, the reasons, lint findings and the file's hash.
    """

    quote_words: tuple[int, int]
    note: str | None = None
    reasons: list[str] = Field(default_factory=list)
    generated_at: datetime | None = None
    hash: str | None = None
    lint: list[Finding] = Field(default_factory=list)
    # edited after approval: the word diff from the approved text (None: the approval kept none)
    since_approval: list[Segment] | None = None
    approved_verdict: Verdict | None = None

    def api_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")

    @property
    def quote_parts(self) -> list[QuotePart]:
        return flag_quote(self.quote, self.lint)

    @property
    def approval_blockers(self) -> list[Finding]:
        """The lint errors that keep Approve from approving the saved quote."""
        return approval_blockers(self.lint)


def build_card(store: DraftStore, product: Product, persona: Persona,
               draft: Draft | None, gate: TakeGate) -> DraftCard:
    seat = Seat.of(persona, draft, store, gate)
    if draft is None:
        return DraftCard(**dict(seat), quote_words=persona.quote_words)
    meta = draft.meta
    return DraftCard(
        **dict(seat), quote_words=persona.quote_words, note=meta.note,
        reasons=list(meta.reasons), generated_at=meta.generated_at, hash=file_hash(draft.path),
        lint=lint_draft(product, persona, draft),
        since_approval=(changes_since_approval(draft) if seat.status == EDITED_AFTER_APPROVAL
                        else None), approved_verdict=meta.approved_verdict)


def build_cards(workspace: Workspace, slug: str) -> list[DraftCard]:
    product = workspace.load_product(slug)
    store = DraftStore(workspace)
    drafts = store.read_all(product.slug)
    gate = TakeGate.of(workspace, product)
    return [build_card(store, product, persona, drafts.get(persona.id), gate)
            for persona in workspace.load_personas().values()]


def build_one_card(workspace: Workspace, slug: str, persona_id: str) -> DraftCard:
    product = workspace.load_product(slug)
    persona = workspace.select_personas([persona_id])[0]
    store = DraftStore(workspace)
    return build_card(store, product, persona, store.read(product.slug, persona.id),
                      TakeGate.of(workspace, product))


def card_history(workspace: Workspace, card: DraftCard, slug: str) -> list[TakeColumn]:
    """Every take and saved editor version, newest first, each diffed against the one before."""
    if card.status == "missing":
        return []
    try:
        return list(reversed(build_takes(workspace, slug, card.persona).takes))
    except InputError:  # a draft whose history folder was deleted: nothing to list
        return []


def flag_quote(quote: str, findings: list[Finding]) -> list[QuotePart]:
    """The quote cut into plain runs and runs a finding flagged (its claims, found as words)."""
    spans: list[tuple[int, int, str]] = []
    for finding in findings:
        for claim in finding.claims:
            pattern = re.compile(rf"(?<!\w){re.escape(claim)}(?!\w)")
            spans += [(m.start(), m.end(), finding.message) for m in pattern.finditer(quote)]
    parts: list[QuotePart] = []
    cursor = 0
    for start, end, message in sorted(spans):
        if start < cursor:
            continue  # overlaps a span already flagged
        if start > cursor:
            parts.append(QuotePart(text=quote[cursor:start]))
        parts.append(QuotePart(text=quote[start:end], flag=message))
        cursor = end
    if cursor < len(quote):
        parts.append(QuotePart(text=quote[cursor:]))
    return parts
