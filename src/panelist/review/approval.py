"""Approving takes, and what approvals say about each persona and model: the edit ratio.

Approving records how much of the generated quote the editor changed first (words changed over
words, see ``worddiff.edit_ratio``). Across many approvals that is the honest measure of which
personas and models draft well: a persona whose takes are always rewritten needs a better brief.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from panelist.errors import InputError
from panelist.models import Verdict
from panelist.review.lint import placeholder_text
from panelist.review.views import generated_take
from panelist.review.worddiff import edit_ratio
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

StatsKey = Literal["persona", "model"]
ApprovalOutcome = Literal["approved", "re-approved", "already approved"]


class Approval(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    product: str
    persona: str
    take: int
    verdict: Verdict
    verdict_changed: bool | None
    edit_ratio: float | None
    outcome: ApprovalOutcome


class StatsRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    approved: int
    edited: int
    mean_edit_ratio: float | None
    median_edit_ratio: float | None
    max_edit_ratio: float | None
    verdict_flips: int


def approve_takes(workspace: Workspace, product_ref: str, persona_ids: list[str] | None,
                  *, now: datetime | None = None) -> list[Approval]:
    """Mark the current drafts approved, keeping each quote exactly as the editor left it."""
    slug = workspace.product_path(product_ref).stem
    store = DraftStore(workspace)
    drafts = store.read_all(slug)
    if persona_ids:
        personas = [p.id for p in workspace.select_personas(persona_ids)]
        missing = [pid for pid in personas if pid not in drafts]
        if missing:
            raise InputError(f"No draft for {slug} / {', '.join(missing)} to approve: run "
                             f"'panelist draft {slug} --persona {missing[0]}' first")
    else:
        personas = list(drafts)
        if not personas:
            raise InputError(f"No drafts for {slug} yet: run 'panelist draft {slug}' first")
    unpublishable = [f"{pid} ({_unpublishable(drafts[pid].quote)})" for pid in personas
                     if _unpublishable(drafts[pid].quote)]
    if unpublishable:
        raise InputError(f"Not approved, the quote is not publishable: {', '.join(unpublishable)}"
                         f". Fix the draft in drafts/{slug}/ or run 'panelist redo', then "
                         f"approve again")
    stamp = now or datetime.now(UTC).replace(microsecond=0)
    approvals = []
    for persona_id in personas:
        draft = drafts[persona_id]
        generated = generated_take(store, draft)
        ratio = None if generated is None else edit_ratio(generated.quote, draft.quote)
        flipped = None if generated is None else generated.meta.verdict != draft.meta.verdict
        meta = draft.meta
        outcome: ApprovalOutcome = "approved"
        if meta.status == "approved":
            # Approving again after editing an approved quote records the new edit ratio.
            outcome = "already approved" if meta.edit_ratio == ratio else "re-approved"
        if outcome != "already approved":
            meta = meta.model_copy(update={"status": "approved", "draft": False,
                                           "approved_at": stamp, "edit_ratio": ratio})
            store.update_meta(draft, meta)
        approvals.append(Approval(product=slug, persona=persona_id, take=meta.take,
                                  verdict=meta.verdict, verdict_changed=flipped,
                                  edit_ratio=ratio, outcome=outcome))
    return approvals


def _unpublishable(quote: str) -> str | None:
    if not quote.strip():
        return "empty"
    found = placeholder_text(quote)
    return f"placeholder {found[0]!r}" if found else None


def stats_keys(requested: list[str] | None) -> list[StatsKey]:
    """The groupings asked for with --by (default: both), checked."""
    keys: list[StatsKey] = []
    for key in requested or ["persona", "model"]:
        if key not in ("persona", "model"):
            raise InputError(f"--by {key}: group by 'persona' or 'model'")
        keys.append("persona" if key == "persona" else "model")
    return list(dict.fromkeys(keys))


def stats_rows(workspace: Workspace, by: StatsKey, product_ref: str | None = None
               ) -> list[StatsRow]:
    """Edit ratios of approved takes, grouped by persona or by the model that drafted them."""
    store = DraftStore(workspace)
    slugs = ([workspace.product_path(product_ref).stem] if product_ref
             else workspace.drafted_products())
    ratios: dict[str, list[float]] = defaultdict(list)
    approved: dict[str, int] = defaultdict(int)
    flips: dict[str, int] = defaultdict(int)
    for slug in slugs:
        for draft in store.read_all(slug).values():
            if draft.meta.status != "approved":
                continue
            key = draft.meta.persona if by == "persona" else draft.meta.model
            approved[key] += 1
            if draft.meta.edit_ratio is not None:
                ratios[key].append(draft.meta.edit_ratio)
            generated = generated_take(store, draft)
            if generated is not None and generated.meta.verdict != draft.meta.verdict:
                flips[key] += 1
    return [_stats_row(key, approved[key], ratios[key], flips[key]) for key in sorted(approved)]


def _stats_row(key: str, approved: int, ratios: list[float], flips: int) -> StatsRow:
    return StatsRow(
        key=key, approved=approved, edited=sum(1 for r in ratios if r > 0),
        mean_edit_ratio=round(statistics.fmean(ratios), 4) if ratios else None,
        median_edit_ratio=round(statistics.median(ratios), 4) if ratios else None,
        max_edit_ratio=max(ratios) if ratios else None, verdict_flips=flips)
