"""The desk's pages for persona trials and calibration: read-only views of what
``panelist trial`` kept and of ``stats --calibration``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from panelist.desk.charts import calls_against_community, ship_rate_over_time
from panelist.desk.context import desk_of
from panelist.desk.pages import render
from panelist.review.calibration import calibration_report
from panelist.review.trials import build_trial, trial_summaries


def trials_page(request: Request) -> HTMLResponse:
    return render(request, "trials.html.j2", trials=trial_summaries(desk_of(request).workspace))


def trial_page(request: Request) -> HTMLResponse:
    view = build_trial(desk_of(request).workspace, request.path_params["trial_id"])
    return render(request, "trial.html.j2", view=view)


def calibration_page(request: Request) -> HTMLResponse:
    reports = calibration_report(desk_of(request).workspace)
    charts = {report.persona: (ship_rate_over_time(report), calls_against_community(report))
              for report in reports}
    return render(request, "calibration.html.j2", reports=reports, charts=charts)


routes = [
    Route("/trials", trials_page, methods=["GET"]),
    Route("/trials/{trial_id}", trial_page, methods=["GET"]),
    Route("/calibration", calibration_page, methods=["GET"]),
]
