"""The one retry policy for model calls: transient failures only, jittered, honouring retry-after.

Backends translate their provider's errors into ``BackendError`` with ``retryable`` and
``retry_after`` set; this module knows nothing about any provider.
"""

from __future__ import annotations

import inspect
import os
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from panelist.errors import TransientError

__all__ = ["RetryHook", "RetryNotice", "RetryPolicy", "TransientError", "call_with_retries"]

T = TypeVar("T")


@dataclass(frozen=True)
class RetryNotice:
    """Told to the progress display before each retry sleep."""

    attempt: int
    wait_s: float
    reason: str


RetryHook = Callable[[RetryNotice], Awaitable[None] | None]


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_wait_s: float = 1.0
    max_wait_s: float = 30.0
    max_total_wait_s: float = 120.0
    time_scale: float = 1.0  # tests and benchmarks shrink every wait; 1.0 in real use

    @classmethod
    def from_env(cls) -> RetryPolicy:
        """The default policy; ``PANELIST_RETRY_SCALE`` (tests only) shrinks its waits."""
        try:
            scale = float(os.environ.get("PANELIST_RETRY_SCALE", "1"))
        except ValueError:
            scale = 1.0
        return cls(time_scale=min(max(scale, 0.0), 1.0))

    def wait_for(self, attempt: int, error: BaseException | None) -> float:
        """retry-after when the server gave one, else full-jitter exponential backoff."""
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:
            return float(min(max(retry_after, 0.0), self.max_wait_s)) * self.time_scale
        ceiling = min(self.max_wait_s, self.base_wait_s * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling) * self.time_scale


async def call_with_retries(policy: RetryPolicy, call: Callable[[], Awaitable[T]],
                            on_retry: RetryHook | None = None) -> tuple[T, int]:
    """Run ``call`` under ``policy``; returns its result and how many attempts it took."""
    waited = 0.0
    budget = policy.max_total_wait_s * policy.time_scale

    def wait(state: RetryCallState) -> float:
        nonlocal waited
        error = state.outcome.exception() if state.outcome else None
        seconds = policy.wait_for(state.attempt_number, error)
        if waited + seconds > budget:
            seconds = max(budget - waited, 0.0)
        waited += seconds
        return seconds

    def out_of_budget(state: RetryCallState) -> bool:
        return (stop_after_attempt(policy.max_attempts)(state)
                or (budget > 0 and waited >= budget))

    async def before_sleep(state: RetryCallState) -> None:
        if on_retry is None:
            return
        error = state.outcome.exception() if state.outcome else None
        notice = RetryNotice(attempt=state.attempt_number,
                             wait_s=state.upcoming_sleep, reason=str(error))
        result = on_retry(notice)
        if inspect.isawaitable(result):
            await result

    retrying = AsyncRetrying(
        retry=retry_if_exception(lambda e: isinstance(e, TransientError)),
        stop=out_of_budget,
        wait=wait,
        before_sleep=before_sleep,
        reraise=True,
    )
    attempts = 0
    try:
        async for attempt in retrying:
            with attempt:
                attempts = attempt.retry_state.attempt_number
                result = await call()
    except TransientError as error:  # still transient, but the budget is spent: say so here
        raise TransientError(f"gave up after retries ({attempts} attempts): {error}",
                             status=error.status) from None
    return result, attempts
