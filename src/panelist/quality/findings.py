"""A finding: one failed check and what it saw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Check = Literal["verdict", "control-chars", "truncated", "leak", "all-caps", "number-salad",
                "babble", "repetition", "chat-wrapper", "maker-voice", "reader-address",
                "prompt-echo", "filler", "wrong-product", "unsupported-fact", "contradiction"]


@dataclass(frozen=True)
class Finding:
    check: Check
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"

    def in_reasons(self) -> Finding:
        return Finding(self.check, f"in the reasons, {self.message}")
