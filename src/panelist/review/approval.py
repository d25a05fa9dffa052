"""Approving takes, and what approvals say about each persona and model: the edit ratio.

An approval is bound to the verdict and quote it approved, and names who approved and when
(see ``signoff``); takes with lint errors are not approved unless the editor insists. Nor are
takes the quality gate flags as they stand now (``gate``): the editor rewrites them, which clears
the flag, or approves them anyway, and that override is recorded with the approval.
Approving also records how much of the generated quote the editor changed first (words changed over
words, see ``worddiff.edit_ratio``). Across many approvals that is the honest measure of which
personas and models draft well: a persona whose takes are always rewritten needs a better brief.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from panelist.errors import InputError, QualityFlaggedError
from panelist.models import Draft, Persona, Verdict
from panelist.review.catalogue import approved_takes
from panelist.review.gate import TakeGate
from panelist.review.lint import Finding, lint_draft
from panelist.review.signoff import (
    EDITED_AFTER_APPROVAL,
    UNSIGNED,
    ReviewStatus,
    approver_name,
    review_status,
    signed_meta,
)
from panelist.review.views import Seat, generated_take
from panelist.review.worddiff import edit_ratio
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

StatsKey = Literal["persona", "model"]
ApprovalOutcome = Literal["approved", "re-approved", "already approved"]
UnapprovalOutcome = Literal["unapproved", "was not approved"]
FIRST_WORDS = 8
_OUTCOMES: dict[ReviewStatus, ApprovalOutcome] = {
    "draft": "approved", "approved": "already approved", EDITED_AFTER_APPROVAL: "re-approved"}


class Approval(BaseModel):
    """One approved take as the editor should see it before trusting the approval."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    product: str
    persona: str
    take: int
    verdict: Verdict
    verdict_changed: bool | None
    edit_ratio: float | None
    outcome: ApprovalOutcome
    approved_by: str | None
    approved_at: datetime | None
    first_words: str
    findings: list[Finding]
    quality: list[str]  # the quality gate's findings on the take as approved
    quality_allowed: bool  # approved over them, on the editor's word (--allow-quality)


class Unapproval(BaseModel):
    """One take sent back to draft, and whose approval it was."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    product: str
    persona: str
    take: int
    verdict: Verdict
    outcome: UnapprovalOutcome
    was_approved_by: str | None
    was_approved_at: datetime | None
    first_words: str


class StatsRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    key: str
    approved: int
    edited: int
    mean_edit_ratio: float | None
    median_edit_ratio: float | None
    max_edit_ratio: float | None
    verdict_flips: int


def approve_takes(workspace: Workspace, product_ref: str, persona_ids: list[str] | None,
                  *, now: datetime | None = None, approver: str | None = None,
                  allow_lint_errors: bool = False, allow_quality: bool = False
                  ) -> list[Approval]:
    """Approve the current drafts as they stand, binding each approval to its verdict and quote.

    Refuses (approving none) when a draft is empty or, unless ``allow_lint_errors``, has a lint
    error; and, unless ``allow_quality``, when the quality gate flags a take as it stands and no
    standing approval took it anyway. ``allow_quality`` records that override with the approval,
    bound to the text. Approving a draft edited since its approval approves it again and
    recomputes its edit ratio; an approved draft left as it was is not rewritten.
    """
    product = workspace.load_product(product_ref)
    store = DraftStore(workspace)
    drafts = store.read_all(product.slug)
    personas = _personas_to_approve(workspace, product.slug, persona_ids, drafts)
    findings = {persona.id: lint_draft(product, persona, drafts[persona.id],
                                       file=workspace.relative(drafts[persona.id].path))
                for persona in personas}
    _refuse_unpublishable(product.slug, findings, allow_lint_errors=allow_lint_errors)
    gate = TakeGate.of(workspace, product)
    judged = {persona.id: gate.judge(persona, drafts[persona.id]) for persona in personas}
    quality = {pid: judgement.flags for pid, judgement in judged.items()}
    overriding = {pid: judgement.flags for pid, judgement in judged.items() if judgement.blocks}
    if overriding and not allow_quality:
        raise _quality_refusal(workspace, product.slug, drafts, overriding)
    stamp = now or datetime.now(UTC).replace(microsecond=0)
    name = approver or approver_name(workspace.root)
    # Read every generated take before writing any approval: a damaged history file stops
    # the command with nothing approved, not half the panel.
    generated_takes = {persona.id: generated_take(store, drafts[persona.id])
                       for persona in personas}
    approvals = []
    for persona in personas:
        draft, generated = drafts[persona.id], generated_takes[persona.id]
        ratio = None if generated is None else edit_ratio(generated.quote, draft.quote)
        outcome = _OUTCOMES[review_status(draft)]
        if outcome == "already approved" and persona.id in overriding:
            outcome = "re-approved"  # approved before; now over the gate's findings too
        meta = draft.meta
        if outcome != "already approved":
            meta = signed_meta(draft, by=name, at=stamp, edit_ratio=ratio,
                               overridden=quality[persona.id])
            store.update_meta(draft, meta)
        approvals.append(Approval(
            product=product.slug, persona=persona.id, take=meta.take, verdict=meta.verdict,
            verdict_changed=None if generated is None else generated.meta.verdict != meta.verdict,
            edit_ratio=meta.edit_ratio, outcome=outcome, approved_by=meta.approved_by,
            approved_at=meta.approved_at, first_words=first_words(draft.quote),
            findings=findings[persona.id], quality=quality[persona.id],
            quality_allowed=bool(quality[persona.id])))
    return approvals


def _quality_refusal(workspace: Workspace, slug: str, drafts: dict[str, Draft],
                     flagged: dict[str, list[str]]) -> QualityFlaggedError:
    by_file = {workspace.relative(drafts[pid].path): flags for pid, flags in flagged.items()}
    listed = "; ".join(f"{file} (“{first_words(drafts[pid].quote)}”): {', '.join(flags)}"
                       for (pid, flags), file in zip(flagged.items(), by_file, strict=True))
    first = next(iter(flagged))
    return QualityFlaggedError(
        f"Not approved, the quality gate flags: {listed}. Rewrite the take in drafts/{slug}/ "
        f"(it is judged as it stands) or run 'panelist redo {slug} {first}', then approve "
        f"again; if the gate is wrong, approve anyway with --allow-quality (recorded with the "
        f"approval, and publish then takes it)", by_file)


def unapprove_takes(workspace: Workspace, product_ref: str,
                    persona_ids: list[str] | None) -> list[Unapproval]:
    """Send takes back to draft: the approval record (who, when, what, edit ratio) goes, the
    verdict and quote stay exactly as they are. A take that was not approved is left alone.

    A ``status: approved`` typed by hand (no hash, so never an approval) is cleared too: it
    would still keep ``draft``/``redo`` from replacing the take.
    """
    product = workspace.load_product(product_ref)
    store = DraftStore(workspace)
    drafts = store.read_all(product.slug)
    personas = _personas_to_approve(workspace, product.slug, persona_ids, drafts,
                                    verb="unapprove")
    unapprovals = []
    for persona in personas:
        draft = drafts[persona.id]
        meta = draft.meta
        signed = meta.status == "approved" or meta.approved_hash is not None
        if signed:
            store.update_meta(draft, meta.model_copy(update=UNSIGNED))
        unapprovals.append(Unapproval(
            product=product.slug, persona=persona.id, take=meta.take, verdict=meta.verdict,
            outcome="unapproved" if signed else "was not approved",
            was_approved_by=meta.approved_by, was_approved_at=meta.approved_at,
            first_words=first_words(draft.quote)))
    return unapprovals


def _personas_to_approve(workspace: Workspace, slug: str, persona_ids: list[str] | None,
                         drafts: dict[str, Draft], verb: str = "approve") -> list[Persona]:
    if persona_ids:
        personas = workspace.select_personas(persona_ids)
        missing = [p.id for p in personas if p.id not in drafts]
        if missing:
            raise InputError(f"No draft for {slug} / {', '.join(missing)} to {verb}: run "
                             f"'panelist draft {slug} --persona {missing[0]}' first")
        return personas
    personas = [p for p in workspace.select_personas(None) if p.id in drafts]
    if not personas:
        raise InputError(f"No drafts for {slug} yet: run 'panelist draft {slug}' first")
    return personas


def approval_blockers(findings: list[Finding], *, allow_lint_errors: bool = False
                      ) -> list[Finding]:
    """The lint findings that stop a take from being approved (an empty quote: always)."""
    return [f for f in findings if f.severity == "error"
            and (f.check == "empty" or not allow_lint_errors)]


def _refuse_unpublishable(slug: str, findings: dict[str, list[Finding]], *,
                          allow_lint_errors: bool) -> None:
    blocking = [f for found in findings.values()
                for f in approval_blockers(found, allow_lint_errors=allow_lint_errors)]
    if not blocking:
        return
    listed = "; ".join(f"{f.file or f.persona}: {f.summary}" for f in blocking)
    override = ("" if all(f.check == "empty" for f in blocking) else
                " (or approve anyway with --allow-lint-errors; publish still refuses it)")
    raise InputError(f"Not approved, lint errors: {listed}. Fix the draft in drafts/{slug}/ or "
                     f"run 'panelist redo', then approve again{override}")


def first_words(quote: str, count: int = FIRST_WORDS) -> str:
    words = quote.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def stats_keys(requested: list[str] | None) -> list[StatsKey]:
    """The groupings asked for with --by (default: both), checked."""
    keys: list[StatsKey] = []
    for key in requested or ["persona", "model"]:
        if key not in ("persona", "model"):
            raise InputError(f"--by {key}: group by 'persona' or 'model'")
        keys.append("persona" if key == "persona" else "model")
    return list(dict.fromkeys(keys))


def stats_tables(workspace: Workspace, keys: list[StatsKey], product_ref: str | None = None
                 ) -> dict[StatsKey, list[StatsRow]]:
    """Edit ratios of approved takes, grouped by persona or by the model that drafted them:
    a table for each key, from one read of the approved takes."""
    slug = workspace.product_path(product_ref).stem if product_ref else None
    approved_seats = approved_takes(workspace, slug)
    return {by: _grouped(approved_seats, by) for by in keys}


def _grouped(seats: list[tuple[Seat, bool | None]], by: StatsKey) -> list[StatsRow]:
    ratios: dict[str, list[float]] = defaultdict(list)
    approved: dict[str, int] = defaultdict(int)
    flips: dict[str, int] = defaultdict(int)
    for seat, flipped in seats:
        key = seat.persona if by == "persona" else str(seat.model)
        approved[key] += 1
        if seat.edit_ratio is not None:
            ratios[key].append(seat.edit_ratio)
        if flipped:
            flips[key] += 1
    return [_stats_row(key, approved[key], ratios[key], flips[key]) for key in sorted(approved)]


def _stats_row(key: str, approved: int, ratios: list[float], flips: int) -> StatsRow:
    return StatsRow(
        key=key, approved=approved, edited=sum(1 for r in ratios if r > 0),
        mean_edit_ratio=round(statistics.fmean(ratios), 4) if ratios else None,
        median_edit_ratio=round(statistics.median(ratios), 4) if ratios else None,
        max_edit_ratio=max(ratios) if ratios else None, verdict_flips=flips)
