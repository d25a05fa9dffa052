"""A stand-in for ``llama_cpp.Llama`` that streams token by token, for the bounding tests.

It streams as llama-cpp-python's ``Llama.create_chat_completion(stream=True)`` does (API
reference: https://llama-cpp-python.readthedocs.io/en/latest/api-reference/; the chunks are
OpenAI-style ``chat.completion.chunk`` objects, llama_cpp/llama_chat_format.py
``_convert_text_completion_chunks_to_chat``): one chunk per token with ``delta.content``, then
a last chunk with an empty delta and ``finish_reason`` "length" at ``max_tokens`` or "stop" at
the end of the answer. Closing the stream early abandons the answer. Each call follows a
script: an answer (a string, sent a word a token) or ``FOREVER`` (timestamps, never stopping on
its own, as the bundled model did for 20 minutes in issue 10).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import Any

FOREVER = "forever"
BABBLE = "2020-12-28T06:12:34Z, "


class NeverEndingLlama:
    def __init__(self, script: list[str], token_s: float = 0.0) -> None:
        self.script = list(script)
        self.token_s = token_s  # seconds per generated token
        self.calls: list[dict[str, Any]] = []  # what each call was asked, and how it ended

    def n_ctx(self) -> int:
        return 8192

    def tokenize(self, text: bytes, add_bos: bool = True) -> list[int]:
        return list(range(len(text.split())))

    def close(self) -> None:
        return None

    def create_chat_completion(self, *, messages: list[dict[str, str]], max_tokens: int | None,
                               seed: int, stream: bool = False, **_: Any
                               ) -> Iterator[dict[str, Any]]:
        assert stream, "panelist streams, to stop a take at its deadline"
        plan = self.script.pop(0) if self.script else FOREVER
        call: dict[str, Any] = {"max_tokens": max_tokens, "seed": seed, "tokens": 0,
                                "finish": "abandoned"}
        self.calls.append(call)
        return self._chunks(plan, max_tokens, call)

    def _chunks(self, plan: str, max_tokens: int | None, call: dict[str, Any]
                ) -> Iterator[dict[str, Any]]:
        pieces = itertools.cycle([BABBLE]) if plan == FOREVER else (
            word if index == 0 else " " + word for index, word in enumerate(plan.split(" ")))
        finish = "stop"
        for piece in pieces:
            if max_tokens is not None and call["tokens"] >= max_tokens:
                finish = "length"
                break
            time.sleep(self.token_s)
            call["tokens"] += 1
            yield {"choices": [{"index": 0, "delta": {"content": piece},
                                "finish_reason": None}]}
        call["finish"] = finish
        yield {"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}
