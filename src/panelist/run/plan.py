"""Plan once, then run the plan: which personas to draft, with which model, sending what.

    plan_products / plan_redo   the jobs a command asks for (and the personas it leaves alone)
    make_plan                   one model choice and one request per job, checked up front:
                                a bad persona model or a broken template stops the run before
                                any call is paid for
    Plan                        what run_plan, submit_batch, estimate and render all take

Nothing here prints or calls a model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from panelist.backends import BackendOptions, BackendPool, ModelChoice, resolve_model
from panelist.backends.base import ChatMessage, Effort, LLMRequest
from panelist.errors import ConfigError, FileFormatError
from panelist.models import (
    Persona,
    Product,
    take_json_schema,
    take_strict_schema,
    take_strict_token_cap,
    take_token_cap,
)
from panelist.run.jobs import Job, JobResult, PlannedJob, RunSettings
from panelist.run.prompts import PromptRenderer
from panelist.store.batches import BatchStore
from panelist.store.drafts import DraftStore
from panelist.store.text import check_text
from panelist.store.workspace import Workspace

# Thinking comes out of max_tokens: room for it on top of the answer, by effort. The default
# effort is low: a 100-word quote needs little reasoning (BENCHMARKS.md has the figures).
THINKING_HEADROOM: dict[Effort, int] = {"low": 2048, "medium": 4096, "high": 8192}
DEFAULT_EFFORT: Effort = "low"
DEFAULT_TEMPERATURE = 0.7


@dataclass(frozen=True)
class Plan:
    settings: RunSettings
    jobs: list[PlannedJob] = field(default_factory=list)
    skipped: list[JobResult] = field(default_factory=list)  # left alone, with the reason

    @property
    def serial(self) -> bool:
        """Every job runs on a backend that serves one call at a time (a local model)."""
        return bool(self.jobs) and all(planned.choice.serial for planned in self.jobs)

    @property
    def title(self) -> str:
        slugs = list(dict.fromkeys(planned.job.product.slug for planned in self.jobs))
        if len(slugs) > 3:
            return f"{len(slugs)} products ({len(self.jobs)} takes)"
        return ", ".join(slugs) or "nothing to draft"


def run_settings(model: str | None, base_url: str | None, concurrency: int,
                 timeout_s: float | None = None, *, effort: Effort | None = None) -> RunSettings:
    return RunSettings(model=model, concurrency=concurrency, effort=effort,
                       backend=BackendOptions(base_url=base_url, timeout_s=timeout_s))


def make_plan(workspace: Workspace, jobs: Sequence[Job], settings: RunSettings,
              skipped: Sequence[JobResult] = ()) -> Plan:
    """Each job's model and request, decided once; every template is checked too."""
    renderer = PromptRenderer(workspace)
    for persona in {job.persona.id: job.persona for job in jobs}.values():
        renderer.check_reask(persona)  # a broken reask.j2 must not wait for the first re-ask
    planned = []
    for job in jobs:
        choice = choose_model(job, settings)
        planned.append(PlannedJob(job, choice, build_request(renderer, job, choice, settings)))
    return Plan(settings, planned, list(skipped))


def check_writable(workspace: Workspace, plan: Plan) -> None:
    """The folders the plan's drafts go to can be written: before any call is paid for."""
    by_product: dict[str, list[str]] = {}
    for planned in plan.jobs:
        by_product.setdefault(planned.job.product.slug, []).append(planned.job.persona.id)
    for slug, persona_ids in by_product.items():
        workspace.check_writable(slug, persona_ids)


def choose_model(job: Job, settings: RunSettings) -> ModelChoice:
    """``--model`` beats the persona's own model, which beats the default."""
    if settings.model or not job.persona.model:
        return resolve_model(settings.model, settings.backend)
    try:
        return resolve_model(job.persona.model, settings.backend)
    except ConfigError as error:
        raise FileFormatError(f"personas/{job.persona.id}.md", str(error), field="model",
                              fix="fix the model id or remove the line") from None


def build_request(renderer: PromptRenderer, job: Job, choice: ModelChoice,
                  settings: RunSettings) -> LLMRequest:
    prompt = renderer.render_prompt(job.product, job.persona, job.note)
    temperature = settings.temperature
    if temperature is None:
        temperature = job.persona.temperature
    if temperature is None:
        temperature = DEFAULT_TEMPERATURE
    effort = settings.effort or job.persona.effort or DEFAULT_EFFORT
    # the answer's cap, and thinking's room on top where the model thinks
    max_tokens = settings.max_tokens or (
        answer_cap(job.persona, choice) + (THINKING_HEADROOM[effort] if choice.thinks else 0))
    return LLMRequest(model=choice.model, system=prompt.system,
                      messages=(ChatMessage("user", prompt.user),),
                      max_tokens=max_tokens, temperature=temperature, effort=effort,
                      schema=take_json_schema(), strict_schema=take_strict_schema(job.persona))


def answer_cap(persona: Persona, choice: ModelChoice) -> int:
    """The answer's share of ``max_tokens``: from the persona's word range (a model that never
    stops is cut there); a server that enforces the strict schema by grammar gets room for
    the longest answer that schema allows (its words are counted, not its tokens: a cap below
    it cut valid takes off)."""
    if choice.enforces_schema_by_grammar:
        return take_strict_token_cap(persona)
    return take_token_cap(persona)


def product_refs(workspace: Workspace, refs: Sequence[str] | None, all_products: bool
                 ) -> list[str]:
    """The products named on the command line, or with ``--all`` every one in products/."""
    return workspace.chosen_products(refs, all_products, command="draft")


def plan_products(workspace: Workspace, refs: Sequence[str], persona_ids: list[str] | None,
                  settings: RunSettings, *, force: bool) -> Plan:
    """One plan across every product (one shared pool); the rest reported as skipped.

    A persona whose answer is still due in a submitted batch is skipped too (unless ``force``),
    so a run never pays twice for the same take.
    """
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
    return make_plan(workspace, jobs, settings, skipped)


def plan_draft(store: DraftStore, product: Product, personas: Sequence[Persona], *,
               force: bool) -> tuple[list[Job], list[JobResult]]:
    """Personas with no draft yet (all of them with ``force``); the rest are reported skipped."""
    jobs, skipped = [], []
    for persona in personas:
        current = store.read(product.slug, persona.id)
        if current is None or force:
            jobs.append(Job(product, persona, replace=current))
            continue
        why = store.protection(current)
        detail = (f"kept: {why} by an editor" if why else
                  f"kept take {current.meta.take}; 'panelist redo {product.slug} {persona.id}' "
                  f"drafts a new one")
        skipped.append(JobResult(Job(product, persona), "skipped", detail, draft=current))
    return jobs, skipped


def plan_redo(store: DraftStore, product: Product, persona: Persona, *, note: str | None,
              force: bool) -> Job:
    current = store.read(product.slug, persona.id)
    if note is not None:  # the note is written into the draft: checked before any call is paid
        note = check_text(note, "note", store.workspace.relative(
            store.workspace.draft_path(product.slug, persona.id)))
    store.guard(current, force=force, command=f"panelist redo {product.slug} {persona.id}")
    return Job(product, persona, note=note, replace=current)


async def describe_plan(plan: Plan) -> list[dict[str, Any]]:
    """The exact payload each planned job would send, for ``panelist render``; no call."""
    async with BackendPool(plan.settings.backend, plan.settings.concurrency) as pool:
        return [{"backend": planned.choice.backend, "fingerprint": planned.request.fingerprint(),
                 "request": pool.get(planned.choice).describe_request(planned.request)}
                for planned in plan.jobs]
