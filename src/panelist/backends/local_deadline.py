"""When a local draw is cut short: its deadline, checked after every streamed token.

With ``--timeout`` the deadline is that many seconds after the call starts. Without it, the
deadline is derived from the draw's token cap and the model's measured speed on this machine:
``BUDGET_MARGIN`` times the time the cap takes at the tokens/s measured so far in the run (or,
on the run's first draw, over its own first ``RATE_AFTER_TOKENS`` tokens), counted from the
first token, and never under ``MIN_BUDGET_S``. A draw at a steady pace so reaches its token cap
first, on a fast machine or a loaded one (a fixed 120 s cut every draw of a persona when the
model ran at 1-3 tok/s on a loaded machine), and the deadline cuts only a draw that slows down
sharply (the machine got busier); the cap bounds everything else.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

TIMEOUT_STOP = "timeout"  # the stop reason of an answer cut at the deadline
BUDGET_MARGIN = 2.0
RATE_AFTER_TOKENS = 16
MIN_BUDGET_S = 30.0  # a fast model's budget is not cut to milliseconds by one hiccup


@dataclass
class Deadline:
    """One draw's deadline: ``seconds`` after the start, else derived from ``cap`` and speed."""

    seconds: float | None
    cap: int
    measured_rate: float | None = None  # tokens/s of the run's earlier draws
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    def __post_init__(self) -> None:
        self.started = self.clock()
        self.first_token: float | None = None

    def passed(self, generated: int) -> bool:
        """Whether the draw, with ``generated`` tokens so far, is past its deadline."""
        now = self.clock()
        if self.seconds is not None:
            return now >= self.started + self.seconds
        if self.first_token is None:
            self.first_token = now
            return False
        rate = self.measured_rate
        if rate is None:
            if generated < RATE_AFTER_TOKENS:
                return False
            rate = (generated - 1) / max(now - self.first_token, 1e-6)
            self.measured_rate = rate
        return now >= self.first_token + max(MIN_BUDGET_S, BUDGET_MARGIN * self.cap / rate)

    def describe(self) -> str:
        if self.seconds is not None:
            return f"{self.seconds:g} s (--timeout)"
        return (f"{BUDGET_MARGIN:g} x the time its {self.cap}-token cap takes at the measured "
                f"tokens/s, at least {MIN_BUDGET_S:g} s")


def stream_until(chunks: Iterator[dict[str, Any]], deadline: Deadline, prompt_tokens: int
                 ) -> dict[str, Any]:
    """A streamed chat completion gathered into the non-streamed shape, abandoned once its
    ``deadline`` passes (its ``finish_reason`` is then ``TIMEOUT_STOP``).

    Streamed because this is the one deadline llama-cpp-python honours: its chat-template
    handler drops a caller's ``stopping_criteria`` (llama_cpp/llama_chat_format.py,
    ``chat_formatter_to_chat_completion_handler``), and an exception raised in a
    ``logits_processor`` is swallowed by the ctypes sampler callback that runs it. Each chunk
    carries one token's text (llama-cpp-python may hold back text that could begin a stop
    string), so the chunk count is the answer's token count to within a token or two.
    """
    parts: list[str] = []
    finish: str | None = None
    generated = 0
    try:
        for chunk in chunks:
            choice = chunk["choices"][0]
            if content := choice["delta"].get("content"):
                parts.append(content)
                generated += 1
            finish = choice.get("finish_reason") or finish
            if finish is None and deadline.passed(generated):
                finish = TIMEOUT_STOP
                break
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return {"choices": [{"message": {"role": "assistant", "content": "".join(parts)},
                         "finish_reason": finish}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": generated}}
