"""Running a plan from the command line: the model notices, live progress, the summary."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from panelist.cli.options import console
from panelist.cli.progress import LiveProgress, print_summary
from panelist.errors import PanelFailedError
from panelist.run.jobs import JobResult, RunSettings
from panelist.run.panel import run_plan
from panelist.run.plan import Plan, make_plan, plan_products, plan_redo
from panelist.store.drafts import DraftStore

if TYPE_CHECKING:
    from panelist.store.workspace import Workspace


def draft_products(workspace: Workspace, product_refs: Sequence[str],
                   persona_ids: list[str] | None, settings: RunSettings, *, force: bool
                   ) -> list[JobResult]:
    plan = plan_products(workspace, product_refs, persona_ids, settings, force=force)
    return plan.skipped + run(workspace, plan, f"drafting {plan.title}")


def redo_persona(workspace: Workspace, product_ref: str, persona_id: str, note: str | None,
                 settings: RunSettings, *, force: bool) -> list[JobResult]:
    product = workspace.load_product(product_ref)
    persona = workspace.select_personas([persona_id])[0]
    job = plan_redo(DraftStore(workspace), product, persona, note=note, force=force)
    plan = make_plan(workspace, [job], settings)
    return run(workspace, plan, f"redo {product.slug} / {persona.id}")


def submit_batch(workspace: Workspace, refs: list[str], persona_ids: list[str] | None,
                 settings: RunSettings, *, force: bool) -> None:
    """``panelist draft --batch``: plan as draft does, then submit instead of calling."""
    from panelist.run import batch

    plan = plan_products(workspace, refs, persona_ids, settings, force=force)
    if not plan.jobs:
        finish_run(plan.skipped, 0.0)
        return
    announce(notice for planned in plan.jobs for notice in planned.choice.notices)
    record = asyncio.run(batch.submit(workspace, plan))
    skipped = plan.skipped
    kept = f"; {len(skipped)} persona(s) skipped (already drafted or in a batch)" if skipped else ""
    console().print(
        f"submitted batch {record.id}: {len(plan.jobs)} request(s) at the batch price{kept}.\n"
        f"Check it with 'panelist batch status {record.id}'; when it has ended (usually within "
        f"the hour, at most 24 hours) run 'panelist batch collect {record.id}'.",
        highlight=False, soft_wrap=False)


def run(workspace: Workspace, plan: Plan, title: str) -> list[JobResult]:
    """The sync wrapper around the async run of a plan, drawing progress as it goes."""
    if not plan.jobs:
        return []
    announce(notice for planned in plan.jobs for notice in planned.choice.notices)
    with LiveProgress(console(), title) as progress:
        return asyncio.run(run_plan(workspace, plan, progress))


def announce(notices: Iterable[str]) -> None:
    """Notices of the models a run uses (e.g. the local default), each once, on stderr."""
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
