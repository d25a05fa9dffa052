"""The one retry policy: transient failures only, retry-after honoured, attempts capped."""

from __future__ import annotations

import asyncio

import pytest

from panelist.backends.retry import RetryPolicy, TransientError, call_with_retries
from panelist.errors import BackendError


def run(policy, outcomes):
    calls = []
    notices = []

    async def call():
        calls.append(1)
        outcome = outcomes[len(calls) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    result = asyncio.run(call_with_retries(policy, call, notices.append))
    return result, len(calls), notices


def test_retry_after_sets_the_wait():
    policy = RetryPolicy(time_scale=0.001)

    assert policy.wait_for(1, TransientError("429", retry_after=7)) == pytest.approx(0.007)
    assert RetryPolicy().wait_for(1, TransientError("429", retry_after=7)) == 7


def test_backoff_is_jittered_and_capped():
    policy = RetryPolicy(base_wait_s=1, max_wait_s=4)

    waits = [policy.wait_for(attempt, None) for attempt in (1, 2, 3, 8)]

    assert 0.5 <= waits[0] <= 1 and 1 <= waits[1] <= 2 and 2 <= waits[2] <= 4
    assert waits[3] <= 4


def test_transient_errors_are_retried_until_success():
    policy = RetryPolicy(time_scale=0.001)
    outcomes = [TransientError("529", status=529), TransientError("reset"), "ok"]

    result, calls, notices = run(policy, outcomes)

    assert result == ("ok", 3) and calls == 3
    assert [n.attempt for n in notices] == [1, 2]


def test_permanent_errors_are_never_retried():
    with pytest.raises(BackendError, match="401"):
        run(RetryPolicy(time_scale=0.001), [BackendError("401", status=401), "ok"])


def test_attempts_are_capped():
    policy = RetryPolicy(max_attempts=3, time_scale=0.001)

    with pytest.raises(TransientError):
        run(policy, [TransientError(f"#{i}") for i in range(10)])
