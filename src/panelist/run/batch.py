"""Batch runs through a provider's batch API (Claude's Message Batches, at half price).

    draft --batch  ->  submit: plan as ``draft`` does, build each request, send them as one
                       batch and keep .panelist/batches/<id>.json (custom_id -> product,
                       persona, request fingerprint, the request itself, the draft it replaces)
    batch status   ->  the kept record, and the API's processing status while answers are due
    batch collect  ->  the answers go through ``Panel.collect``: the same validation, re-ask
                       (interactive), history, edit protection and ledger as a live run

The record is rewritten (atomically) as each answer is settled, so an interrupted collect picks
up where it stopped. Expired or errored requests are marked per persona and are no longer
pending, so a plain ``panelist draft`` of that product drafts them again.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from panelist.backends import BackendPool, ModelChoice
from panelist.backends.base import BatchBackend, BatchItem, BatchStatus, LLMRequest
from panelist.errors import ConfigError, FileFormatError, InputError
from panelist.models import Draft
from panelist.run.jobs import Answered, Job, JobResult, PlannedJob, Reporter, RunSettings
from panelist.run.panel import Panel
from panelist.run.plan import Plan
from panelist.store import ledger
from panelist.store.workspace import Workspace, write_atomic

EntryState = Literal["pending", "written", "failed", "errored", "expired", "canceled"]
_BATCH_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


class BatchEntry(BaseModel):
    """One request of a batch: enough to validate its answer, re-ask, and protect edits."""

    model_config = ConfigDict(extra="forbid")

    custom_id: str
    product: str
    persona: str
    model: str
    fingerprint: str
    request: LLMRequest
    note: str | None = None
    replaces: Draft | None = None  # the current draft when submitted, for edit protection
    state: EntryState = "pending"
    detail: str = ""

    @property
    def key(self) -> str:
        return f"{self.product}/{self.persona}"


class BatchRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    submitted_at: datetime
    entries: list[BatchEntry]

    def pending(self) -> list[BatchEntry]:
        return [entry for entry in self.entries if entry.state == "pending"]

    def counts(self) -> dict[str, int]:
        return dict(Counter(entry.state for entry in self.entries))


class BatchStore:
    """The batch records in the workspace's state folder, one JSON file per batch (a trial
    keeps its batch in its own folder, so drafting never waits for a trial's answers)."""

    def __init__(self, workspace: Workspace, folder: Path | None = None) -> None:
        self.workspace = workspace
        self.folder = folder or workspace.batches_dir

    def path(self, batch_id: str) -> Path:
        if not _BATCH_ID.match(batch_id):
            raise InputError(f"'{batch_id}' is not a batch id (like msgbatch_01AbC...); "
                             f"'panelist batch status' lists them")
        return self.folder / f"{batch_id}.json"

    def save(self, record: BatchRecord) -> None:
        write_atomic(self.path(record.id), record.model_dump_json(indent=1) + "\n")

    def load(self, batch_id: str) -> BatchRecord:
        path = self.path(batch_id)
        if not path.is_file():
            known = ", ".join(record.id for record in self.all()) or "none"
            raise InputError(f"No batch '{batch_id}' in {self.workspace.relative(path.parent)}/ "
                             f"(known: {known})")
        return self._read(path)

    def all(self) -> list[BatchRecord]:
        folder = self.folder
        paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
        return sorted((self._read(path) for path in paths), key=lambda r: r.submitted_at)

    def pending_keys(self) -> dict[str, str]:
        """``product/persona`` -> the batch whose answer for it is still to be collected."""
        return {entry.key: record.id for record in self.all() for entry in record.pending()}

    def _read(self, path: Path) -> BatchRecord:
        try:
            return BatchRecord.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise FileFormatError(self.workspace.relative(path), f"unreadable batch record "
                                  f"({exc.__class__.__name__})", fix="restore it from a "
                                  "backup, or delete it and draft those personas again") from None


async def submit(workspace: Workspace, plan: Plan, store: BatchStore | None = None
                 ) -> BatchRecord:
    """Send every planned job as one batch and keep its record (in ``store``, by default the
    workspace's batches); nothing is written to drafts/."""
    entries = [BatchEntry(
        custom_id=f"{index:05d}-{planned.job.persona.id}"[:64], product=planned.job.product.slug,
        persona=planned.job.persona.id, model=planned.choice.model,
        fingerprint=planned.request.fingerprint(), request=planned.request,
        note=planned.job.note, replaces=planned.job.replace)
        for index, planned in enumerate(plan.jobs)]
    async with BackendPool(plan.settings.backend, plan.settings.concurrency) as pool:
        for planned in plan.jobs:  # by capability: a backend with a batch API, not a name
            if not isinstance(pool.get(planned.choice), BatchBackend):
                raise ConfigError(f"--batch needs a model served by a batch API, but "
                                  f"{planned.job.key} would use '{planned.choice.model}' "
                                  f"({planned.choice.backend}); pass --model or draft without "
                                  f"--batch")
        backend = _batch_backend(pool, plan.jobs[0].choice)
        status = await backend.submit_batch([(e.custom_id, e.request) for e in entries])
    record = BatchRecord(id=status.id, submitted_at=ledger.now(), entries=entries)
    (store or BatchStore(workspace)).save(record)
    return record


async def fetch_status(record: BatchRecord, settings: RunSettings) -> BatchStatus:
    async with BackendPool(settings.backend) as pool:
        return await _batch_backend(pool, _choice(record)).batch_status(record.id)


@dataclass
class Collected:
    status: BatchStatus
    results: list[JobResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # entries whose product or persona is gone


async def collect(workspace: Workspace, record: BatchRecord, settings: RunSettings,
                  reporter: Reporter) -> Collected:
    """Settle every pending entry of an ended batch; nothing happens while it is processing."""
    store = BatchStore(workspace)
    async with BackendPool(settings.backend, settings.concurrency) as pool:
        panel = Panel(workspace, pool, reporter)
        status, items = await fetch_results(pool, record)
        if not status.ended:
            return Collected(status)
        collected = Collected(status)
        files = _Files(workspace)
        answers = [answer for entry in record.pending()
                   if (answer := _answer(files, record, entry, items.get(entry.custom_id),
                                         collected)) is not None]
        store.save(record)
        for answer in answers:
            reporter.update(answer.planned.job, "waiting")
        for result in collected.results:
            reporter.update(result.job, "failed", result.detail)
        by_key = {entry.key: entry for entry in record.pending()}

        def settled(result: JobResult) -> None:
            entry = by_key[result.job.key]
            entry.state = "written" if result.state == "done" else "failed"
            entry.detail = result.detail
            store.save(record)

        collected.results += await panel.collect(answers, settings.concurrency,
                                                 on_result=settled)
        return collected


async def fetch_results(pool: BackendPool, record: BatchRecord
                        ) -> tuple[BatchStatus, dict[str, BatchItem]]:
    """The batch's status and, once it has ended, each request's outcome by custom_id."""
    backend = _batch_backend(pool, _choice(record))
    status = await backend.batch_status(record.id)
    if not status.ended:
        return status, {}
    return status, {item.custom_id: item for item in await backend.batch_results(record.id)}


def _answer(files: _Files, record: BatchRecord, entry: BatchEntry, item: BatchItem | None,
            collected: Collected) -> Answered | None:
    """The entry's answer, ready to settle; or the entry is marked and reported as failed."""
    job = files.job_for(entry)
    if isinstance(job, str):
        entry.state, entry.detail = "failed", job
        collected.problems.append(f"{entry.key}: {job}")
        return None
    if item is not None and item.response is not None:
        planned = PlannedJob(job, ModelChoice("claude", entry.model), entry.request)
        return Answered(planned, item.response)
    outcome: EntryState = "errored"
    if item is not None and item.outcome != "succeeded":
        outcome = item.outcome
    entry.state = outcome
    entry.detail = item.detail if item is not None else "no result for this request"
    detail = (f"{outcome} in batch {record.id}: {entry.detail}; re-run with 'panelist draft "
              f"{entry.product} --persona {entry.persona}' (add --batch to batch it again)")
    collected.results.append(JobResult(job, "failed", detail))
    return None


class _Files:
    """Today's product and persona files, read once per collect."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.personas = workspace.load_personas()

    def job_for(self, entry: BatchEntry) -> Job | str:
        """The job the entry was submitted for; or why it can no longer be settled."""
        try:
            product = self.workspace.load_product(entry.product)
        except InputError as error:
            return str(error)
        persona = self.personas.get(entry.persona)
        if persona is None:
            return f"persona '{entry.persona}' is no longer in personas/"
        return Job(product, persona, note=entry.note, replace=entry.replaces)


def _choice(record: BatchRecord) -> ModelChoice:
    return ModelChoice("claude", record.entries[0].model if record.entries else "")


def _batch_backend(pool: BackendPool, choice: ModelChoice) -> BatchBackend:
    backend: Any = pool.get(choice)
    if not isinstance(backend, BatchBackend):
        raise ConfigError(f"the {choice.backend} backend has no batch API; draft without --batch")
    return backend


async def status_rows(records: Sequence[BatchRecord], settings: RunSettings
                      ) -> list[dict[str, Any]]:
    """Each batch as kept here, with the API's progress for those still owing answers."""
    rows = []
    async with BackendPool(settings.backend) as pool:
        for record in records:
            counts = record.counts()
            api = "collected"
            if record.pending():
                status = await _batch_backend(pool, _choice(record)).batch_status(record.id)
                done = sum(n for state, n in status.counts.items() if state != "processing")
                api = ("ended" if status.ended
                       else f"processing {done}/{len(record.entries)}")
            rows.append({
                "batch": record.id, "submitted": record.submitted_at.strftime("%Y-%m-%d %H:%M"),
                "requests": len(record.entries), "pending": counts.get("pending", 0),
                "written": counts.get("written", 0),
                "failed": sum(n for state, n in counts.items()
                              if state not in {"pending", "written"}),
                "api": api,
                "problems": [f"{entry.key}: {entry.state}: {entry.detail}"
                             for entry in record.entries
                             if entry.state not in {"pending", "written"}],
            })
    return rows
