"""The desk's Starlette app: routes, the guard around them, and errors turned into answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from panelist.desk import api, pages, trial_pages
from panelist.desk.calibration_cache import CalibrationCache
from panelist.desk.context import Desk
from panelist.desk.editing import ProductFormError, StaleDraftError
from panelist.desk.jobs import DeskRuns
from panelist.desk.security import Guard, GuardMiddleware
from panelist.errors import (
    EditProtectedError,
    NotApprovedError,
    PanelistError,
    QualityFlaggedError,
    UnknownPersonaError,
    UnknownProductError,
    UnknownTrialError,
    UnpublishableError,
    WorkspaceLockedError,
)
from panelist.review.signoff import approver_name, review_status
from panelist.review.views import format_percent
from panelist.run.jobs import RunSettings
from panelist.store.text import printable
from panelist.store.workspace import Workspace

HERE = Path(__file__).parent


def page_templates() -> jinja2.Environment:
    """The desk's own pages; autoescaped like the published ones, since they show vendor text."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["percent"] = format_percent
    return env


def status_of(error: PanelistError) -> int:
    if isinstance(error, StaleDraftError | EditProtectedError | NotApprovedError
                  | UnpublishableError | WorkspaceLockedError | QualityFlaggedError):
        return 409
    if isinstance(error, UnknownProductError | UnknownPersonaError | UnknownTrialError):
        return 404
    return 400


async def handle_panelist_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PanelistError)
    status = status_of(exc)
    message = printable(str(exc))  # a NUL or lone surrogate someone sent is shown, not fatal
    if request.url.path.startswith("/api/"):
        body: dict[str, object] = {"error": message}
        if isinstance(exc, ProductFormError):
            body["fields"] = {name: printable(problem) for name, problem in exc.problems.items()}
        if isinstance(exc, StaleDraftError):
            body["current"] = {"quote": exc.current.quote, "verdict": exc.current.meta.verdict,
                               "status": review_status(exc.current), "hash": exc.current_hash}
        if isinstance(exc, QualityFlaggedError):
            body["quality"] = [flag for flags in exc.flagged.values() for flag in flags]
        return JSONResponse(body, status_code=status)
    desk = request.app.state.desk
    html = desk.templates.get_template("error.html.j2").render(
        message=message, status=status, workspace=desk.workspace.root)
    return HTMLResponse(html, status_code=status)


def create_app(workspace: Workspace, guard: Guard,
               settings_factory: Callable[[], RunSettings] = RunSettings,
               approver: str | None = None) -> Starlette:
    """The desk's app; approvals made in it are recorded as ``approver`` (default: the name the
    CLI records, ``git config user.name`` else the login name)."""
    app = Starlette(
        routes=[*api.routes, *pages.routes, *trial_pages.routes,
                Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
        middleware=[Middleware(GuardMiddleware, guard=guard)],
        exception_handlers={PanelistError: handle_panelist_error})
    app.state.desk = Desk(workspace=workspace, runs=DeskRuns(workspace, settings_factory),
                          templates=page_templates(),
                          approver=approver or approver_name(workspace.root),
                          calibration=CalibrationCache(workspace))
    return app
