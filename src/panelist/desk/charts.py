"""Small SVG charts of a persona's calibration, drawn on the server: numbers in, coordinates
out. The templates turn them into inline <svg> markup with presentation attributes only, so
the desk's CSP (no inline script, no inline style) holds and nothing is fetched."""

from __future__ import annotations

from dataclasses import dataclass

from panelist.review.calibration import PersonaCalibration

WIDTH, HEIGHT, PAD_X, PAD_Y = 300, 130, 40, 18


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    verdict: str
    label: str  # the product and the call, for the dot's <title>


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    line: str  # polyline points ("" for none)
    dots: list[Dot]
    summary: str  # what the chart shows, in words (its <desc>)
    first: str = ""  # x-axis labels
    last: str = ""


def _x(fraction: float) -> float:
    return round(PAD_X + fraction * (WIDTH - 2 * PAD_X), 1)


def _y(fraction: float) -> float:
    return round(HEIGHT - PAD_Y - fraction * (HEIGHT - 2 * PAD_Y), 1)


def _frame(line: str, dots: list[Dot], summary: str, first: str = "", last: str = "") -> Chart:
    return Chart(WIDTH, HEIGHT, PAD_X, WIDTH - PAD_X, PAD_Y, HEIGHT - PAD_Y, line, dots, summary,
                 first, last)


def ship_rate_over_time(report: PersonaCalibration) -> Chart:
    """The running ship rate, take by take in the order they were drafted."""
    points = report.points
    if not points:
        return _frame("", [], f"{report.persona} has no drafts yet.")
    ships, coords, dots = 0, [], []
    for index, point in enumerate(points, start=1):
        ships += point.verdict == "ship"
        x = _x((index - 1) / max(len(points) - 1, 1))
        y = _y(ships / index)
        coords.append(f"{x},{y}")
        dots.append(Dot(x, y, point.verdict, f"{point.product}: {point.verdict}, "
                                              f"{round(100 * ships / index)}% so far"))
    summary = (f"Running ship rate of {report.persona} over {len(points)} takes, oldest first: "
               f"ends at {round(100 * ships / len(points))}%.")
    return _frame(" ".join(coords), dots, summary,
                  points[0].generated_at.strftime("%Y-%m-%d"),
                  points[-1].generated_at.strftime("%Y-%m-%d"))


def calls_against_community(report: PersonaCalibration) -> Chart:
    """Each call (ship on the upper row, skip on the lower) at the community's ship share."""
    voted = [p for p in report.points if p.community_ship_share is not None]
    dots = [Dot(_x(p.community_ship_share or 0.0), _y(0.8 if p.verdict == "ship" else 0.2),
                p.verdict, f"{p.product}: {p.verdict}; community "
                           f"{round(100 * (p.community_ship_share or 0.0))}% ship")
            for p in voted]
    if not voted:
        return _frame("", [], f"No product {report.persona} called has community votes.")
    agree = ("" if report.community_agreement is None else
             f" It agrees with the community's majority on "
             f"{round(100 * report.community_agreement)}% of them.")
    return _frame("", dots, f"{report.persona}'s calls on {len(voted)} products with community "
                            f"votes, against the community's ship share.{agree}", "0%", "100%")
