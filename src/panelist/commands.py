"""What the drafting commands do, between parsing (cli) and orchestration (panel)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console

from panelist.backends import BackendOptions, ModelChoice, open_backend
from panelist.drafts import DraftStore
from panelist.errors import InputError, PanelFailedError
from panelist.models import Draft
from panelist.panel import Job, JobResult, Panel, RunSettings, choose_model, plan_draft, plan_redo
from panelist.progress import LiveProgress, print_summary
from panelist.workspace import Workspace


def run_settings(model: str | None, base_url: str | None, concurrency: int,
                 timeout_s: float = 120.0) -> RunSettings:
    return RunSettings(model=model, concurrency=concurrency,
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
    from panelist.batch import BatchStore

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


def draft_products(workspace: Workspace, product_refs: Sequence[str], persona_ids: list[str] | None,
                   settings: RunSettings, *, force: bool, console: Console) -> list[JobResult]:
    jobs, skipped = plan_products(workspace, product_refs, persona_ids, force=force)
    return skipped + _run(workspace, jobs, settings, console, f"drafting {run_title(jobs)}")


def run_title(jobs: Sequence[Job]) -> str:
    slugs = list(dict.fromkeys(job.product.slug for job in jobs))
    if len(slugs) > 3:
        return f"{len(slugs)} products ({len(jobs)} takes)"
    return ", ".join(slugs) or "nothing to draft"


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
    announce_models(choose_model(job, settings) for job in jobs)
    with LiveProgress(console, title) as progress:
        panel = Panel(workspace, settings, reporter=progress)
        return asyncio.run(panel.run(jobs))


def announce_models(choices: Iterable[ModelChoice]) -> None:
    """The notices of the models a run uses (e.g. the local default), each once, on stderr."""
    for notice in dict.fromkeys(notice for choice in choices for notice in choice.notices):
        print(notice, file=sys.stderr)


def finish_run(console: Console, results: list[JobResult], wall_s: float, *,
               retry: str = "Run the same command to retry them") -> None:
    if not results:
        console.print("nothing to do")
        return
    print_summary(console, results, wall_s)
    failed = [r.job.key if _several_products(results) else r.job.persona.id
              for r in results if r.state == "failed"]
    if failed:
        shown = ", ".join(failed[:10]) + (f" and {len(failed) - 10} more" if len(failed) > 10
                                          else "")
        raise PanelFailedError(f"{len(failed)} persona(s) failed: {shown}; the other drafts "
                               f"were written. {retry}")


def _several_products(results: Sequence[JobResult]) -> bool:
    return len({result.job.product.slug for result in results}) > 1


def render_request(workspace: Workspace, product_ref: str, persona_id: str, note: str | None,
                   settings: RunSettings) -> dict[str, Any]:
    product = workspace.load_product(product_ref)
    persona = workspace.select_personas([persona_id])[0]
    job = Job(product, persona, note=note)
    choice = choose_model(job, settings)
    announce_models([choice])
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
        raise InputError(f"No draft for {slug} / {persona_id} yet: run 'panelist draft "
                               f"{slug} --persona {persona_id}'")
    return store, draft
