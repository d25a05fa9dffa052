"""The use cases, one function each: what the command line and the desk both call.

    prepare_draft / prepare_redo / prepare_request
                        the plan of a run, checked before any call is paid for (models,
                        templates), with the personas it leaves alone and why (an editor's
                        draft, an answer still due in a batch)
    PreparedRun.run     drafts it: ``run_async`` is the core, ``run`` its sync wrapper
    render / estimate   what a prepared run would send, and what it would use and cost
    submit_batch        a prepared run sent as one batch instead
    batch_records, batch_status, collect_batch
                        the batches kept in the workspace, their progress, their answers

An adapter parses its input, calls one of these, and renders the answer: the rules (which
personas to draft, the batch-pending check, the order of plan and run) live here only.
Nothing here prints.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from panelist.backends.base import BatchStatus
from panelist.run import batch
from panelist.run.estimate import EstimateReport, estimate_report
from panelist.run.jobs import Job, JobResult, Reporter, RunSettings, SilentReporter
from panelist.run.panel import run_plan
from panelist.run.plan import Plan, describe_plan, make_plan, plan_products, plan_redo, run_settings
from panelist.run.plan import product_refs as product_refs_of
from panelist.store.batches import BatchRecord, BatchStore
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

__all__ = ["PreparedRun", "run_settings"]  # run_settings: the adapters' options to settings


@dataclass(frozen=True)
class PreparedRun:
    """A plan checked and ready: nothing has been called or written yet."""

    workspace: Workspace
    plan: Plan

    @property
    def notices(self) -> list[str]:
        """What the user is told once about the models this run uses (e.g. the local default)."""
        return list(dict.fromkeys(notice for planned in self.plan.jobs
                                  for notice in planned.choice.notices))

    @property
    def skipped(self) -> list[JobResult]:
        return self.plan.skipped

    async def run_async(self, reporter: Reporter | None = None) -> list[JobResult]:
        """Every planned job to a result; the personas left alone come first, as skipped."""
        if not self.plan.jobs:
            return list(self.plan.skipped)
        return [*self.plan.skipped, *await run_plan(self.workspace, self.plan, reporter)]

    def run(self, reporter: Reporter | None = None) -> list[JobResult]:
        return asyncio.run(self.run_async(reporter))


def prepare_draft(workspace: Workspace, product_refs: Sequence[str] | None,
                  persona_ids: Sequence[str] | None, settings: RunSettings, *,
                  all_products: bool = False, force: bool = False) -> PreparedRun:
    """``panelist draft``, ``estimate``, ``draft --batch`` and the desk's "Draft the panel":
    the personas with no draft yet (every one with ``force``), never one whose answer is
    still due in a batch."""
    refs = product_refs_of(workspace, product_refs, all_products)
    ids = list(persona_ids) if persona_ids else None
    return PreparedRun(workspace, plan_products(workspace, refs, ids, settings, force=force))


def prepare_redo(workspace: Workspace, product_ref: str, persona_id: str, note: str | None,
                 settings: RunSettings, *, force: bool = False) -> PreparedRun:
    """A new take for one persona; refused (EditProtectedError) for an edited or approved
    draft unless ``force``, which keeps the editor's version in history first."""
    product = workspace.load_product(product_ref)
    persona = workspace.select_personas([persona_id])[0]
    job = plan_redo(DraftStore(workspace), product, persona, note=note, force=force)
    return PreparedRun(workspace, make_plan(workspace, [job], settings))


def prepare_request(workspace: Workspace, product_ref: str, persona_id: str,
                    note: str | None, settings: RunSettings) -> PreparedRun:
    """One persona's request as it would be sent, whatever its draft: for ``render``."""
    job = Job(workspace.load_product(product_ref), workspace.select_personas([persona_id])[0],
              note=note)
    return PreparedRun(workspace, make_plan(workspace, [job], settings))


async def render_async(prepared: PreparedRun) -> list[dict[str, Any]]:
    return await describe_plan(prepared.plan)


def render(prepared: PreparedRun) -> list[dict[str, Any]]:
    """The exact payload each planned job would send; no model is called."""
    return asyncio.run(render_async(prepared))


async def estimate_async(prepared: PreparedRun) -> EstimateReport:
    return await estimate_report(prepared.plan)


def estimate(prepared: PreparedRun) -> EstimateReport:
    """The tokens and cost the run would use, counted by the provider; no model is run."""
    return asyncio.run(estimate_async(prepared))


async def submit_batch_async(prepared: PreparedRun) -> BatchRecord | None:
    if not prepared.plan.jobs:
        return None
    return await batch.submit(prepared.workspace, prepared.plan)


def submit_batch(prepared: PreparedRun) -> BatchRecord | None:
    """The run sent as one batch (half price); None when there is nothing to send."""
    return asyncio.run(submit_batch_async(prepared))


def batch_records(workspace: Workspace, batch_id: str | None = None, *,
                  pending_only: bool = False) -> list[BatchRecord]:
    """One batch by id, else every batch kept here (only those owing answers: ``pending_only``)."""
    store = BatchStore(workspace)
    if batch_id:
        return [store.load(batch_id)]
    return [record for record in store.all() if record.pending() or not pending_only]


async def batch_status_async(records: Sequence[BatchRecord], settings: RunSettings
                             ) -> list[dict[str, Any]]:
    return await batch.status_rows(records, settings) if records else []


def batch_status(records: Sequence[BatchRecord], settings: RunSettings) -> list[dict[str, Any]]:
    """Each batch as kept here, with the API's progress for those still owing answers."""
    return asyncio.run(batch_status_async(records, settings))


async def collect_batch_async(workspace: Workspace, record: BatchRecord, settings: RunSettings,
                              reporter: Reporter | None = None) -> batch.Collected:
    return await batch.collect(workspace, record, settings, reporter or SilentReporter())


def collect_batch(workspace: Workspace, record: BatchRecord, settings: RunSettings,
                  reporter: Reporter | None = None) -> batch.Collected:
    """An ended batch's answers written as drafts, by the same rules as a live run; nothing
    happens while it is still processing (``Collected.status`` says so)."""
    return asyncio.run(collect_batch_async(workspace, record, settings, reporter))


def batch_progress(record: BatchRecord, settings: RunSettings) -> BatchStatus:
    """The API's processing status of one batch."""
    return asyncio.run(batch.fetch_status(record, settings))
