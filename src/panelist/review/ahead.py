"""Workers forked ahead of a read, for a process that will read from a thread (the desk).

A read forks its workers early, before it scans the files, so that the first loads what
deriving needs while the reader scans (``take_workers.Workers.early``). A process running other
threads cannot: a thread in the middle of an import when the process forks leaves that module's
lock held in the child. Such a read loads what deriving needs itself and forks late, a third of
a second more on a new index of a thousand products. The desk reads the catalogue in a thread
as it starts, so it forks that read's workers here first, before its server starts a thread.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from panelist.errors import PanelistError
from panelist.review.takes_index import fork_for_every_take, panel_key
from panelist.store.index import UntrustedIndex, WorkspaceIndex
from panelist.store.workspace import Workspace

if TYPE_CHECKING:
    from panelist.review.take_workers import Workers


@dataclass(frozen=True)
class ForkedAhead:
    """Workers forked before a read, and the panel they derive with: a read with another
    panel (a persona changed in between) does not use them."""

    panel: str
    workers: Workers

    def close(self) -> None:
        self.workers.close()


def fork_ahead(workspace: Workspace) -> ForkedAhead | None:
    """Workers for the next read of the whole catalogue, forked now, when that read will
    derive every take (a new index, a new panel); None where it will not, where one process
    is enough, or where this process already runs another thread."""
    try:
        personas = workspace.load_personas()
        with WorkspaceIndex(workspace.state_dir) as index:
            panel = panel_key(personas)
            if index.meta("panel") == panel:
                return None
    except (PanelistError, sqlite3.DatabaseError, UntrustedIndex, OSError):
        return None  # the read itself says what is wrong
    workers = fork_for_every_take(workspace, personas)
    return None if workers is None else ForkedAhead(panel, workers)
