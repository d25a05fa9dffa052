"""The one interface every model backend implements, and the request/response it speaks."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, Protocol

from panelist.retry import RetryHook, RetryNotice

Role = Literal["user", "assistant"]
BackendName = Literal["claude", "local"]
__all__ = ["RetryHook", "RetryNotice"]  # re-exported: backends take a retry hook


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
    temperature: float
    schema: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Identifies prompt + model + settings: equal fingerprints mean an identical request."""
        blob = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False).encode()
        return "sha256:" + hashlib.sha256(blob).hexdigest()[:16]

    def followed_by(self, assistant_text: str, user_text: str) -> LLMRequest:
        return replace(self, messages=(*self.messages, ChatMessage("assistant", assistant_text),
                                       ChatMessage("user", user_text)))


@dataclass(frozen=True)
class TokenCounts:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0


@dataclass(frozen=True)
class LLMResponse:
    text: str
    model: str
    stop_reason: str | None
    tokens: TokenCounts
    latency_s: float
    attempts: int = 1


class Backend(Protocol):
    name: BackendName

    def describe_request(self, request: LLMRequest) -> dict[str, Any]:
        """The exact payload ``complete`` would send, for ``panelist render``."""
        ...

    async def complete(self, request: LLMRequest, on_retry: RetryHook | None = None
                       ) -> LLMResponse: ...

    async def aclose(self) -> None: ...
