"""What the drafting commands plan, between parsing (cli) and running (panel): no printing here."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from panelist.backends import BackendOptions, open_backend
from panelist.backends.base import Effort
from panelist.errors import InputError
from panelist.models import Draft
from panelist.run.panel import (
    Job,
    JobResult,
    Panel,
    RunSettings,
    choose_model,
    plan_draft,
)
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace


def run_settings(model: str | None, base_url: str | None, concurrency: int,
                 timeout_s: float | None = None, *, effort: Effort | None = None) -> RunSettings:
    return RunSettings(model=model, concurrency=concurrency, effort=effort,
                       backend=BackendOptions(base_url=base_url, timeout_s=timeout_s))


def product_refs(workspace: Workspace, refs: Sequence[str] | None, all_products: bool
                 ) -> list[str]:
    """The products named on the command line, or with ``--all`` every one in products/."""
    chosen = [*(refs or []), *(workspace.product_slugs() if all_products else [])]
    if not chosen:
        raise InputError("Name the products to draft (panelist draft products/NAME.md ...) or "
                         "pass --all for every file in products/")
    return chosen


def plan_products(workspace: Workspace, refs: Sequence[str], persona_ids: list[str] | None, *,
                  force: bool) -> tuple[list[Job], list[JobResult]]:
    """One job list across every product (one shared pool); the rest reported as skipped.

    A persona whose answer is still due in a submitted batch is skipped too (unless ``force``),
    so a run never pays twice for the same take.
    """
    from panelist.run.batch import BatchStore

    personas = workspace.select_personas(persona_ids)
    store = DraftStore(workspace)
    in_batch = {} if force else BatchStore(workspace).pending_keys()
    jobs: list[Job] = []
    skipped: list[JobResult] = []
    for ref in dict.fromkeys(refs):
        product = workspace.load_product(ref)
        planned, kept = plan_draft(store, product, personas, force=force)
        for job in planned:
            if job.key in in_batch:
                skipped.append(JobResult(job, "skipped", f"waiting in batch {in_batch[job.key]}: "
                                                         f"'panelist batch collect' fetches it"))
            else:
                jobs.append(job)
        skipped += kept
    return jobs, skipped


def run_title(jobs: Sequence[Job]) -> str:
    slugs = list(dict.fromkeys(job.product.slug for job in jobs))
    if len(slugs) > 3:
        return f"{len(slugs)} products ({len(jobs)} takes)"
    return ", ".join(slugs) or "nothing to draft"


def render_request(workspace: Workspace, product_ref: str, persona_id: str, note: str | None,
                   settings: RunSettings) -> dict[str, Any]:
    product = workspace.load_product(product_ref)
    persona = workspace.select_personas([persona_id])[0]
    job = Job(product, persona, note=note)
    choice = choose_model(job, settings)
    request = Panel(workspace, settings).build_request(job, choice)
    backend = open_backend(choice, settings.backend)
    try:
        described = backend.describe_request(request)
    finally:
        asyncio.run(backend.aclose())
    return {"backend": choice.backend, "fingerprint": request.fingerprint(),
            "request": described, "notices": list(choice.notices)}


def find_draft(workspace: Workspace, product_ref: str, persona_id: str, take: int | None
               ) -> tuple[DraftStore, Draft]:
    slug = workspace.product_path(product_ref).stem
    persona_id = workspace.select_personas([persona_id])[0].id
    store = DraftStore(workspace)
    if take is not None:
        return store, store.read_take(slug, persona_id, take)
    draft = store.read(slug, persona_id)
    if draft is None:
        raise InputError(f"No draft for {slug} / {persona_id} yet: run 'panelist draft "
                               f"{slug} --persona {persona_id}'")
    return store, draft
