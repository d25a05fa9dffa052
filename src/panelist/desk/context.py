"""What every desk request works with: the workspace, the runs, the page templates, and the
name approvals made in this desk are recorded under."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import jinja2
from starlette.requests import Request

from panelist.desk.calibration_cache import CalibrationCache
from panelist.desk.catalogue import CatalogueCache
from panelist.desk.jobs import DeskRuns
from panelist.store.workspace import Workspace


@dataclass
class Desk:
    workspace: Workspace
    runs: DeskRuns
    catalogue: CatalogueCache
    templates: jinja2.Environment = field(repr=False)
    approver: str = "unknown"
    calibration: CalibrationCache | None = None  # made with the desk; None: read every time


def desk_of(request: Request) -> Desk:
    return cast(Desk, request.app.state.desk)
