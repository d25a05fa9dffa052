"""Reading persona trials: each variant's takes held against what the editors approved.

    approved_sample    the products a trial runs on: named ones, or the N where the persona's
                       take was approved most recently; with each one's approved take
    build_trial        one trial as cells (variant x product) and per-variant totals
    trial_summaries    every trial, newest first, for the desk's list

The distance to the approved text is the edit ratio (``worddiff.edit_ratio``): the share of
words an editor would change to turn the trial's take into the approved one, 0 only when the
quotes are the same words.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import datetime

from panelist.errors import FileFormatError, InputError, PanelistError
from panelist.models import Draft, Persona, Product, Verdict
from panelist.review.lint import lint_draft
from panelist.review.signoff import is_approved
from panelist.review.views import View
from panelist.review.worddiff import Segment, edit_ratio, word_diff
from panelist.store.drafts import DraftStore
from panelist.store.trials import BASELINE, TrialRecord, TrialReference, TrialStore
from panelist.store.workspace import Workspace


def approved_sample(workspace: Workspace, persona_id: str, products: Sequence[str] | None,
                    sample: int | None) -> tuple[list[str], dict[str, TrialReference]]:
    """The products to try the persona on and the approved take of each that has one."""
    persona = workspace.select_personas([persona_id])[0]
    store = DraftStore(workspace)
    approved: list[tuple[datetime | None, str, Draft]] = []
    on_file = set(workspace.product_slugs())  # a product whose file is gone cannot be run
    for slug in workspace.drafted_products():
        if slug not in on_file:
            continue
        draft = store.read(slug, persona.id)
        if draft is not None and is_approved(draft):
            approved.append((draft.meta.approved_at, slug, draft))
    approved.sort(key=lambda item: (item[0] is not None, item[0] or datetime.min, item[1]),
                  reverse=True)
    references = {slug: TrialReference(verdict=draft.meta.verdict, quote=draft.quote,
                                       take=draft.meta.take, approved_at=at)
                  for at, slug, draft in approved}
    if products:
        chosen = [workspace.product_path(ref).stem for ref in products]
    elif sample is not None:
        if not approved:
            raise InputError(f"{persona.id} has no approved take yet, so there is nothing to "
                             f"sample: name products with --on PRODUCT..., or approve some "
                             f"takes first")
        chosen = [slug for _, slug, _ in approved[:sample]]
    else:
        raise InputError("Choose the products: --on PRODUCT... or --sample N (the N products "
                         "where the persona's take was approved most recently)")
    return chosen, {slug: references[slug] for slug in chosen if slug in references}


class TrialCellView(View):
    variant: str
    product: str
    state: str
    detail: str
    verdict: Verdict | None
    quote: str | None
    approved_verdict: Verdict | None
    approved_quote: str | None
    verdict_match: bool | None
    distance: float | None
    diff: list[Segment] | None  # from the approved quote to this take's
    findings: list[str]
    words: int | None
    word_range: tuple[int, int]
    in_range: bool | None
    tokens: int
    output_tokens: int
    cost_usd: float
    seconds: float | None
    model: str | None


class VariantTotals(View):
    variant: str
    takes: int
    failed: int
    compared: int  # takes with an approved take to compare with
    verdict_matches: int
    mean_distance: float | None
    distance_vs_baseline: float | None  # this variant's mean distance minus the baseline's
    findings: int
    out_of_range: int
    tokens: int
    cost_usd: float
    seconds: float


class TrialView(View):
    id: str
    persona: str
    created_at: datetime
    products: list[str]
    variants: list[str]
    concurrency: int
    batch: str | None
    cells: list[TrialCellView]
    totals: list[VariantTotals]

    def cell(self, variant: str, product: str) -> TrialCellView:
        return next(c for c in self.cells if c.variant == variant and c.product == product)

    def approved(self, product: str) -> TrialCellView | None:
        """Any cell of the product, for its approved take (the same in every variant)."""
        return next((c for c in self.cells if c.product == product), None)


def build_trial(workspace: Workspace, trial_id: str) -> TrialView:
    store = TrialStore(workspace)
    record = store.load(trial_id)
    products: dict[str, Product | None] = {}
    for slug in record.products:
        try:
            products[slug] = workspace.load_product(slug)
        except PanelistError:  # a product file gone since: no lint, the rest still reads
            products[slug] = None
    cells = []
    for variant in record.variants:
        persona = store.variant_persona(record, variant)
        for slug in record.products:
            cells.append(_cell(store, record, variant.label, persona, products[slug], slug))
    totals = [_totals(label, [c for c in cells if c.variant == label])
              for label in (v.label for v in record.variants)]
    base = next((t.mean_distance for t in totals if t.variant == BASELINE), None)
    totals = [t.model_copy(update={"distance_vs_baseline": None if base is None
                                   or t.mean_distance is None or t.variant == BASELINE
                                   else round(t.mean_distance - base, 4)}) for t in totals]
    return TrialView(id=record.id, persona=record.persona, created_at=record.created_at,
                     products=record.products, variants=[v.label for v in record.variants],
                     concurrency=record.concurrency, batch=record.batch, cells=cells,
                     totals=totals)


def _cell(store: TrialStore, record: TrialRecord, label: str, persona: Persona,
          product: Product | None, slug: str) -> TrialCellView:
    kept = record.cell(label, slug)
    ref = record.references.get(slug)
    try:
        take = store.read_take(record, record.variant(label), slug)
    except FileFormatError as error:
        take, kept.detail = None, str(error)
    low, high = persona.quote_words
    empty = TrialCellView(
        variant=label, product=slug, state=kept.state, detail=kept.detail, verdict=None,
        quote=None, approved_verdict=ref.verdict if ref else None,
        approved_quote=ref.quote if ref else None, verdict_match=None, distance=None, diff=None,
        findings=[], words=None, word_range=(low, high), in_range=None, tokens=0,
        output_tokens=0, cost_usd=0.0, seconds=kept.seconds, model=None)
    if take is None:
        return empty
    usage, words = take.meta.usage, len(take.quote.split())
    findings = [f"gate: {flag}" for flag in take.meta.quality or []]
    if product is not None:
        findings += [f"lint: {f.summary}" for f in lint_draft(product, persona, take)]
    return empty.model_copy(update={
        "verdict": take.meta.verdict, "quote": take.quote, "model": take.meta.model,
        "verdict_match": None if ref is None else take.meta.verdict == ref.verdict,
        "distance": None if ref is None else edit_ratio(take.quote, ref.quote),
        "diff": None if ref is None else word_diff(ref.quote, take.quote),
        "findings": findings, "words": words, "in_range": low <= words <= high,
        "tokens": usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens
        + usage.output_tokens, "output_tokens": usage.output_tokens,
        "cost_usd": usage.cost_usd})


def _totals(label: str, cells: list[TrialCellView]) -> VariantTotals:
    taken = [c for c in cells if c.verdict is not None]
    compared = [c for c in taken if c.distance is not None]
    return VariantTotals(
        variant=label, takes=len(taken), failed=sum(1 for c in cells if c.state == "failed"),
        compared=len(compared), verdict_matches=sum(1 for c in compared if c.verdict_match),
        mean_distance=round(statistics.fmean(c.distance for c in compared if c.distance
                                             is not None), 4) if compared else None,
        distance_vs_baseline=None, findings=sum(len(c.findings) for c in taken),
        out_of_range=sum(1 for c in taken if c.in_range is False),
        tokens=sum(c.tokens for c in cells), cost_usd=round(sum(c.cost_usd for c in cells), 6),
        seconds=round(sum(c.seconds or 0.0 for c in cells), 3))


class TrialSummary(View):
    id: str
    persona: str
    created_at: datetime
    products: int
    variants: list[str]
    done: int
    failed: int
    pending: int
    batch: str | None


def trial_summaries(workspace: Workspace) -> list[TrialSummary]:
    """Every trial kept in the workspace, newest first."""
    return [TrialSummary(
        id=r.id, persona=r.persona, created_at=r.created_at, products=len(r.products),
        variants=[v.label for v in r.variants],
        done=sum(1 for c in r.cells if c.state == "done"),
        failed=sum(1 for c in r.cells if c.state == "failed"),
        pending=sum(1 for c in r.cells if c.state == "pending"), batch=r.batch)
        for r in reversed(TrialStore(workspace).all())]


def trial_json(view: TrialView) -> dict[str, object]:
    """``trial --json``: the id, one cell per variant and product, per-variant totals."""
    keep = ("variant", "product", "state", "verdict", "quote", "approved_verdict",
            "verdict_match", "distance", "findings", "words", "word_range", "in_range",
            "tokens", "output_tokens", "cost_usd", "seconds", "model", "detail")
    return {"id": view.id, "persona": view.persona, "products": view.products,
            "variants": view.variants,
            "cells": [cell.model_dump(mode="json", include=set(keep)) for cell in view.cells],
            "totals": [total.model_dump(mode="json") for total in view.totals]}
