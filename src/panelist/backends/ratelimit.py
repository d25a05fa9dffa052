"""Client-side rate limiting: pace calls by what the server says, and adapt concurrency.

One ``RateLimiter`` per backend client (one API key) for a whole run. Every HTTP attempt takes
a slot and reports what its response said:

- a gate on the request budget: the server reports how many requests remain in its window.
  Answers come back out of order, and calls still in flight may or may not be counted yet, so
  the limiter keeps a lower bound: the lowest ``remaining`` reported in the current window minus
  every call in flight. At zero, new calls wait for the reset the server named instead of
  walking into a 429; once it has passed, one call goes first (a probe) and its answer says how
  many may follow. Token budgets gate the same way when less than one call's worth is left;
- a pause: after a 429 / 529 with ``retry-after`` every new call waits that long, not only the
  one that was refused;
- AIMD concurrency: the calls allowed in flight halve on a 429 / 529 (once per congestion event)
  and grow back by about one per window of successes, between 1 and the run's ``--concurrency``.

Provider-neutral: backends translate their headers into ``RateLimitInfo``.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

# A call sent the instant a reset is due can reach the server a hair before its window moves on:
# wait this much past every reset it names.
RESET_MARGIN_S = 0.05


@dataclass(frozen=True)
class RateLimitInfo:
    """What one response said about the account's limits; None where it said nothing."""

    requests_limit: int | None = None
    requests_remaining: int | None = None
    requests_reset_in: float | None = None  # seconds until the request budget frees up
    tokens_remaining: int | None = None  # the tightest of the token budgets
    tokens_reset_in: float | None = None
    retry_after: float | None = None  # seconds, from retry-after on a refused call


@dataclass(frozen=True)
class LimiterStats:
    concurrency: int
    max_concurrency: int
    in_flight: int
    throttled: int  # 429 / 529 answers seen
    shrinks: int
    paused_s: float  # how long new calls still wait, now


class Ticket:
    """One admitted attempt; ``report`` feeds its response back to the limiter."""

    def __init__(self, limiter: RateLimiter, started: float, probe: bool) -> None:
        self._limiter = limiter
        self.started = started
        self.probe = probe
        self.reported = False

    def report(self, info: RateLimitInfo, *, throttled: bool = False, tokens: int = 0) -> None:
        if not self.reported:
            self.reported = True
            self._limiter._observe(self, info, throttled=throttled, tokens=tokens)


class RateLimiter:
    def __init__(self, max_concurrency: int, *, time_scale: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_concurrency = max(1, max_concurrency)
        self.time_scale = time_scale  # shrinks retry-after pauses in tests, as RetryPolicy does
        self.clock = clock
        self.window = float(self.max_concurrency)  # the AIMD congestion window
        self.throttled = 0
        self.shrinks = 0
        self._flying: set[Ticket] = set()
        self._paused_until = 0.0
        self._remaining: int | None = None  # lowest requests-remaining heard in this window
        self._remaining_until = 0.0  # when that window's reset is due
        self._tokens_left: int | None = None
        self._tokens_until = 0.0
        self._largest_call_tokens = 0
        self._probing = False
        self._last_shrink = -math.inf
        self._changed: asyncio.Event | None = None

    @property
    def in_flight(self) -> int:
        return len(self._flying)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[Ticket]:
        """Wait until a call may be sent; the slot is held while the call is in flight."""
        ticket = await self._admit()
        try:
            yield ticket
        finally:
            self._flying.discard(ticket)
            if ticket.probe:
                self._probing = False
            self._notify()

    def stats(self) -> LimiterStats:
        return LimiterStats(concurrency=int(self.window), max_concurrency=self.max_concurrency,
                            in_flight=self.in_flight, throttled=self.throttled,
                            shrinks=self.shrinks,
                            paused_s=max(self._paused_until - self.clock(), 0.0))

    def requests_available(self) -> int | None:
        """Requests the server surely still takes in this window; None when it never said."""
        if self._remaining is None:
            return None
        return self._remaining - self.in_flight

    async def _admit(self) -> Ticket:
        while True:
            now = self.clock()
            wait = self._wait_needed(now)
            if wait == 0.0:
                break
            changed = self._changed_event()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), timeout=wait)
        available = self.requests_available()
        probe = available is not None and available <= 0
        self._probing = self._probing or probe
        ticket = Ticket(self, now, probe)
        self._flying.add(ticket)
        return ticket

    def _wait_needed(self, now: float) -> float | None:
        """0.0: send now; seconds: wait at most that long; None: wait for a slot to free."""
        if now < self._paused_until:
            return self._paused_until - now
        if self.in_flight >= int(self.window):
            return None
        available = self.requests_available()
        if available is not None and available <= 0:
            if now < self._remaining_until:
                return self._remaining_until - now
            if self._probing:  # the reset has passed: one call asks how much is free again
                return None
        if (self._tokens_left is not None and self._tokens_left < self._largest_call_tokens
                and now < self._tokens_until):
            return self._tokens_until - now
        return 0.0

    def _observe(self, ticket: Ticket, info: RateLimitInfo, *, throttled: bool,
                 tokens: int) -> None:
        now = self.clock()
        if info.requests_remaining is not None:
            # Within a window only a lower count is news: a higher one was reported before
            # later calls were counted. Only a call sent after the reset starts afresh.
            if (self._remaining is None or ticket.started >= self._remaining_until
                    or info.requests_remaining < self._remaining):
                self._remaining = info.requests_remaining
                self._remaining_until = now + (info.requests_reset_in or 0.0) + RESET_MARGIN_S
        elif ticket.probe:  # the server stopped saying: stop counting rather than crawl
            self._remaining = None
        if info.tokens_remaining is not None:
            self._tokens_left = info.tokens_remaining
            self._tokens_until = now + (info.tokens_reset_in or 0.0) + RESET_MARGIN_S
        self._largest_call_tokens = max(self._largest_call_tokens, tokens)
        if throttled:
            self._throttle(ticket, info, now)
        else:
            self.window = min(float(self.max_concurrency), self.window + 1 / self.window)
        self._notify()

    def _throttle(self, ticket: Ticket, info: RateLimitInfo, now: float) -> None:
        self.throttled += 1
        if info.retry_after is not None:
            self._paused_until = max(self._paused_until, now + info.retry_after * self.time_scale)
        if ticket.started > self._last_shrink:  # calls already in flight share one shrink
            self.window = max(1.0, self.window / 2)
            self._last_shrink = now
            self.shrinks += 1

    def _changed_event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    def _notify(self) -> None:
        """Wake every waiter to re-check; each waits on the event current when it slept."""
        if self._changed is not None:
            self._changed.set()
            self._changed = None
