"""The desk's start-up read, its workers forked before the desk starts a thread.

A read in a thread forks its workers late (a thread mid-import at the fork would leave that
module's lock held in the child), after loading what deriving needs itself. The desk reads the
catalogue in a thread as it starts, so it forks that read's workers first, from a process with
no other thread: they load what deriving needs while the read scans, as a command's do. What
they derive is what one process derives.
"""

from __future__ import annotations

import multiprocessing
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from panel_helpers import HAIKU, QVAC, draft_panel, edit_draft
from panelist.desk.app import create_app
from panelist.desk.security import Guard
from panelist.review import take_workers
from panelist.review.ahead import fork_ahead
from panelist.review.takes_index import read_index
from panelist.store.drafts import DraftStore
from panelist.store.index import TAKE_COLUMNS
from panelist.store.workspace import Workspace
from worker_helpers import two_idle_cores


@pytest.fixture
def drafted(workspace: Workspace) -> Workspace:
    """Two panels, one take edited by hand (the gate judges it again)."""
    draft_panel(workspace, QVAC)
    draft_panel(workspace, HAIKU)
    draft = DraftStore(workspace).read(HAIKU, "skeptic")
    assert draft is not None
    edit_draft(draft, quote=draft.quote + " Mistral raised $40M in 2031, or so I hear.")
    return workspace


def rows_of(workspace: Workspace) -> dict[str, Any]:
    snapshot = read_index(workspace, columns=TAKE_COLUMNS)
    return {product: sorted(rows, key=lambda row: str(row["path"]))
            for product, rows in snapshot.takes.items()}


def in_one_process(workspace: Workspace, copy: Path) -> dict[str, Any]:
    shutil.copytree(workspace.root, copy, ignore=shutil.ignore_patterns(".panelist"))
    return rows_of(Workspace(copy))


def forking_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of the thread each set of workers is forked from, as it is forked."""
    forked: list[str] = []
    real = take_workers.Workers.__init__

    def noting(self: take_workers.Workers, *args: Any) -> None:
        forked.append(threading.current_thread().name)
        real(self, *args)

    monkeypatch.setattr(take_workers.Workers, "__init__", noting)
    return forked


def test_the_desks_warm_up_forks_its_workers_before_its_thread_and_derives_the_same_rows(
        drafted: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = in_one_process(drafted, tmp_path / "one")
    started = two_idle_cores(monkeypatch)
    forked = forking_threads(monkeypatch)
    desk = create_app(drafted, Guard(token="t", host="127.0.0.1", port=1)).state.desk

    desk.warm_up().join(60)

    assert forked == ["MainThread"] and started == [2]  # forked once, early, then read
    assert not multiprocessing.active_children()  # no worker outlives the read
    monkeypatch.undo()
    assert rows_of(drafted) == expected  # the index the warm-up wrote, read back


def test_workers_forked_ahead_of_a_panel_that_changed_are_ended_unused(
        drafted: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A persona's word range changed between the fork and the read: the workers forked
    ahead derive with the old panel, so the read forks its own and ends those."""
    two_idle_cores(monkeypatch)
    ahead = fork_ahead(drafted)
    assert ahead is not None
    persona = drafted.root / "personas" / "dx.md"
    persona.write_text(persona.read_text(encoding="utf-8").replace(
        "quote_words: [50, 140]", "quote_words: [20, 40]"), encoding="utf-8")
    forked = forking_threads(monkeypatch)

    snapshot = read_index(drafted, columns=TAKE_COLUMNS, ahead=ahead)

    assert forked == ["MainThread"]  # the read's own
    assert not ahead.workers.first.is_alive() and not multiprocessing.active_children()
    monkeypatch.undo()
    assert {product: sorted(rows, key=lambda row: str(row["path"]))
            for product, rows in snapshot.takes.items()} == in_one_process(drafted,
                                                                          tmp_path / "one")


def test_nothing_is_forked_ahead_of_a_read_that_derives_nothing_again(
        drafted: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    rows_of(drafted)  # the index is up to date with this panel
    started = two_idle_cores(monkeypatch)

    assert fork_ahead(drafted) is None
    assert started == []
