"""Redo and draft runs started from the desk: the service's prepared runs (the same as the
CLI's), run in a background thread, with each persona's state kept for the page's live progress.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from panelist.errors import InputError, PanelistError, WorkspaceLockedError
from panelist.models import Usage
from panelist.run import service
from panelist.run.jobs import Job, JobResult, JobState, RunSettings
from panelist.run.service import PreparedRun
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
        prepared = service.prepare_redo(self.workspace, slug, persona_id, note,
                                        self.settings_factory(), force=force)
        return self._start("redo", prepared)

    def start_draft(self, slug: str) -> DeskRun:
        """The personas with no draft yet, as ``panelist draft PRODUCT`` plans them: never one
        whose answer is still due in a batch."""
        prepared = service.prepare_draft(self.workspace, [slug], None, self.settings_factory())
        if not prepared.plan.jobs:
            waiting = [r.detail for r in prepared.skipped if r.detail.startswith("waiting")]
            why = (f"{len(waiting)} persona(s) are {waiting[0]}" if waiting else
                   "every persona has a draft: redo one to draft a new take")
            raise InputError(f"Nothing to draft on {prepared.skipped[0].job.product.slug}'s "
                             f"panel: {why}")
        return self._start("draft", prepared)

    def _start(self, kind: RunKind, prepared: PreparedRun) -> DeskRun:
        # models and templates were checked while preparing: no key and no local model is
        # said here, not later
        jobs = [planned.job for planned in prepared.plan.jobs]
        slug = jobs[0].product.slug
        with self._lock:
            if any(run.product == slug and run.state == "running"
                   for run in self._runs.values()):
                raise WorkspaceLockedError(f"A run is already working on '{slug}'; wait for it "
                                           f"to finish, then try again")
            run = DeskRun(id=str(next(self._ids)), kind=kind, product=slug,
                          personas={job.persona.id: PersonaProgress(job.persona.id)
                                    for job in jobs})
            self._runs[run.id] = run
        thread = threading.Thread(target=self._execute, args=(run, prepared),
                                  name=f"desk-{kind}-{slug}", daemon=True)
        thread.start()
        return run

    def _execute(self, run: DeskRun, prepared: PreparedRun) -> None:
        try:
            results: list[JobResult] = [r for r in prepared.run(run) if r.state != "skipped"]
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
