"""The client-side rate limiter: paced by the server's headers, concurrency that adapts (AIMD)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from fake_messages_api import FakeMessagesAPI, Fault
from panelist.backends.base import ChatMessage, LLMRequest
from panelist.backends.claude import ClaudeBackend, rate_limit_info
from panelist.backends.ratelimit import RateLimiter, RateLimitInfo
from panelist.backends.retry import RetryPolicy

THROTTLED = RateLimitInfo(retry_after=1.0)


def request_for(persona: str, product: str = "") -> LLMRequest:
    return LLMRequest(model="claude-sonnet-4-6", system=f"{product}A panel of reviewers. " * 20,
                      messages=(ChatMessage("user", f'<persona id="{persona}"> Review it.'),),
                      max_tokens=256, temperature=0.5)


async def hold(limiter: RateLimiter, info: RateLimitInfo, *, throttled: bool,
               seconds: float = 0.0) -> float:
    """Take a slot, keep it ``seconds``, report ``info``; returns when the slot was granted."""
    async with limiter.slot() as ticket:
        granted = time.monotonic()
        await asyncio.sleep(seconds)
        ticket.report(info, throttled=throttled)
    return granted


def test_a_burst_of_429s_halves_concurrency_once_and_successes_grow_it_back():
    limiter = RateLimiter(8, time_scale=0.0)

    async def scenario() -> tuple[float, float]:
        await asyncio.gather(*(hold(limiter, THROTTLED, throttled=True, seconds=0.01)
                               for _ in range(8)))
        after_storm = limiter.window
        for _ in range(40):
            await hold(limiter, RateLimitInfo(), throttled=False)
        return after_storm, limiter.window

    after_storm, recovered = asyncio.run(scenario())

    assert after_storm == 4, "eight calls refused together are one congestion event"
    assert limiter.shrinks == 1 and limiter.throttled == 8
    assert recovered == 8


def test_in_flight_calls_never_exceed_the_shrunk_window():
    limiter = RateLimiter(6, time_scale=0.0)
    limiter.window = 2.0
    peak = 0

    async def one() -> None:
        nonlocal peak
        async with limiter.slot() as ticket:
            peak = max(peak, limiter.in_flight)
            await asyncio.sleep(0.01)
            ticket.report(THROTTLED, throttled=True)

    async def scenario() -> None:
        await asyncio.gather(*(one() for _ in range(10)))

    asyncio.run(scenario())
    assert peak <= 2


def test_retry_after_holds_back_every_new_call_not_only_the_refused_one():
    limiter = RateLimiter(4, time_scale=1.0)

    async def scenario() -> float:
        await hold(limiter, RateLimitInfo(retry_after=0.3), throttled=True)
        started = time.monotonic()
        await hold(limiter, RateLimitInfo(), throttled=False)
        return time.monotonic() - started

    assert asyncio.run(scenario()) >= 0.28


def test_an_empty_budget_waits_for_the_reset_then_sends_one_probe_first():
    limiter = RateLimiter(4)

    async def scenario() -> list[float]:
        t0 = time.monotonic()
        await hold(limiter, RateLimitInfo(requests_remaining=0, requests_reset_in=0.2),
                   throttled=False)
        refill = RateLimitInfo(requests_remaining=5, requests_reset_in=0.2)
        granted = await asyncio.gather(*(hold(limiter, refill, throttled=False, seconds=0.1)
                                         for _ in range(3)))
        return sorted(g - t0 for g in granted)

    probe, *others = asyncio.run(scenario())
    assert probe >= 0.19, "nothing is sent before the reset"
    assert all(later >= probe + 0.09 for later in others), "the rest wait for the probe's answer"


def test_a_stale_answer_with_more_remaining_does_not_reopen_the_gate():
    limiter = RateLimiter(4)

    async def scenario() -> float:
        async with limiter.slot() as early, limiter.slot() as late:
            late.report(RateLimitInfo(requests_remaining=0, requests_reset_in=0.2))
            early.report(RateLimitInfo(requests_remaining=3, requests_reset_in=0.2))
        started = time.monotonic()
        await hold(limiter, RateLimitInfo(), throttled=False)
        return time.monotonic() - started

    assert asyncio.run(scenario()) >= 0.18, "the lowest count in a window wins"


def test_calls_in_flight_count_against_the_reported_budget():
    limiter = RateLimiter(8)

    async def scenario() -> int | None:
        async with limiter.slot() as first, limiter.slot(), limiter.slot():
            first.report(RateLimitInfo(requests_remaining=5, requests_reset_in=60))
            return limiter.requests_available()

    assert asyncio.run(scenario()) == 2, "5 left, minus the 3 still in flight"


def test_a_short_token_budget_waits_for_its_reset():
    limiter = RateLimiter(4)

    async def scenario() -> float:
        async with limiter.slot() as ticket:
            ticket.report(RateLimitInfo(tokens_remaining=500, tokens_reset_in=0.2), tokens=800)
        started = time.monotonic()
        await hold(limiter, RateLimitInfo(), throttled=False)
        return time.monotonic() - started

    assert asyncio.run(scenario()) >= 0.18


def test_anthropic_ratelimit_headers_are_read():
    reset = (datetime.now(UTC) + timedelta(seconds=10)).isoformat().replace("+00:00", "Z")
    info = rate_limit_info({
        "anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-requests-remaining": "7",
        "anthropic-ratelimit-requests-reset": reset,
        "anthropic-ratelimit-input-tokens-remaining": "9000",
        "anthropic-ratelimit-input-tokens-reset": reset,
        "anthropic-ratelimit-output-tokens-remaining": "800", "retry-after": "3"})

    assert (info.requests_limit, info.requests_remaining) == (50, 7)
    assert info.requests_reset_in == pytest.approx(10, abs=1)
    assert info.tokens_remaining == 800, "the tightest token budget wins"
    assert info.retry_after == 3


def test_a_429_storm_is_waited_out_by_the_reset_header_instead_of_retried_into():
    """Retry waits are shrunk 100x here, so plain retries would spend all six attempts inside
    one window and fail; the limiter holds every call until the window the server names."""
    policy = RetryPolicy(time_scale=0.01)
    with FakeMessagesAPI(rpm_limit=3, window=0.5) as fake:
        backend = ClaudeBackend(api_key="sk-ant-test", base_url=fake.base_url, policy=policy,
                                concurrency=10)

        async def storm() -> list[object]:
            try:
                return await asyncio.gather(
                    # twelve products: no call waits for another's cache warm-up, so the
                    # first burst goes out blind
                    *(backend.complete(request_for(f"p{i}", f"product {i}. ")) for i in range(12)),
                    return_exceptions=True)
            finally:
                await backend.aclose()

        answers = asyncio.run(storm())
        refused = fake.count(429)
        sent = sorted(r["time"] for r in fake.requests)

    assert all(not isinstance(answer, Exception) for answer in answers), answers
    assert refused <= 7 + 1, "only the first blind burst (10 calls, 3 allowed) is refused"
    assert sent[-1] - sent[0] >= 1.4, "twelve calls at three per half second need four windows"
    assert 1 <= backend.limiter.shrinks <= 2


def test_retry_after_on_one_call_pauses_a_call_that_was_about_to_start():
    with FakeMessagesAPI() as fake:
        for persona in ("a", "b", "c"):
            fake.script(persona, Fault("status", 429, headers={"retry-after": "0.4"}))
        backend = ClaudeBackend(api_key="sk-ant-test", base_url=fake.base_url,
                                policy=RetryPolicy(time_scale=1.0), concurrency=4)

        async def late(persona: str) -> object:
            # starts once the client has seen a refusal, however slow the machine: a fixed
            # sleep raced the first answers when the first calls took longer than it
            while backend.limiter.stats().throttled == 0:
                await asyncio.sleep(0.005)
            return await backend.complete(request_for(persona))

        async def run() -> None:
            try:
                await asyncio.gather(*(backend.complete(request_for(p)) for p in "abc"),
                                     late("d"))
            finally:
                await backend.aclose()

        asyncio.run(run())
        first_refusal = min(r["time"] for r in fake.requests if r["persona"] in "abc")
        late_call = next(r["time"] for r in fake.requests if r["persona"] == "d")

    assert fake.count(429) == 3 and fake.count(200) == 4
    assert late_call - first_refusal >= 0.38, "d waited out the pause instead of being refused"
