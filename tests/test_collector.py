"""A read pauses CPython's cycle collector while it builds its rows, and leaves it as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from panelist.review import collector, takes_index
from panelist.review.catalogue import catalogue_rows
from panelist.store.workspace import Workspace


@pytest.fixture(autouse=True)
def collecting() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_paused_for_the_block_and_running_after() -> None:
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_running_again_after_a_block_that_failed() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("a read that failed")
    assert gc.isenabled()


def test_left_to_the_outermost_block() -> None:
    with collector.paused():
        with collector.paused():
            pass
        assert not gc.isenabled(), "the inner block does not start it again"
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_a_read_runs_paused_and_leaves_it_running(workspace: Workspace,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    scan = takes_index._Refresh._scan

    def watched(self: takes_index._Refresh, *args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return scan(self, *args, **kwargs)

    monkeypatch.setattr(takes_index._Refresh, "_scan", watched)
    catalogue_rows(workspace)

    assert seen == [False]
    assert gc.isenabled()
