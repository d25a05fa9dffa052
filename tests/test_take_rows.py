"""Deriving the index's take rows: in worker processes when there are many, the same rows.

A cold read of a large catalogue shares the takes among forked workers (``take_workers``), forked
as soon as the files' stats show many takes to derive; what they derive must be exactly what one
process derives, take by take, whatever the take holds: an edit the gate judges again, an
approval, a file that cannot be read, a product file missing.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from panel_helpers import HAIKU, QVAC, draft_panel, edit_draft
from panelist.review import take_workers, takes_index
from panelist.review.approval import approve_takes
from panelist.review.takes_index import read_index
from panelist.store.drafts import DraftStore
from panelist.store.index import TAKE_COLUMNS, WorkspaceIndex
from panelist.store.workspace import Workspace
from worker_helpers import running, two_idle_cores


@pytest.fixture
def varied(workspace: Workspace) -> Workspace:
    """Two drafted panels, and a copy of one under a third slug whose product file is gone;
    one take edited by hand (the gate judges it again), one approved, one unreadable."""
    draft_panel(workspace, QVAC)
    draft_panel(workspace, HAIKU)
    approve_takes(workspace, QVAC, ["dx"])
    draft = DraftStore(workspace).read(HAIKU, "skeptic")
    assert draft is not None
    edit_draft(draft, quote=draft.quote + " Mistral raised $40M in 2031, or so I hear.")
    shutil.copytree(workspace.drafts_dir / HAIKU, workspace.drafts_dir / "gone-product")
    (workspace.drafts_dir / QVAC / "buyer.md").write_text("---\nverdict: [\n---\nBroken.\n",
                                                         encoding="utf-8")
    return workspace


def derived(workspace: Workspace, copy: Path) -> dict[str, Any]:
    """Every take row of a fresh index over a copy of the workspace."""
    shutil.copytree(workspace.root, copy, ignore=shutil.ignore_patterns(".panelist"))
    snapshot = read_index(Workspace(copy), columns=TAKE_COLUMNS)
    return {product: sorted(rows, key=lambda row: str(row["path"]))
            for product, rows in snapshot.takes.items()}


@pytest.mark.parametrize("forked", ["early", "late"])
def test_takes_derived_in_worker_processes_are_the_takes_derived_in_one(
        forked: str, varied: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Early: a new index, the workers forked before the files are read; late: the stats did
    not show the takes coming (here: told so), the workers forked once they are known."""
    monkeypatch.setattr(take_workers, "TAKES_PER_WORKER", 10**9)
    in_one = derived(varied, tmp_path / "one")
    contexts: list[str] = []
    get_context = multiprocessing.get_context

    def spying(method: str) -> Any:
        contexts.append(method)
        return get_context(method)

    two_idle_cores(monkeypatch)
    monkeypatch.setattr(multiprocessing, "get_context", spying)
    if forked == "late":
        monkeypatch.setattr(take_workers.Workers, "early", lambda *_: None)
    in_workers = derived(varied, tmp_path / "workers")

    assert contexts == ["fork"]
    assert not multiprocessing.active_children()  # no worker outlives the read
    assert in_workers == in_one
    assert len([row for rows in in_one.values() for row in rows]) == 15
    assert any(row["problem"] for row in in_one[QVAC])
    assert {row["persona"]: row["edited"] for row in in_one[HAIKU]}["skeptic"] == 1
    assert "gone-product" in in_one


def test_workers_forked_for_takes_that_did_not_change_are_ended_unused(
        varied: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every draft touched: the stats say every take may have changed, the hashes say none
    did. The workers forked for them end with the read, and nothing is derived again."""
    first = read_index(varied, columns=TAKE_COLUMNS).takes
    for path in varied.drafts_dir.glob("*/*.md"):
        if path.is_file():
            os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    started = two_idle_cores(monkeypatch)

    assert read_index(varied, columns=TAKE_COLUMNS).takes == first
    assert started == [2]
    assert not multiprocessing.active_children()


def test_a_new_index_forks_its_workers_before_the_scan_and_hands_over_the_takes_first(
        varied: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every take of a new index is derived: the first worker is forked before the files are
    scanned (it loads the gate while the reader scans and hashes), and the workers are handed
    the takes before the reader writes the files into the index (they derive meanwhile)."""
    in_one = derived(varied, tmp_path / "one")
    for stale in varied.state_dir.glob("index.sqlite3*"):
        stale.unlink()
    two_idle_cores(monkeypatch)
    events: list[str] = []

    def noting(owner: Any, name: str, event: str) -> None:
        original = getattr(owner, name)

        def noted(*args: Any, **kwargs: Any) -> Any:
            events.append(event)
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, noted)

    noting(take_workers.Workers, "__init__", "fork")
    noting(takes_index._Refresh, "_scan", "scan")
    noting(take_workers.Workers, "derive", "tasks")
    noting(WorkspaceIndex, "write", "write")

    assert read_index(varied, columns=TAKE_COLUMNS).takes == in_one
    assert events == ["fork", "scan", "tasks", "write"]
    assert not multiprocessing.active_children()


@pytest.mark.parametrize(("takes", "cores", "load", "workers"), [
    (10, 2, 0.0, 1), (399, 2, 0.0, 1), (400, 2, 0.0, 2), (5000, 2, 0.3, 2), (5000, 1, 0.0, 1),
    (5000, 8, 0.0, 8), (5000, 2, 1.5, 1), (5000, 8, 5.2, 3)],
    ids=["ten", "just-under", "two-hundred-each", "a-thousand-products", "one-core",
         "eight-cores", "a-busy-machine", "two-cores-idle-of-eight"])
def test_workers_are_forked_only_for_enough_takes_and_idle_cores(
        takes: int, cores: int, load: float, workers: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(take_workers.os, "sched_getaffinity", lambda _: set(range(cores)))
    monkeypatch.setattr(take_workers, "busy_cores", lambda: load)

    assert take_workers.worker_count(takes) == workers


@pytest.mark.parametrize(("loadavg", "busy"), [
    ("1.93 1.40 1.20 1/345 27336\n", 0), ("0.10 0.20 0.30 3/345 27336\n", 2)],
    ids=["only-this-process-runs", "two-others-run-despite-a-low-average"])
def test_busy_cores_are_the_processes_running_now_not_the_minute_average(
        loadavg: str, busy: int, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    stats = tmp_path / "loadavg"
    stats.write_text(loadavg, encoding="ascii")
    monkeypatch.setattr(take_workers, "LOADAVG", str(stats))

    assert take_workers.busy_cores() == busy


def test_busy_cores_fall_back_to_the_load_average_without_proc(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(take_workers, "LOADAVG", str(tmp_path / "missing"))
    monkeypatch.setattr(take_workers.os, "getloadavg", lambda: (1.5, 1.0, 0.5))

    assert take_workers.busy_cores() == 1.5


def test_a_worker_is_given_whole_products() -> None:
    jobs = [take_workers.TakeJob(f"drafts/p{n // 5}/persona{n % 5}.md", "", b"", None)
            for n in range(23)]

    chunks = list(take_workers._chunks_by_product(jobs, 3))

    assert [job for chunk in chunks for job in chunk] == jobs
    for chunk in chunks:
        products = [take_workers._product_of(job) for job in chunk]
        assert all(products.count(p) == 5 or p == "p4" for p in set(products))


def test_the_chunks_shrink_so_the_workers_finish_together() -> None:
    """Long chunks first (few batches to send), short ones last: the worker that finishes
    first waits for the other's last short chunk, not for a sixteenth of its share."""
    jobs = [take_workers.TakeJob(f"drafts/p{n // 5:04}/persona{n % 5}.md", "", b"", None)
            for n in range(5000)]

    sizes = [len(chunk) for chunk in take_workers._chunks_by_product(jobs, 2)]

    assert sum(sizes) == 5000 and sizes == sorted(sizes, reverse=True)
    assert sizes[0] >= 5000 // (2 * take_workers.GUIDED)
    assert sizes[-1] <= take_workers.LAST_CHUNK and len(sizes) < 60


class _Slow:
    """A deriver whose chunks take a while, each row naming the process that derived it."""

    def rows(self, jobs: Any, names: dict[str, str]) -> list[dict[str, object]]:
        time.sleep(0.2)
        return [{"path": job.path, "pid": os.getpid()} for job in jobs]

    def share(self, facts: Any) -> None:
        """It reads no product's facts."""


def test_a_read_interrupted_while_its_workers_derive_leaves_none_deriving() -> None:
    """Ctrl-C, or an error writing, mid-way: the workers are ended, the one the first
    forked as well (it sees the first gone), with most of the takes never derived."""
    jobs = [take_workers.TakeJob(f"drafts/p{n}/dx.md", "", b"", None) for n in range(400)]
    workers = take_workers.Workers(2, _Slow)
    batches = workers.derive(jobs, {})
    pids: set[int] = set()
    while len(pids) < 2:  # a batch from each
        pids |= {int(str(row["pid"])) for row in next(batches)}

    workers.close()

    deadline = time.monotonic() + 3  # the chunk in hand (0.2 s), not the 30 left (6 s)
    while any(running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in pids if running(pid)]
    assert not multiprocessing.active_children()


def test_a_process_running_other_threads_does_not_fork_its_workers_early(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk's threads may be mid-import when it forks: a worker importing the same module
    would wait forever. Such a read loads what deriving needs and forks later."""
    import threading

    monkeypatch.setattr(take_workers, "worker_count", lambda takes: 2)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert take_workers.Workers.early(5_000, lambda: None) is None
    finally:
        release.set()
        other.join()
