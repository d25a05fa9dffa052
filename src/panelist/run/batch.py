"""Batch runs through a provider's batch API (Claude's Message Batches, at half price).

    draft --batch  ->  submit: plan as ``draft`` does, build each request, send them as one
                       batch and keep .panelist/batches/<id>.json (custom_id -> product,
                       persona, request fingerprint, the request itself, the draft it replaces)
    batch status   ->  the kept record, and the API's processing status while answers are due
    batch collect  ->  the answers go through ``Panel.collect``: the same validation, re-ask
                       (interactive), history, edit protection and ledger as a live run

The record is rewritten (atomically) as each answer is settled, so an interrupted collect picks
up where it stopped. Expired or errored requests are marked per persona and are no longer
pending, so a plain ``panelist draft`` of that product drafts them again. The records
themselves are store/batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import TypeAdapter

from panelist.backends import BackendOptions, BackendPool, ModelChoice, resolve_model
from panelist.backends.base import BatchBackend, BatchItem, BatchStatus, LLMRequest
from panelist.errors import ConfigError, InputError
from panelist.models import Usage
from panelist.run.bookkeeping import Books
from panelist.run.jobs import Answered, Job, JobResult, PlannedJob, Reporter, RunSettings
from panelist.run.panel import Panel
from panelist.run.plan import Plan, check_writable
from panelist.store import ledger
from panelist.store.batches import BatchEntry, BatchRecord, BatchStore, EntryState
from panelist.store.workspace import Workspace

_REQUEST = TypeAdapter(LLMRequest)


def request_of(entry: BatchEntry) -> LLMRequest:
    """The request an entry was sent as (the record keeps it as JSON), for a re-ask."""
    return _REQUEST.validate_python(entry.request)


async def submit(workspace: Workspace, plan: Plan, store: BatchStore | None = None
                 ) -> BatchRecord:
    """Send every planned job as one batch and keep its record (in ``store``, by default the
    workspace's batches); nothing is written to drafts/."""
    if store is None:
        check_writable(workspace, plan)  # collect writes there: find out before paying
    entries = [BatchEntry(
        custom_id=f"{index:05d}-{planned.job.persona.id}"[:64], product=planned.job.product.slug,
        persona=planned.job.persona.id, model=planned.choice.model,
        fingerprint=planned.request.fingerprint(), request=asdict(planned.request),
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
        sent = zip(entries, plan.jobs, strict=True)
        status = await backend.submit_batch([(e.custom_id, p.request) for e, p in sent])
    record = BatchRecord(id=status.id, submitted_at=ledger.now(), entries=entries)
    (store or BatchStore(workspace)).save(record)
    return record


async def fetch_status(record: BatchRecord, settings: RunSettings) -> BatchStatus:
    async with BackendPool(settings.backend) as pool:
        return await _batch_backend(pool, _choice(record, settings.backend)).batch_status(record.id)


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
        status, items = await fetch_results(pool, record, settings.backend)
        if not status.ended:
            return Collected(status)
        collected = Collected(status)
        files = _Files(workspace, settings.backend)
        answers = [answer for entry in record.pending()
                   if (answer := _answer(files, record, entry, items.get(entry.custom_id),
                                         collected, panel.books)) is not None]
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


async def fetch_results(pool: BackendPool, record: BatchRecord, options: BackendOptions
                        ) -> tuple[BatchStatus, dict[str, BatchItem]]:
    """The batch's status and, once it has ended, each request's outcome by custom_id."""
    backend = _batch_backend(pool, _choice(record, options))
    status = await backend.batch_status(record.id)
    if not status.ended:
        return status, {}
    return status, {item.custom_id: item for item in await backend.batch_results(record.id)}


def _answer(files: _Files, record: BatchRecord, entry: BatchEntry, item: BatchItem | None,
            collected: Collected, books: Books) -> Answered | None:
    """The entry's answer, ready to settle; or the entry is marked and reported as failed. An
    answer that cannot hold a take (a refusal, thinking that used the budget) was paid for:
    it goes to the ledger at the batch price, as an interactive one does."""
    job = files.job_for(entry)
    if isinstance(job, str):
        entry.state, entry.detail = "failed", job
        collected.problems.append(f"{entry.key}: {job}")
        return None
    if item is not None and item.response is not None:
        planned = PlannedJob(job, files.choice(entry.model),
                             request_of(entry))
        return Answered(planned, item.response)
    outcome: EntryState = "errored"
    if item is not None and item.outcome != "succeeded":
        outcome = item.outcome
    entry.state = outcome
    entry.detail = item.detail if item is not None else "no result for this request"
    detail = (f"{outcome} in batch {record.id}: {entry.detail}; re-run with 'panelist draft "
              f"{entry.product} --persona {entry.persona}' (add --batch to batch it again)")
    usage = Usage()
    if item is not None and item.billed is not None:
        usage = books.record(job, files.choice(entry.model), item.billed, "failed")
    collected.results.append(JobResult(job, "failed", detail, usage=usage))
    return None


class _Files:
    """Today's product and persona files, read once per collect."""

    def __init__(self, workspace: Workspace, options: BackendOptions) -> None:
        self.workspace = workspace
        self.options = options
        self.personas = workspace.load_personas()
        self._choices: dict[str, ModelChoice] = {}

    def choice(self, model: str) -> ModelChoice:
        if model not in self._choices:
            self._choices[model] = resolve_model(model, self.options)
        return self._choices[model]

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


def _choice(record: BatchRecord, options: BackendOptions) -> ModelChoice:
    """The backend that ran the batch: the one its (first) model resolves to."""
    return resolve_model(record.entries[0].model if record.entries else None, options)


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
                backend = _batch_backend(pool, _choice(record, settings.backend))
                status = await backend.batch_status(record.id)
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
