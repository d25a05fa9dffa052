"""What every desk request works with: the workspace, the runs, the page templates, and the
name approvals made in this desk are recorded under."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from typing import cast

import jinja2
from starlette.requests import Request

from panelist.desk.calibration_cache import CalibrationCache
from panelist.desk.jobs import DeskRuns
from panelist.errors import PanelistError
from panelist.review.ahead import fork_ahead
from panelist.review.catalogue import catalogue_rows
from panelist.store.workspace import Workspace


@dataclass
class Desk:
    workspace: Workspace
    runs: DeskRuns
    templates: jinja2.Environment = field(repr=False)
    approver: str = "unknown"
    calibration: CalibrationCache | None = None  # made with the desk; None: read every time
    warming: threading.Thread | None = field(default=None, repr=False)  # the start-up read


    def warm_up(self) -> threading.Thread:
        """Bring the index up to date in the background (the desk does this at start-up), so
        the first catalogue page does not read every file itself. Called before the server
        starts a thread, it forks the read's workers first (``review.ahead``): a read in a
        thread forks late, after loading what deriving needs itself."""
        ahead = fork_ahead(self.workspace)

        def warm() -> None:
            with contextlib.suppress(PanelistError):  # the page shows it when asked for
                catalogue_rows(self.workspace, ahead=ahead)

        thread = threading.Thread(target=warm, name="desk-index-warm-up", daemon=True)
        self.warming = thread
        thread.start()
        return thread

    def settled(self) -> Workspace:
        """The workspace for a read of the whole catalogue, once the start-up warm-up is done:
        a page asked for meanwhile waits for it rather than deriving every take a second time
        beside it on the same cores (what changed since, its own read then sees)."""
        if self.warming is not None:
            self.warming.join()
        return self.workspace

    def reading(self) -> Workspace:
        """The workspace for one read-only request: each file is read at most once."""
        return self.workspace.for_one_request()


def desk_of(request: Request) -> Desk:
    return cast(Desk, request.app.state.desk)
