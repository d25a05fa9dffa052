"""Redo and draft runs started from the desk: the same plan and ``Panel`` as the CLI, run in a
background thread, with each persona's state kept for the page's live progress.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from panelist.errors import InputError, PanelistError, WorkspaceLockedError
from panelist.models import Usage
from panelist.run.jobs import Job, JobResult, JobState, RunSettings
from panelist.run.panel import run_plan
from panelist.run.plan import Plan, make_plan, plan_draft
from panelist.run.plan import plan_redo as plan_redo_job
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

RunKind = Literal["redo", "draft"]
RunState = Literal["running", "done", "failed"]


@dataclass
class PersonaProgress:
    persona: str
    state: JobState = "waiting"
    detail: str = ""


@dataclass
class DeskRun:
    id: str
    kind: RunKind
    product: str
    personas: dict[str, PersonaProgress]
    state: RunState = "running"
    error: str | None = None
    cost_usd: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # the Reporter protocol of panel.Panel
    def update(self, job: Job, state: JobState, detail: str = "") -> None:
        with self._lock:
            self.personas[job.persona.id] = PersonaProgress(job.persona.id, state, detail)

    def spent(self, job: Job, usage: Usage) -> None:
        with self._lock:
            self.cost_usd = round(self.cost_usd + usage.cost_usd, 6)

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {"id": self.id, "kind": self.kind, "product": self.product,
                    "state": self.state, "error": self.error, "cost_usd": self.cost_usd,
                    "personas": [{"persona": p.persona, "state": p.state, "detail": p.detail}
                                 for p in self.personas.values()]}


class DeskRuns:
    """The desk's runs by id; one run per product at a time, as with the CLI's lock."""

    def __init__(self, workspace: Workspace,
                 settings_factory: Callable[[], RunSettings] = RunSettings) -> None:
        self.workspace = workspace
        self.settings_factory = settings_factory
        self._runs: dict[str, DeskRun] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def get(self, run_id: str) -> DeskRun | None:
        return self._runs.get(run_id)

    def start_redo(self, slug: str, persona_id: str, note: str | None, *,
                   force: bool = False) -> DeskRun:
        """Refused (EditProtectedError) for an edited or approved draft unless ``force``."""
        product = self.workspace.load_product(slug)
        persona = self.workspace.select_personas([persona_id])[0]
        job = plan_redo_job(DraftStore(self.workspace), product, persona, note=note, force=force)
        return self._start("redo", product.slug, [job])

    def start_draft(self, slug: str) -> DeskRun:
        """The personas with no draft yet, as ``panelist draft PRODUCT`` plans them."""
        product = self.workspace.load_product(slug)
        jobs, _ = plan_draft(DraftStore(self.workspace), product,
                             self.workspace.select_personas(None), force=False)
        if not jobs:
            raise InputError(f"Every persona on {product.slug}'s panel has a draft: redo one "
                             f"to draft a new take")
        return self._start("draft", product.slug, jobs)

    def _start(self, kind: RunKind, slug: str, jobs: list[Job]) -> DeskRun:
        # models and templates are checked now: no key and no local model is said here, not later
        plan = make_plan(self.workspace, jobs, self.settings_factory())
        with self._lock:
            if any(run.product == slug and run.state == "running"
                   for run in self._runs.values()):
                raise WorkspaceLockedError(f"A run is already working on '{slug}'; wait for it "
                                           f"to finish, then try again")
            run = DeskRun(id=str(next(self._ids)), kind=kind, product=slug,
                          personas={job.persona.id: PersonaProgress(job.persona.id)
                                    for job in jobs})
            self._runs[run.id] = run
        thread = threading.Thread(target=self._execute, args=(run, plan),
                                  name=f"desk-{kind}-{slug}", daemon=True)
        thread.start()
        return run

    def _execute(self, run: DeskRun, plan: Plan) -> None:
        try:
            results: list[JobResult] = asyncio.run(run_plan(self.workspace, plan, run))
        except PanelistError as error:
            run.error, run.state = str(error), "failed"
            return
        except Exception as error:  # a bug: shown on the page instead of a silent thread death
            run.error, run.state = f"unexpected error: {error!r}", "failed"
            raise
        failed = [r for r in results if r.state == "failed"]
        if failed:
            run.error = "; ".join(f"{r.job.persona.id}: {r.detail}" for r in failed)
        run.state = "failed" if failed else "done"
