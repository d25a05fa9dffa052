"""What a run is made of: settings, one job per persona and product, each job's result, and
the reporter that hears how jobs progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from panelist.backends import BackendOptions, ModelChoice
from panelist.backends.base import Effort, LLMRequest, LLMResponse
from panelist.models import Draft, Persona, Product, Usage

JobState = Literal["waiting", "drafting", "retrying", "re-asking", "done", "failed", "skipped"]
DEFAULT_CONCURRENCY = 5


@dataclass(frozen=True)
class RunSettings:
    model: str | None = None  # --model; beats a persona's own model
    max_tokens: int | None = None  # None: the answer's cap plus the effort's thinking headroom
    temperature: float | None = None  # None: the persona's, else the default
    effort: Effort | None = None  # --effort; beats a persona's own effort
    concurrency: int = DEFAULT_CONCURRENCY  # calls in flight, and the rate limiter's ceiling
    backend: BackendOptions = field(default_factory=BackendOptions)


@dataclass(frozen=True)
class Job:
    product: Product
    persona: Persona
    note: str | None = None
    replace: Draft | None = None  # the current draft this job replaces (forced or unedited)
    variant: str = ""  # a trial's variant of the persona ('model:ID', a file's stem...)

    @property
    def key(self) -> str:
        return f"{self.product.slug}/{self.seat}"

    @property
    def seat(self) -> str:
        """The persona as progress shows it: with its trial variant, if it has one."""
        return f"{self.persona.id} [{self.variant}]" if self.variant else self.persona.id


@dataclass(frozen=True)
class PlannedJob:
    """A job with its model chosen and its request built, once, before any call."""

    job: Job
    choice: ModelChoice
    request: LLMRequest


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

    planned: PlannedJob
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
