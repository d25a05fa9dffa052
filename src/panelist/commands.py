"""What the drafting commands do, between parsing (cli) and orchestration (panel)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from rich.console import Console

from panelist.backends import BackendOptions, open_backend
from panelist.drafts import DraftStore
from panelist.errors import PanelFailedError
from panelist.models import Draft
from panelist.panel import Job, JobResult, Panel, RunSettings, choose_model, plan_draft, plan_redo
from panelist.progress import LiveProgress, print_summary
from panelist.workspace import Workspace


def run_settings(model: str | None, base_url: str | None, concurrency: int,
                 timeout_s: float = 120.0) -> RunSettings:
    return RunSettings(model=model, concurrency=concurrency,
                       backend=BackendOptions(base_url=base_url, timeout_s=timeout_s))


def draft_products(workspace: Workspace, product_refs: Sequence[str], persona_ids: list[str] | None,
                   settings: RunSettings, *, force: bool, console: Console) -> list[JobResult]:
    personas = workspace.select_personas(persona_ids)
    store = DraftStore(workspace)
    jobs: list[Job] = []
    skipped: list[JobResult] = []
    for ref in dict.fromkeys(product_refs):
        product = workspace.load_product(ref)
        planned, kept = plan_draft(store, product, personas, force=force)
        jobs += planned
        skipped += kept
    title = ", ".join(dict.fromkeys(job.product.slug for job in jobs)) or "nothing to draft"
    return skipped + _run(workspace, jobs, settings, console, f"drafting {title}")


def redo_persona(workspace: Workspace, product_ref: str, persona_id: str, note: str | None,
                 settings: RunSettings, *, force: bool, console: Console) -> list[JobResult]:
    product = workspace.load_product(product_ref)
    persona = workspace.select_personas([persona_id])[0]
    job = plan_redo(DraftStore(workspace), product, persona, note=note, force=force)
    return _run(workspace, [job], settings, console, f"redo {product.slug} / {persona.id}")


def _run(workspace: Workspace, jobs: list[Job], settings: RunSettings, console: Console,
         title: str) -> list[JobResult]:
    if not jobs:
        return []
    with LiveProgress(console, title) as progress:
        panel = Panel(workspace, settings, reporter=progress)
        return asyncio.run(panel.run(jobs))


def finish_run(console: Console, results: list[JobResult], wall_s: float) -> None:
    if not results:
        console.print("nothing to do")
        return
    print_summary(console, results, wall_s)
    failed = [r.job.persona.id for r in results if r.state == "failed"]
    if failed:
        raise PanelFailedError(f"{len(failed)} persona(s) failed: {', '.join(failed)}; the "
                               f"other drafts were written. Run the same command to retry them")


def render_request(workspace: Workspace, product_ref: str, persona_id: str, note: str | None,
                   settings: RunSettings) -> dict[str, Any]:
    product = workspace.load_product(product_ref)
    persona = workspace.select_personas([persona_id])[0]
    job = Job(product, persona, note=note)
    choice = choose_model(job, settings)
    panel = Panel(workspace, settings)
    request = panel.build_request(job, choice)
    backend = open_backend(choice, settings.backend)
    return {"backend": choice.backend, "fingerprint": request.fingerprint(),
            "request": backend.describe_request(request)}


def find_draft(workspace: Workspace, product_ref: str, persona_id: str, take: int | None
               ) -> tuple[DraftStore, Draft]:
    slug = workspace.product_path(product_ref).stem
    workspace.select_personas([persona_id])
    store = DraftStore(workspace)
    if take is not None:
        return store, store.read_take(slug, persona_id, take)
    draft = store.read(slug, persona_id)
    if draft is None:
        raise PanelFailedError(f"No draft for {slug} / {persona_id} yet: run 'panelist draft "
                               f"{slug} --persona {persona_id}'")
    return store, draft
