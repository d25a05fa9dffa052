"""Persona trials: variants of one persona run over a sample of products, into the trial's
own folder. drafts/, their history and approvals are never touched.

    TrialSpec        what was asked: the persona, its variants (files, models, efforts), the
                     products, and the approved take of each (chosen by the caller)
    start_trial      the record and the variants' persona files kept, every request planned
                     (a bad variant file or model id stops it before any call, leaving nothing)
    run_trial        every variant x product through one shared pool at the run's concurrency
    submit_trial / collect_trial   the same plan through the provider's batch API
    estimate_trial   the plan priced by run/estimate.py; nothing is kept

Each use case is an async core (``..._async``) and a sync wrapper around it.

The variants: ``baseline`` (the persona file as it is, always), one per ``--variant FILE``
(labelled by the file's stem), ``model:ID`` and ``effort:LEVEL`` (the baseline with that model
or effort).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from panelist.backends import BackendPool, resolve_model
from panelist.backends.base import BatchStatus, Effort
from panelist.errors import FileFormatError, InputError
from panelist.models import Draft, DraftMeta, Persona, Usage
from panelist.run import batch
from panelist.run.estimate import JobEstimate, estimate_plan
from panelist.run.jobs import (
    Answered,
    Job,
    JobResult,
    JobState,
    PlannedJob,
    Reporter,
    RunSettings,
    SilentReporter,
)
from panelist.run.panel import Panel, run_plan
from panelist.run.plan import Plan, make_plan
from panelist.store import ledger
from panelist.store.batches import BatchStore
from panelist.store.trials import (
    BASELINE,
    TrialRecord,
    TrialReference,
    TrialStore,
    TrialVariant,
    variant_folder,
)
from panelist.store.workspace import Workspace


@dataclass(frozen=True)
class TrialSpec:
    persona: str
    products: Sequence[str]
    references: Mapping[str, TrialReference]  # product -> its approved take, where it has one
    variant_files: Sequence[Path] = ()
    models: Sequence[str] = ()
    efforts: Sequence[Effort] = ()


@dataclass(frozen=True)
class StartedTrial:
    record: TrialRecord
    plan: Plan


def start_trial(workspace: Workspace, spec: TrialSpec, settings: RunSettings, *,
                keep: bool = True) -> StartedTrial:
    """The trial's record and plan; with ``keep``, its folder with the variants' files."""
    persona = workspace.select_personas([spec.persona])[0]
    products = [workspace.load_product(ref).slug for ref in dict.fromkeys(spec.products)]
    if not products:
        raise InputError(f"No products to try {persona.id} on: name them with --on PRODUCT... "
                         f"or pass --sample N")
    store = TrialStore(workspace)
    variants, files, personas = _variants(workspace, persona, spec)
    record = TrialRecord(
        id=store.new_id(persona.id), persona=persona.id, created_at=ledger.now(),
        products=products, variants=variants, concurrency=settings.concurrency,
        references={slug: spec.references[slug] for slug in products if slug in spec.references})
    for variant in variants:
        for slug in products:
            record.cell(variant.label, slug)
    plan = _plan(workspace, record, personas, settings)
    if keep:
        try:
            for variant in variants:
                if variant.label in files:
                    store.keep_variant_file(record, variant, files[variant.label])
            store.save(record)
        except BaseException:
            shutil.rmtree(store.folder(record.id), ignore_errors=True)
            raise
    return StartedTrial(record, plan)


def _variants(workspace: Workspace, persona: Persona, spec: TrialSpec
              ) -> tuple[list[TrialVariant], dict[str, bytes], dict[str, Persona]]:
    """Each variant, the persona file bytes to keep for it, and the persona it runs as."""
    baseline = TrialVariant(label=BASELINE, kind="baseline", folder=variant_folder(0, BASELINE))
    variants = [baseline]
    files = {BASELINE: workspace.persona_path(persona.id).read_bytes()}
    personas = {BASELINE: persona}
    for path in spec.variant_files:
        if not path.is_file():
            raise InputError(f"--variant {path}: no such file (a persona file, e.g. "
                             f"personas/{persona.id}.md edited and saved elsewhere)")
        variant_persona = workspace.read_persona_file(path)
        if variant_persona.id != persona.id:
            raise FileFormatError(path, f"'{variant_persona.id}' is not the persona on trial",
                                  field="id", fix=f"set id: {persona.id} (a variant is another "
                                                  f"version of that persona)")
        label = path.stem
        variants.append(TrialVariant(label=label, kind="file", source=str(path),
                                     folder=variant_folder(len(variants), label)))
        files[label] = path.read_bytes()
        personas[label] = variant_persona
    for model in spec.models:
        label = f"model:{model}"
        variants.append(TrialVariant(label=label, kind="model", model=model,
                                     folder=variant_folder(len(variants), label)))
        personas[label] = persona
    for effort in spec.efforts:
        label = f"effort:{effort}"
        variants.append(TrialVariant(label=label, kind="effort", effort=effort,
                                     folder=variant_folder(len(variants), label)))
        personas[label] = persona
    labels = [variant.label for variant in variants]
    if len(set(labels)) != len(labels):
        twice = next(label for label in labels if labels.count(label) > 1)
        raise InputError(f"the variant '{twice}' is given twice (a variant file is labelled by "
                         f"its name: rename one, or drop the repeat)")
    return variants, files, personas


def _plan(workspace: Workspace, record: TrialRecord, personas: Mapping[str, Persona],
          settings: RunSettings) -> Plan:
    """One plan across every variant and product, so they share one pool of calls."""
    products = [workspace.load_product(slug) for slug in record.products]
    planned: list[PlannedJob] = []
    for variant in record.variants:
        chosen = replace(settings, model=variant.model or settings.model,
                         effort=variant.effort or settings.effort)
        jobs = [Job(product, personas[variant.label], variant=variant.label)
                for product in products]
        planned += make_plan(workspace, jobs, chosen).jobs
    return Plan(settings, planned)


def kept_personas(workspace: Workspace, record: TrialRecord) -> dict[str, Persona]:
    """The persona each variant of a kept trial ran as, from the trial's own files."""
    store = TrialStore(workspace)
    return {variant.label: store.variant_persona(record, variant) for variant in record.variants}


class TrialSink:
    """Takes go to the trial's folder: no product lock (drafts/ is not written), take 1 each."""

    def __init__(self, workspace: Workspace, record: TrialRecord) -> None:
        self.store = TrialStore(workspace)
        self.record = record

    def hold(self, slugs: Sequence[str]) -> contextlib.AbstractContextManager[object]:
        return contextlib.nullcontext()

    def next_take(self, job: Job) -> int:
        return 1

    def write(self, job: Job, meta: DraftMeta, quote: str) -> Draft:
        variant = self.record.variant(job.variant)
        path = self.store.take_path(self.record, variant, job.product.slug)
        return self.store.write_take(path, meta, quote)


class _Timer:
    """Passes progress on, and times each take from its first call to its result."""

    def __init__(self, inner: Reporter | None) -> None:
        self.inner = inner or SilentReporter()
        self.started: dict[str, float] = {}
        self.seconds: dict[str, float] = {}

    def update(self, job: Job, state: JobState, detail: str = "") -> None:
        now = time.perf_counter()
        if state == "drafting":
            self.started.setdefault(job.key, now)
        elif state in ("done", "failed") and job.key in self.started:
            self.seconds[job.key] = round(now - self.started[job.key], 3)
        self.inner.update(job, state, detail)

    def spent(self, job: Job, usage: Usage) -> None:
        self.inner.spent(job, usage)


def _settle(workspace: Workspace, record: TrialRecord, results: Sequence[JobResult],
            timer: _Timer) -> TrialRecord:
    for result in results:
        cell = record.cell(result.job.variant, result.job.product.slug)
        cell.state = "done" if result.state == "done" else "failed"
        cell.detail = result.detail
        cell.seconds = timer.seconds.get(result.job.key)
    TrialStore(workspace).save(record)
    return record


async def run_trial_async(workspace: Workspace, started: StartedTrial,
                          reporter: Reporter | None = None) -> TrialRecord:
    timer = _Timer(reporter)
    results = await run_plan(workspace, started.plan, timer, TrialSink(workspace, started.record))
    return _settle(workspace, started.record, results, timer)


def run_trial(workspace: Workspace, started: StartedTrial,
              reporter: Reporter | None = None) -> TrialRecord:
    """Every take of the trial, concurrently; the record says how each went."""
    return asyncio.run(run_trial_async(workspace, started, reporter))


async def estimate_trial_async(workspace: Workspace, spec: TrialSpec, settings: RunSettings
                               ) -> list[JobEstimate]:
    """What the trial's requests would use and cost; no folder is made, no model is run."""
    return await estimate_plan(start_trial(workspace, spec, settings, keep=False).plan)


def estimate_trial(workspace: Workspace, spec: TrialSpec, settings: RunSettings
                   ) -> list[JobEstimate]:
    return asyncio.run(estimate_trial_async(workspace, spec, settings))


def _batches(workspace: Workspace, record: TrialRecord) -> BatchStore:
    return BatchStore(workspace, TrialStore(workspace).folder(record.id) / "batch")


def submit_trial(workspace: Workspace, started: StartedTrial) -> TrialRecord:
    return asyncio.run(submit_trial_async(workspace, started))


async def submit_trial_async(workspace: Workspace, started: StartedTrial) -> TrialRecord:
    """The trial's requests as one batch (half price); its record is kept in the trial."""
    record = started.record
    try:
        submitted = await batch.submit(workspace, started.plan, _batches(workspace, record))
    except BaseException:  # refused or never sent: no trial is left waiting on nothing
        shutil.rmtree(TrialStore(workspace).folder(record.id), ignore_errors=True)
        raise
    record.batch = submitted.id
    record.batch_entries = {entry.custom_id: planned.job.variant for entry, planned
                            in zip(submitted.entries, started.plan.jobs, strict=True)}
    TrialStore(workspace).save(record)
    return record


def collect_trial(workspace: Workspace, record: TrialRecord, settings: RunSettings,
                  reporter: Reporter | None = None) -> BatchStatus:
    return asyncio.run(collect_trial_async(workspace, record, settings, reporter))


async def collect_trial_async(workspace: Workspace, record: TrialRecord, settings: RunSettings,
                              reporter: Reporter | None = None) -> BatchStatus:
    """Write an ended batch's answers into the trial, by the same validate -> write path."""
    if record.batch is None:
        raise InputError(f"Trial {record.id} did not go through a batch; nothing to collect")
    store = _batches(workspace, record)
    submitted = store.load(record.batch)
    personas = kept_personas(workspace, record)
    timer = _Timer(reporter)
    async with BackendPool(settings.backend, settings.concurrency) as pool:
        status, items = await batch.fetch_results(pool, submitted, settings.backend)
        if not status.ended:
            return status
        answers: list[Answered] = []
        by_key = {}
        for entry in submitted.pending():
            label = record.batch_entries[entry.custom_id]
            item = items.get(entry.custom_id)
            if item is None or item.response is None:
                entry.state = ("errored" if item is None or item.outcome == "succeeded"
                               else item.outcome)
                cell = record.cell(label, entry.product)
                cell.state, cell.detail = "failed", f"{entry.state} in batch {submitted.id}"
                continue
            job = Job(workspace.load_product(entry.product), personas[label], variant=label)
            by_key[job.key] = entry
            planned = PlannedJob(job, resolve_model(entry.model, settings.backend),
                                 batch.request_of(entry))
            answers.append(Answered(planned, item.response))
        panel = Panel(workspace, pool, timer, TrialSink(workspace, record))
        results = await panel.collect(answers, settings.concurrency)
    for result in results:
        by_key[result.job.key].state = "written" if result.state == "done" else "failed"
    store.save(submitted)
    _settle(workspace, record, results, timer)
    return status
