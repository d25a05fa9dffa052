"""The desk's pages for persona trials and calibration, and the same as JSON: read-only views
of what ``panelist trial`` kept and of ``stats --calibration``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from panelist.desk.charts import calls_against_community, ship_rate_over_time
from panelist.desk.context import desk_of
from panelist.desk.pages import render
from panelist.review.calibration import (
    PersonaCalibration,
    calibration_json,
    calibration_report,
)
from panelist.review.trials import build_trial, trial_json, trial_summaries


def trials_page(request: Request) -> HTMLResponse:
    return render(request, "trials.html.j2", trials=trial_summaries(desk_of(request).workspace))


def trial_page(request: Request) -> HTMLResponse:
    view = build_trial(desk_of(request).workspace, request.path_params["trial_id"])
    return render(request, "trial.html.j2", view=view)


def _calibration(request: Request) -> list[PersonaCalibration]:
    desk = desk_of(request)
    cached = desk.calibration.products() if desk.calibration is not None else None
    return calibration_report(desk.workspace, products=cached)


def calibration_page(request: Request) -> HTMLResponse:
    reports = _calibration(request)
    charts = {report.persona: (ship_rate_over_time(report), calls_against_community(report))
              for report in reports}
    return render(request, "calibration.html.j2", reports=reports, charts=charts)


def trials_api(request: Request) -> JSONResponse:
    return JSONResponse([summary.model_dump(mode="json")
                         for summary in trial_summaries(desk_of(request).workspace)])


def trial_api(request: Request) -> JSONResponse:
    view = build_trial(desk_of(request).workspace, request.path_params["trial_id"])
    return JSONResponse(trial_json(view))


def calibration_api(request: Request) -> JSONResponse:
    return JSONResponse(calibration_json(_calibration(request)))


routes = [
    Route("/api/trials", trials_api, methods=["GET"]),
    Route("/api/trials/{trial_id}", trial_api, methods=["GET"]),
    Route("/api/calibration", calibration_api, methods=["GET"]),
    Route("/trials", trials_page, methods=["GET"]),
    Route("/trials/{trial_id}", trial_page, methods=["GET"]),
    Route("/calibration", calibration_page, methods=["GET"]),
]
