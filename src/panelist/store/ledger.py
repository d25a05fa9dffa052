"""The usage ledger: one JSON line per model call, appended, never rewritten."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, ValidationError

from panelist.errors import FileFormatError
from panelist.models import TokenCounts, Usage

Outcome = Literal["ok", "invalid", "failed"]
SpendKey = Literal["product", "persona", "model"]


class CallRecord(TokenCounts):
    """One call: what it used (the token counts) and where, when and how it went."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)

    time: datetime
    product: str
    persona: str
    model: str
    backend: str
    latency_s: float = 0.0
    attempts: int = 1
    outcome: Outcome = "ok"
    batch: bool = False
    cost_usd: float = 0.0
    priced: bool = True  # False: the model table has no price for the model, cost_usd is 0


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def append(path: Path, record: CallRecord) -> None:
    """One line per call, O_APPEND under a lock, so concurrent runs never interleave.

    A torn last line (a process killed mid-write, no newline) is cut off first, so it never
    ends up in the middle of the file where ``read`` would take it for damage.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (record.model_dump_json() + "\n").encode()
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _cut_torn_tail(fd)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def _cut_torn_tail(fd: int) -> None:
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return
    tail = min(size, 1 << 20)
    chunk = os.pread(fd, tail, size - tail)
    os.ftruncate(fd, size - tail + chunk.rfind(b"\n") + 1)


def read(path: Path) -> list[CallRecord]:
    """Every record. A torn last line (a killed process) is skipped; any other line that is not
    a record is an error naming the file and line, since skipping it would undercount spend."""
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(CallRecord.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            if number == len(lines):
                continue
            problem = "not JSON" if isinstance(exc, json.JSONDecodeError) else "not a call record"
            raise FileFormatError(path, f"malformed line ({problem})", line=number,
                                  fix="restore the line from a backup or delete it") from None
    return records


class SpendRow(TokenCounts):
    """What the calls of one product, persona or model used and cost, added up."""

    key: str
    calls: int = 0
    cost_usd: float | None = 0.0  # None: no call of the row had a price
    unpriced_calls: int = 0  # calls whose cost is not in cost_usd (a model with no price)


def summarize(records: Iterable[CallRecord], by: SpendKey
              ) -> list[SpendRow]:
    totals: dict[str, tuple[int, Usage]] = {}
    for record in records:
        key = getattr(record, by)
        calls, usage = totals.get(key, (0, Usage()))
        totals[key] = (calls + 1, usage + Usage(**record.token_counts(),
                                                cost_usd=record.cost_usd,
                                                unpriced_calls=int(not record.priced)))
    rows = [SpendRow(key=key, calls=calls, **usage.model_dump(exclude={"cost_usd"}),
                     cost_usd=None if usage.unpriced_calls == calls else usage.cost_usd)
            for key, (calls, usage) in totals.items()]
    return sorted(rows, key=lambda r: (-(r.cost_usd or 0.0), r.key))
