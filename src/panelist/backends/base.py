"""The one interface every model backend implements, and the request/response it speaks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, Protocol, runtime_checkable

from panelist.backends.retry import RetryHook, RetryNotice
from panelist.errors import BackendError
from panelist.models import TokenCounts

Role = Literal["user", "assistant"]
Effort = Literal["low", "medium", "high"]
BackendName = Literal["claude", "local"]
__all__ = ["RetryHook", "RetryNotice", "TokenCounts"]  # re-exported for the backends
# Characters per token where nothing counts them (English prose runs 3-4.5 by Claude's
# tokenizers; the 4.7+ tokenizer counts about 30% more tokens than the older one).
CHARS_PER_TOKEN = 4


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class LLMRequest:
    """A provider-neutral request: ``system`` is the shared prefix, ``messages`` the rest."""

    model: str
    system: str
    messages: tuple[ChatMessage, ...]
    max_tokens: int
    temperature: float  # sent only to models that take it (local, servers that are not Claude)
    effort: Effort | None = None  # Claude's output_config.effort; None: the model's default
    schema: dict[str, Any] = field(default_factory=dict)
    # ``schema`` plus length bounds, for backends that enforce a schema by grammar while decoding
    strict_schema: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Identifies prompt + model + settings: equal fingerprints mean an identical request."""
        blob = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False).encode()
        return "sha256:" + hashlib.sha256(blob).hexdigest()[:16]

    def followed_by(self, assistant_text: str, user_text: str) -> LLMRequest:
        return replace(self, messages=(*self.messages, ChatMessage("assistant", assistant_text),
                                       ChatMessage("user", user_text)))


@dataclass(frozen=True)
class LLMResponse:
    text: str
    model: str
    stop_reason: str | None
    tokens: TokenCounts
    latency_s: float
    attempts: int = 1
    batch: bool = False  # answered through a batch, so priced at the batch rate


class Backend(Protocol):
    """A provider's completion API. What it can do is asked of it, never of its name."""

    name: BackendName
    draws: int  # takes drawn per job, the quality gate keeping the best (1: one call + re-ask)

    def describe_request(self, request: LLMRequest) -> dict[str, Any]:
        """The exact payload ``complete`` would send, for ``panelist render``."""
        ...

    async def complete(self, request: LLMRequest, on_retry: RetryHook | None = None
                       ) -> LLMResponse: ...

    async def aclose(self) -> None: ...


BatchOutcome = Literal["succeeded", "errored", "expired", "canceled"]


@dataclass(frozen=True)
class BatchStatus:
    """Where a submitted batch stands; ``counts`` has processing / succeeded / errored /
    canceled / expired."""

    id: str
    ended: bool
    counts: dict[str, int]
    expires_at: str | None = None


@dataclass(frozen=True)
class BatchItem:
    """One request's outcome: a response when it succeeded, else why not."""

    custom_id: str
    outcome: BatchOutcome
    response: LLMResponse | None = None
    detail: str = ""
    billed: LLMResponse | None = None  # an answer that cannot hold a take, paid for all the same


@runtime_checkable
class BatchBackend(Protocol):
    """A backend that can also run many requests as one asynchronous, discounted batch."""

    async def submit_batch(self, items: Sequence[tuple[str, LLMRequest]]) -> BatchStatus: ...

    async def batch_status(self, batch_id: str) -> BatchStatus: ...

    async def batch_results(self, batch_id: str) -> list[BatchItem]: ...


@runtime_checkable
class TokenCounter(Protocol):
    """A backend that can count a request's input tokens without running it."""

    counted_by: str  # how it counts, as an estimate names it

    async def count_tokens(self, request: LLMRequest) -> int: ...


class BilledCallError(BackendError):
    """A call that failed after the model answered: its tokens were billed and go to the ledger."""

    def __init__(self, message: str, response: LLMResponse) -> None:
        super().__init__(message)
        self.response = response
