"""Panel runs: plan which personas to draft, then render -> complete -> validate -> write.

Personas run concurrently under one semaphore; each job ends in a draft or a clear per-persona
failure, and one persona failing never costs the others their drafts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

from panelist import quality
from panelist.backends import BackendOptions, BackendPool, ModelChoice, resolve_model
from panelist.backends.base import (
    BilledCallError,
    ChatMessage,
    Effort,
    LLMRequest,
    LLMResponse,
    RetryNotice,
)
from panelist.backends.claude_models import is_claude_model
from panelist.backends.retry import TransientError
from panelist.errors import (
    BackendError,
    ConfigError,
    EditProtectedError,
    FileFormatError,
    TakeValidationError,
)
from panelist.models import (
    Draft,
    DraftMeta,
    Persona,
    Product,
    Take,
    Usage,
    take_json_schema,
    take_strict_schema,
    take_token_cap,
)
from panelist.run.injection import injection_flags
from panelist.run.pricing import cost_usd
from panelist.run.prompts import PromptRenderer
from panelist.run.takes import TakeProblem, parse_take
from panelist.store import ledger
from panelist.store.drafts import DraftStore, content_hash
from panelist.store.workspace import Workspace

JobState = Literal["waiting", "drafting", "retrying", "re-asking", "done", "failed", "skipped"]
# Thinking comes out of max_tokens: room for it on top of the answer, by effort. The default
# effort is low: a 100-word quote needs little reasoning (BENCHMARKS.md has the figures).
THINKING_HEADROOM: dict[Effort, int] = {"low": 2048, "medium": 4096, "high": 8192}
DEFAULT_EFFORT: Effort = "low"
DEFAULT_TEMPERATURE = 0.7
DEFAULT_CONCURRENCY = 5


@dataclass(frozen=True)
class RunSettings:
    model: str | None = None  # --model; beats a persona's own model
    max_tokens: int | None = None  # None: the answer plus the effort's thinking headroom
    temperature: float | None = None  # None: the persona's, else the default
    effort: Effort | None = None  # --effort; beats a persona's own effort
    concurrency: int = DEFAULT_CONCURRENCY
    backend: BackendOptions = field(default_factory=BackendOptions)


@dataclass(frozen=True)
class Job:
    product: Product
    persona: Persona
    note: str | None = None
    replace: Draft | None = None  # the current draft this job replaces (forced or unedited)

    @property
    def key(self) -> str:
        return f"{self.product.slug}/{self.persona.id}"


@dataclass
class JobResult:
    job: Job
    state: JobState
    detail: str = ""
    draft: Draft | None = None
    usage: Usage = field(default_factory=Usage)


@dataclass(frozen=True)
class Answered:
    """A job whose first answer arrived another way (a batch): it is validated, re-asked and
    written exactly like an interactive answer."""

    job: Job
    choice: ModelChoice
    request: LLMRequest
    response: LLMResponse


class Reporter(Protocol):
    def update(self, job: Job, state: JobState, detail: str = "") -> None: ...

    def spent(self, job: Job, usage: Usage) -> None:
        """Told after every model call, with what that call used and cost."""
        ...


class SilentReporter:
    def update(self, job: Job, state: JobState, detail: str = "") -> None:
        return None

    def spent(self, job: Job, usage: Usage) -> None:
        return None


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
    store.guard(current, force=force, command=f"panelist redo {product.slug} {persona.id}")
    return Job(product, persona, note=note, replace=current)


def choose_model(job: Job, settings: RunSettings) -> ModelChoice:
    """``--model`` beats the persona's own model, which beats the default."""
    if settings.model or not job.persona.model:
        return resolve_model(settings.model, settings.backend)
    try:
        return resolve_model(job.persona.model, settings.backend)
    except ConfigError as error:
        raise FileFormatError(f"personas/{job.persona.id}.md", str(error), field="model",
                              fix="fix the model id or remove the line") from None


class Panel:
    def __init__(self, workspace: Workspace, settings: RunSettings,
                 reporter: Reporter | None = None, pool: BackendPool | None = None) -> None:
        self.workspace = workspace
        self.settings = settings
        self.reporter = reporter or SilentReporter()
        # the run's --concurrency is also the ceiling of the backends' adaptive rate limiter
        self.pool = pool or BackendPool(replace(settings.backend,
                                                concurrency=settings.concurrency))
        self.store = DraftStore(workspace)
        self.renderer = PromptRenderer(workspace)
        self._spent: dict[str, Usage] = {}  # what each job's calls used, failed ones included

    def build_request(self, job: Job, choice: ModelChoice) -> LLMRequest:
        prompt = self.renderer.render_prompt(job.product, job.persona, job.note)
        temperature = self.settings.temperature
        if temperature is None:
            temperature = job.persona.temperature
        if temperature is None:
            temperature = DEFAULT_TEMPERATURE
        effort = self.settings.effort or job.persona.effort or DEFAULT_EFFORT
        thinks = choice.backend == "claude" and is_claude_model(choice.model)
        # the answer's cap comes from the persona's word range (a model that never stops is cut
        # there); thinking, where the model thinks, gets its room on top
        max_tokens = self.settings.max_tokens or (
            take_token_cap(job.persona) + (THINKING_HEADROOM[effort] if thinks else 0))
        return LLMRequest(model=choice.model, system=prompt.system,
                          messages=(ChatMessage("user", prompt.user),),
                          max_tokens=max_tokens, temperature=temperature, effort=effort,
                          schema=take_json_schema(),
                          strict_schema=take_strict_schema(job.persona))

    async def run(self, jobs: Sequence[Job]) -> list[JobResult]:
        """Every job to a result; models and prompts are checked before any call or write."""
        choices = {job.key: choose_model(job, self.settings) for job in jobs}
        requests = {job.key: self.build_request(job, choices[job.key]) for job in jobs}
        # One local model serves one persona at a time: the others show as waiting, not drafting.
        one_at_a_time = all(choice.backend == "local" for choice in choices.values())
        return await self._run_jobs(
            jobs, lambda job: self.draft_take(job, choices[job.key], requests[job.key]),
            concurrency=1 if one_at_a_time else None)

    async def collect(self, answers: Sequence[Answered],
                      on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
        """Answers from a batch to drafts, by the same validate -> re-ask -> write path."""
        by_key = {answer.job.key: answer for answer in answers}

        def settle(job: Job) -> Awaitable[JobResult]:
            answer = by_key[job.key]
            return self.draft_take(job, answer.choice, answer.request, answer.response)

        return await self._run_jobs([answer.job for answer in answers], settle, on_result)

    async def _run_jobs(self, jobs: Sequence[Job], work: Callable[[Job], Awaitable[JobResult]],
                        on_result: Callable[[JobResult], None] | None = None, *,
                        concurrency: int | None = None) -> list[JobResult]:
        """Jobs under one shared semaphore, holding every product's lock; backends close after."""
        for job in jobs:
            self.reporter.update(job, "waiting")
        if jobs:
            quality.load_word_lists()
        gate = asyncio.Semaphore(max(1, concurrency or self.settings.concurrency))
        products = sorted({job.product.slug for job in jobs})

        async def run_one(job: Job) -> JobResult:
            async with gate:
                result = await work(job)
            if on_result is not None:
                on_result(result)
            return result

        try:
            with contextlib.ExitStack() as locks:
                for slug in products:
                    locks.enter_context(self.workspace.lock(slug))
                return list(await asyncio.gather(*(run_one(job) for job in jobs)))
        finally:
            await self.pool.aclose()

    async def draft_take(self, job: Job, choice: ModelChoice, request: LLMRequest,
                         answer: LLMResponse | None = None) -> JobResult:
        """Call (unless ``answer`` came from a batch), validate, re-ask at most once, write."""
        self.reporter.update(job, "drafting", choice.model)
        try:
            take, usage, model, assessment = await self._complete_take(job, choice, request,
                                                                       answer)
            draft = self._write_take(job, choice, request, take, usage, model, assessment)
        except (BackendError, EditProtectedError) as error:
            self.reporter.update(job, "failed", str(error))
            return JobResult(job, "failed", str(error), usage=self._spent.get(job.key, Usage()))
        except OSError as error:  # disk full, read-only folder: the previous file is intact
            detail = f"could not write {error.filename or 'the draft'}: {error.strerror or error}"
            self.reporter.update(job, "failed", detail)
            return JobResult(job, "failed", detail)
        flagged = "" if assessment.passed else f"; flagged: {'; '.join(assessment.flags)}"
        self.reporter.update(job, "done", f"{take.verdict}, take {draft.meta.take}{flagged}")
        return JobResult(job, "done", f"{take.verdict} (take {draft.meta.take}){flagged}",
                         draft, usage)

    async def _complete_take(self, job: Job, choice: ModelChoice, request: LLMRequest,
                             answer: LLMResponse | None
                             ) -> tuple[Take, Usage, str, quality.Assessment]:
        """The best take of the backend's draws (a local model: a few, each with a new seed;
        else one), judged by the quality gate; with a single draw, at most one re-ask (always
        interactive) carrying its problem. A take that still fails the gate comes back with
        its findings, to be written flagged."""
        draws = 1 if answer is not None else getattr(self.pool.get(choice), "draws", 1)
        known = quality.known_words([job.product.name, job.product.tagline,
                                     job.product.description])
        prompt = " ".join([request.system, *(m.content for m in request.messages)])
        best: _Candidate | None = None
        usage, problem, last = Usage(), "", answer
        for draw in range(draws):
            if draw:
                self.reporter.update(job, "retrying", f"draw {draw + 1} of {draws}: {problem}")
            response = last if draw == 0 and last is not None else await self._call(
                job, choice, request)
            usage, last = usage + self._usage(choice, response), response
            best, problem = self._judge(job, choice, response, known, prompt, best)
            if best is not None and best.assessment.passed:
                return best.take, usage, best.model, best.assessment
        if draws == 1 and last is not None:
            self.reporter.update(job, "re-asking", problem)
            reask = request.followed_by(last.text or "(empty)",
                                        self.renderer.render_reask(job.persona, problem))
            second = await self._call(job, choice, reask)
            usage = usage + self._usage(choice, second)
            best, problem = self._judge(job, choice, second, known, prompt, best)
        if best is None:
            tried = "a re-ask" if draws == 1 else f"{draws} draws"
            raise TakeValidationError(f"no valid take after {tried}: {problem}")
        return best.take, usage, best.model, best.assessment

    def _judge(self, job: Job, choice: ModelChoice, response: LLMResponse,
               known: frozenset[str], prompt: str, best: _Candidate | None
               ) -> tuple[_Candidate | None, str]:
        """The better of ``best`` and this answer's take, and what is wrong with this one."""
        try:
            take = self._accept(job, choice, response)
        except TakeProblem as problem:
            return best, str(problem)
        assessment = quality.assess_quote(take.quote, take.verdict, known, prompt)
        candidate = _Candidate(take, assessment, response.model)
        if best is None or assessment.rank > best.assessment.rank:
            best = candidate
        return best, "" if assessment.passed else assessment.problem()

    def _accept(self, job: Job, choice: ModelChoice, response: LLMResponse) -> Take:
        """The answer's take, or ``TakeProblem``; either way the call is in the ledger once."""
        try:
            take = parse_take(response.text, job.persona, stop_reason=response.stop_reason)
        except TakeProblem:
            self._record(job, choice, response, "invalid")
            raise
        self._record(job, choice, response, "ok")
        return take

    async def _call(self, job: Job, choice: ModelChoice, request: LLMRequest) -> LLMResponse:
        def on_retry(notice: RetryNotice) -> None:
            self.reporter.update(job, "retrying",
                                 f"attempt {notice.attempt + 1} in {notice.wait_s:.1f}s "
                                 f"({notice.reason})")

        backend = self.pool.get(choice)
        try:
            response = await backend.complete(request, on_retry=on_retry)
        except TransientError as error:
            self._record_failure(job, choice)
            raise BackendError(f"gave up after retries: {error}", status=error.status) from None
        except BilledCallError as error:  # answered, so billed: its tokens go to the ledger
            self._record(job, choice, error.response, "failed")
            raise
        except BackendError:
            self._record_failure(job, choice)
            raise
        self.reporter.update(job, "drafting", choice.model)
        return response

    def _usage(self, choice: ModelChoice, response: LLMResponse) -> Usage:
        tokens = response.tokens
        return Usage(input_tokens=tokens.input_tokens, output_tokens=tokens.output_tokens,
                     cache_read_tokens=tokens.cache_read_tokens,
                     cache_write_tokens=tokens.cache_write_tokens,
                     cache_write_1h_tokens=tokens.cache_write_1h_tokens,
                     thinking_tokens=tokens.thinking_tokens,
                     cost_usd=cost_usd(choice.model if choice.backend == "claude" else "local",
                                       tokens, batch=response.batch))

    def _record(self, job: Job, choice: ModelChoice, response: LLMResponse,
                outcome: ledger.Outcome) -> None:
        usage = self._usage(choice, response)
        self._spent[job.key] = self._spent.get(job.key, Usage()) + usage
        ledger.append(self.workspace.ledger_path, ledger.CallRecord(
            time=ledger.now(), product=job.product.slug, persona=job.persona.id,
            model=choice.model, backend=choice.backend, input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens, cache_read_tokens=usage.cache_read_tokens,
            cache_write_tokens=usage.cache_write_tokens,
            cache_write_1h_tokens=usage.cache_write_1h_tokens,
            thinking_tokens=usage.thinking_tokens, latency_s=round(response.latency_s, 3),
            attempts=response.attempts, outcome=outcome, batch=response.batch,
            cost_usd=usage.cost_usd))
        self.reporter.spent(job, usage)

    def _record_failure(self, job: Job, choice: ModelChoice) -> None:
        ledger.append(self.workspace.ledger_path, ledger.CallRecord(
            time=ledger.now(), product=job.product.slug, persona=job.persona.id,
            model=choice.model, backend=choice.backend, outcome="failed"))

    def _write_take(self, job: Job, choice: ModelChoice, request: LLMRequest, take: Take,
                    usage: Usage, model: str, assessment: quality.Assessment) -> Draft:
        slug, persona_id = job.product.slug, job.persona.id
        meta = DraftMeta(
            title=f"{job.product.name}: {job.persona.name} ({job.persona.label})",
            product=slug, persona=persona_id, verdict=take.verdict, take=
            self.store.next_take_number(slug, persona_id), model=model or choice.model,
            backend=choice.backend, generated_at=ledger.now(), fingerprint=request.fingerprint(),
            generated_hash=content_hash(take.verdict, take.quote), reasons=list(take.reasons),
            note=job.note, injection_flags=injection_flags(job.product.description),
            usage=usage, quality=None if assessment.passed else assessment.flags)
        current = self.store.read(slug, persona_id)
        if _changed_since_planned(job.replace, current):
            path = self.store.save_history_only(meta, take.quote)
            raise EditProtectedError(
                f"{self.workspace.relative(self.workspace.draft_path(slug, persona_id))} changed "
                f"while drafting; it was kept and the new take was saved to "
                f"{self.workspace.relative(path)}")
        if current is not None and self.store.protection(current):
            self.store.archive_edited(current)
        return self.store.save_generated(meta, take.quote)


@dataclass(frozen=True)
class _Candidate:
    take: Take
    assessment: quality.Assessment
    model: str


def _changed_since_planned(planned: Draft | None, current: Draft | None) -> bool:
    if current is None:
        return False
    if planned is None:
        return True
    return (planned.meta.take != current.meta.take or planned.quote != current.quote
            or planned.meta.verdict != current.meta.verdict
            or planned.meta.status != current.meta.status)


__all__ = ["Answered", "Job", "JobResult", "Panel", "RunSettings", "plan_draft", "plan_redo"]
