"""Running a plan from the command line: the model notices, live progress, the summary."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from panelist.cli.options import console
from panelist.cli.progress import LiveProgress, print_summary
from panelist.errors import PanelFailedError
from panelist.run.panel import Job, JobResult, Panel, RunSettings, choose_model, plan_redo
from panelist.run.plan import plan_products, run_title
from panelist.store.drafts import DraftStore

if TYPE_CHECKING:
    from panelist.backends import ModelChoice
    from panelist.store.workspace import Workspace


def draft_products(workspace: Workspace, product_refs: Sequence[str],
                   persona_ids: list[str] | None, settings: RunSettings, *, force: bool
                   ) -> list[JobResult]:
    jobs, skipped = plan_products(workspace, product_refs, persona_ids, force=force)
    return skipped + run_jobs(workspace, jobs, settings, f"drafting {run_title(jobs)}")


def redo_persona(workspace: Workspace, product_ref: str, persona_id: str, note: str | None,
                 settings: RunSettings, *, force: bool) -> list[JobResult]:
    product = workspace.load_product(product_ref)
    persona = workspace.select_personas([persona_id])[0]
    job = plan_redo(DraftStore(workspace), product, persona, note=note, force=force)
    return run_jobs(workspace, [job], settings, f"redo {product.slug} / {persona.id}")


def submit_batch(workspace: Workspace, refs: list[str], persona_ids: list[str] | None,
                 settings: RunSettings, *, force: bool) -> None:
    """``panelist draft --batch``: plan as draft does, then submit instead of calling."""
    from panelist.run import batch

    jobs, skipped = plan_products(workspace, refs, persona_ids, force=force)
    if not jobs:
        finish_run(skipped, 0.0)
        return
    record = batch.submit(workspace, jobs, settings)
    kept = f"; {len(skipped)} persona(s) skipped (already drafted or in a batch)" if skipped else ""
    console().print(
        f"submitted batch {record.id}: {len(jobs)} request(s) at the batch price{kept}.\n"
        f"Check it with 'panelist batch status {record.id}'; when it has ended (usually within "
        f"the hour, at most 24 hours) run 'panelist batch collect {record.id}'.",
        highlight=False, soft_wrap=True)


def run_jobs(workspace: Workspace, jobs: list[Job], settings: RunSettings, title: str
             ) -> list[JobResult]:
    """The sync wrapper around the panel's async run, drawing progress as it goes."""
    if not jobs:
        return []
    announce_models(choose_model(job, settings) for job in jobs)
    with LiveProgress(console(), title) as progress:
        panel = Panel(workspace, settings, reporter=progress)
        return asyncio.run(panel.run(jobs))


def announce_models(choices: Iterable[ModelChoice]) -> None:
    """The notices of the models a run uses (e.g. the local default), each once, on stderr."""
    announce(notice for choice in choices for notice in choice.notices)


def announce(notices: Iterable[str]) -> None:
    for notice in dict.fromkeys(notices):
        print(notice, file=sys.stderr)


def finish_run(results: list[JobResult], wall_s: float, *,
               retry: str = "Run the same command to retry them") -> None:
    if not results:
        console().print("nothing to do")
        return
    print_summary(console(), results, wall_s)
    failed = [r.job.key if _several_products(results) else r.job.persona.id
              for r in results if r.state == "failed"]
    if failed:
        shown = ", ".join(failed[:10]) + (f" and {len(failed) - 10} more" if len(failed) > 10
                                          else "")
        others = ("the other drafts were written" if len(failed) < len(results)
                  else "no draft was written")
        raise PanelFailedError(f"{len(failed)} persona(s) failed: {shown}; {others}. {retry}")


def _several_products(results: Sequence[JobResult]) -> bool:
    return len({result.job.product.slug for result in results}) > 1
