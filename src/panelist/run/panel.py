"""Running a plan: render -> complete -> validate -> write, concurrently, one retry policy.

    run_plan        opens the backends, runs every planned job, closes the backends
    Panel.run       jobs under one semaphore (one at a time on a serial backend), holding
                    each product's lock; one persona failing never costs the others
    Panel.collect   answers that came from a batch, by the same validate -> write path
    draft_take      the take of one job: draws, the quality gate, one re-ask, the write
                    (to the run's sink: the draft store unless a trial brings its own)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from panelist import quality
from panelist.backends import BackendPool, ModelChoice
from panelist.backends.base import BilledCallError, LLMRequest, LLMResponse, RetryNotice
from panelist.errors import BackendError, EditProtectedError, TakeValidationError
from panelist.models import Draft, DraftMeta, Take, Usage
from panelist.quality.version import gate_version
from panelist.run.bookkeeping import Books, usage_of
from panelist.run.injection import injection_flags
from panelist.run.jobs import Answered, Job, JobResult, PlannedJob, Reporter, SilentReporter
from panelist.run.plan import Plan, check_writable
from panelist.run.prompts import PromptRenderer
from panelist.run.sinks import DraftSink, TakeSink
from panelist.run.takes import TakeProblem, parse_take
from panelist.store import ledger
from panelist.store.drafts import content_hash
from panelist.store.workspace import Workspace


async def run_plan(workspace: Workspace, plan: Plan, reporter: Reporter | None = None,
                   sink: TakeSink | None = None) -> list[JobResult]:
    """Every planned job to a result, on backends opened for this run and closed after it."""
    check_writable(workspace, plan)
    settings = plan.settings
    async with BackendPool(settings.backend, settings.concurrency) as pool:
        return await Panel(workspace, pool, reporter, sink).run(plan)


class Panel:
    """Drafts takes on the backends of a pool it borrows (and never closes), into a sink
    (by default the draft store)."""

    def __init__(self, workspace: Workspace, pool: BackendPool,
                 reporter: Reporter | None = None, sink: TakeSink | None = None) -> None:
        self.workspace = workspace
        self.pool = pool
        self.reporter = reporter or SilentReporter()
        self.sink = sink or DraftSink(workspace)
        self.renderer = PromptRenderer(workspace)
        self.books = Books(workspace, self.reporter)
        self._catalogue: dict[str, str] | None = None
        self._facts: quality.CatalogueFacts | None = None

    async def run(self, plan: Plan) -> list[JobResult]:
        """Every planned job to a result. One local model serves one persona at a time: the
        others show as waiting, not drafting."""
        return await self._run_jobs(plan.jobs, self.draft_take,
                                    concurrency=1 if plan.serial else plan.settings.concurrency)

    async def collect(self, answers: Sequence[Answered], concurrency: int,
                      on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
        """Answers from a batch to drafts, by the same validate -> re-ask -> write path."""
        by_key = {answer.planned.job.key: answer for answer in answers}

        def settle(planned: PlannedJob) -> Awaitable[JobResult]:
            return self.draft_take(planned, by_key[planned.job.key].response)

        return await self._run_jobs([answer.planned for answer in answers], settle,
                                    concurrency=concurrency, on_result=on_result)

    async def _run_jobs(self, jobs: Sequence[PlannedJob],
                        work: Callable[[PlannedJob], Awaitable[JobResult]], *, concurrency: int,
                        on_result: Callable[[JobResult], None] | None = None
                        ) -> list[JobResult]:
        """Jobs under one shared semaphore, holding what the sink holds (product locks)."""
        for planned in jobs:
            self.reporter.update(planned.job, "waiting")
        gate = asyncio.Semaphore(max(1, concurrency))
        products = sorted({planned.job.product.slug for planned in jobs})

        async def run_one(planned: PlannedJob) -> JobResult:
            async with gate:
                result = await work(planned)
            if on_result is not None:
                on_result(result)
            return result

        with self.sink.hold(products):
            if jobs:  # after the locks: a second run is refused before it spends a second here
                quality.load_word_lists()
            return list(await asyncio.gather(*(run_one(planned) for planned in jobs)))

    async def draft_take(self, planned: PlannedJob, answer: LLMResponse | None = None
                         ) -> JobResult:
        """Call (unless ``answer`` came from a batch), validate, re-ask at most once, write."""
        job, choice, request = planned.job, planned.choice, planned.request
        self.reporter.update(job, "drafting", choice.model)
        try:
            kept, usage = await self._complete_take(job, choice, request, answer)
            take, assessment = kept.take, kept.assessment
            draft = self._write_take(job, choice, request, kept, usage)
        except (BackendError, EditProtectedError) as error:
            self.reporter.update(job, "failed", str(error))
            return JobResult(job, "failed", str(error),
                             usage=self.books.spent.get(job.key, Usage()))
        except OSError as error:  # disk full, read-only folder: the previous file is intact
            detail = f"could not write {error.filename or 'the draft'}: {error.strerror or error}"
            self.reporter.update(job, "failed", detail)
            return JobResult(job, "failed", detail)
        flagged = "" if assessment.passed else f"; flagged: {'; '.join(assessment.flags)}"
        self.reporter.update(job, "done", f"{take.verdict}, take {draft.meta.take}{flagged}")
        return JobResult(job, "done", f"{take.verdict} (take {draft.meta.take}){flagged}",
                         draft, usage)

    async def _complete_take(self, job: Job, choice: ModelChoice, request: LLMRequest,
                             answer: LLMResponse | None) -> tuple[_Candidate, Usage]:
        """The best take of the backend's draws (a local model: a few, each with a new seed;
        else one), judged by the quality gate; with a single draw, at most one re-ask (always
        interactive) carrying its problem. A take that still fails the gate comes back with
        its findings, to be written flagged. Also what every call cost, kept or not."""
        draws = 1 if answer is not None else self.pool.get(choice).draws
        prompt = " ".join([request.system, *(m.content for m in request.messages)])
        context = quality.context_for(job.product, job.persona, self._other_products(job),
                                      prompt, self._catalogue_facts())
        best: _Candidate | None = None
        usage, problem, last = Usage(), "", answer
        for draw in range(draws):
            if draw:
                self.reporter.update(job, "retrying", f"draw {draw + 1} of {draws}: {problem}")
            response = last if draw == 0 and last is not None else await self._call(
                job, choice, request)
            spent = usage_of(choice, response)
            usage, last = usage + spent, response
            best, problem = self._judge(job, choice, response, spent, context, best)
            if best is not None and best.assessment.passed:
                return best, usage
        if draws == 1 and last is not None:
            self.reporter.update(job, "re-asking", problem)
            reask = request.followed_by(last.text or "(empty)",
                                        self.renderer.render_reask(job.persona, problem))
            second = await self._call(job, choice, reask)
            spent = usage_of(choice, second)
            usage = usage + spent
            best, problem = self._judge(job, choice, second, spent, context, best)
        if best is None:
            tried = "a re-ask" if draws == 1 else f"{draws} draws"
            raise TakeValidationError(f"no valid take after {tried}: {problem}")
        return best, usage

    def _other_products(self, job: Job) -> list[str]:
        """The names of the workspace's other products, read once per run (a product file that
        does not load is left out here; its own job reports it)."""
        if self._catalogue is None:
            self._catalogue = self.workspace.product_names()
        return [name for slug, name in self._catalogue.items() if slug != job.product.slug]

    def _catalogue_facts(self) -> quality.CatalogueFacts:
        """The catalogue's products' facts, read if a take asks, once per run."""
        if self._facts is None:
            workspace = self.workspace
            self._facts = quality.CatalogueFacts.of_products(
                lambda: workspace.products().values())
        return self._facts

    def _judge(self, job: Job, choice: ModelChoice, response: LLMResponse, spent: Usage,
               context: quality.GateContext, best: _Candidate | None
               ) -> tuple[_Candidate | None, str]:
        """The better of ``best`` and this answer's take, and what is wrong with this one."""
        try:
            take = self._accept(job, choice, response)
        except TakeProblem as problem:
            return best, str(problem)
        assessment = quality.assess_take(take.quote, take.reasons, take.verdict, context)
        candidate = _Candidate(take, assessment, response.model, spent)
        if best is None or assessment.rank > best.assessment.rank:
            best = candidate
        return best, "" if assessment.passed else assessment.problem()

    def _accept(self, job: Job, choice: ModelChoice, response: LLMResponse) -> Take:
        """The answer's take, or ``TakeProblem``; either way the call is in the ledger once."""
        try:
            take = parse_take(response.text, job.persona, stop_reason=response.stop_reason)
        except TakeProblem:
            self.books.record(job, choice, response, "invalid")
            raise
        self.books.record(job, choice, response, "ok")
        return take

    async def _call(self, job: Job, choice: ModelChoice, request: LLMRequest) -> LLMResponse:
        def on_retry(notice: RetryNotice) -> None:
            self.reporter.update(job, "retrying",
                                 f"attempt {notice.attempt + 1} in {notice.wait_s:.1f}s "
                                 f"({notice.reason})")

        backend = self.pool.get(choice)
        try:
            response = await backend.complete(request, on_retry=on_retry)
        except BilledCallError as error:  # answered, so billed: its tokens go to the ledger
            self.books.record(job, choice, error.response, "failed")
            raise
        except BackendError:
            self.books.record_failure(job, choice)
            raise
        self.reporter.update(job, "drafting", choice.model)
        return response

    def _write_take(self, job: Job, choice: ModelChoice, request: LLMRequest, kept: _Candidate,
                    usage: Usage) -> Draft:
        """The kept take, its own call's usage as ``usage`` and the other calls' (``usage``
        less the kept call's) as ``discarded_usage``: a 90-word quote shows its own tokens.
        Written to the run's sink (the draft store, or a trial's folder)."""
        take, assessment = kept.take, kept.assessment
        discarded = usage - kept.usage
        meta = DraftMeta(
            title=f"{job.product.name}: {job.persona.name} ({job.persona.label})",
            product=job.product.slug, persona=job.persona.id, verdict=take.verdict,
            take=self.sink.next_take(job), model=kept.model or choice.model,
            backend=choice.backend, generated_at=ledger.now(), fingerprint=request.fingerprint(),
            generated_hash=content_hash(take.verdict, take.quote), reasons=list(take.reasons),
            note=job.note, injection_flags=injection_flags(job.product.description),
            usage=kept.usage, discarded_usage=discarded if discarded != Usage() else None,
            quality=None if assessment.passed else assessment.flags,
            quality_gate=gate_version())
        return self.sink.write(job, meta, take.quote)


@dataclass(frozen=True)
class _Candidate:
    take: Take
    assessment: quality.Assessment
    model: str
    usage: Usage  # of the call that wrote it


__all__ = ["Panel", "run_plan"]
