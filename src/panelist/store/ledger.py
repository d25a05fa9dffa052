"""The usage ledger: one JSON line per model call, appended, never rewritten."""

from __future__ import annotations

import fcntl
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

Outcome = Literal["ok", "invalid", "failed"]
SpendKey = Literal["product", "persona", "model"]


class CallRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    time: datetime
    product: str
    persona: str
    model: str
    backend: str
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cache_write_1h_tokens: int = 0  # the 1-hour part of cache_write_tokens (batches)
    thinking_tokens: int = 0  # included in output_tokens
    latency_s: float = 0.0
    attempts: int = 1
    outcome: Outcome = "ok"
    batch: bool = False
    cost_usd: float = 0.0


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def append(path: Path, record: CallRecord) -> None:
    """One line per call, O_APPEND under a lock, so concurrent runs never interleave."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (record.model_dump_json() + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read(path: Path) -> list[CallRecord]:
    """Every complete record; a torn last line (a killed process) is skipped, not fatal."""
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(CallRecord.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError):
            continue
    return records


class SpendRow(BaseModel):
    key: str
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    thinking_tokens: int = 0
    cost_usd: float = 0.0


def summarize(records: Iterable[CallRecord], by: SpendKey
              ) -> list[SpendRow]:
    rows: dict[str, SpendRow] = defaultdict(lambda: SpendRow(key=""))
    for record in records:
        key = getattr(record, by)
        row = rows[key]
        row.key = key
        row.calls += 1
        row.input_tokens += record.input_tokens
        row.output_tokens += record.output_tokens
        row.cache_read_tokens += record.cache_read_tokens
        row.cache_write_tokens += record.cache_write_tokens
        row.thinking_tokens += record.thinking_tokens
        row.cost_usd = round(row.cost_usd + record.cost_usd, 6)
    return sorted(rows.values(), key=lambda r: (-r.cost_usd, r.key))
