"""A read that forks its workers whatever this machine's load, for the specs of reading in
worker processes."""

from __future__ import annotations

from typing import Any

import pytest

from panelist.review import take_workers


def two_idle_cores(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A worker per take on two idle cores: a read of two takes or more forks two. Gives the
    number of workers each fork of the read started, as they start."""
    monkeypatch.setattr(take_workers, "TAKES_PER_WORKER", 1)
    monkeypatch.setattr(take_workers.os, "sched_getaffinity", lambda _: {0, 1})
    monkeypatch.setattr(take_workers, "busy_cores", lambda: 0.0)
    forked: list[int] = []
    real = take_workers.Workers.__init__

    def noting(self: take_workers.Workers, count: int, *args: Any) -> None:
        forked.append(count)
        real(self, count, *args)

    monkeypatch.setattr(take_workers.Workers, "__init__", noting)
    return forked


def running(pid: int) -> bool:
    """``pid`` is a process that runs: a zombie (ended, not yet reaped) does not."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
