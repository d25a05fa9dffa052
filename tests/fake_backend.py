"""An in-process backend with a call history, for orchestration specs (llm's MockModel).

The real SDK against the loopback fake stays the test of the Claude path; this one answers
from a function, records every request, and tracks how many calls were in flight at once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from fake_messages_api import default_take
from panelist.backends import BackendOptions, BackendPool, ModelChoice
from panelist.backends.base import Backend, BackendName, LLMRequest, LLMResponse, TokenCounts
from panelist.backends.retry import RetryHook

Answer = Callable[[LLMRequest], str]  # the answer's text, or raise a BackendError


def valid_take(request: LLMRequest) -> str:
    prompt = "\n".join([request.system, *(message.content for message in request.messages)])
    return json.dumps(default_take("persona", prompt))


class FakeBackend:
    draws = 1  # the Backend protocol: one call per job (and one re-ask)

    def __init__(self, answer: Answer = valid_take, *, name: BackendName = "claude",
                 latency_s: float = 0.0) -> None:
        self.name = name
        self.answer = answer
        self.latency_s = latency_s
        self.calls: list[LLMRequest] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.closed = False

    def describe_request(self, request: LLMRequest) -> dict[str, Any]:
        return {"model": request.model}

    async def complete(self, request: LLMRequest, on_retry: RetryHook | None = None
                       ) -> LLMResponse:
        self.calls.append(request)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.latency_s)
            text = self.answer(request)
        finally:
            self.in_flight -= 1
        return LLMResponse(text=text, model=request.model, stop_reason="end_turn",
                           tokens=TokenCounts(input_tokens=100, output_tokens=50),
                           latency_s=self.latency_s)

    async def aclose(self) -> None:
        self.closed = True


class FakePool(BackendPool):
    """Every model choice served by one fake backend; counts how often it was closed."""

    def __init__(self, backend: Backend) -> None:
        super().__init__(BackendOptions())
        self.backend = backend
        self.closes = 0

    def get(self, choice: ModelChoice) -> Backend:
        return self.backend

    async def aclose(self) -> None:
        self.closes += 1


