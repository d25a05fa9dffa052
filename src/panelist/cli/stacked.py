"""The review views for a narrow terminal: one block per persona instead of table columns.

At 80 columns a table gives each quote a column of about 25 characters, so a five-persona
panel runs to a hundred lines; stacked, each quote gets the full width.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from panelist.cli.tables import (
    comparison_table,
    panel_summary,
    panel_table,
    quote_text,
    ratio_text,
    status_text,
    take_body,
    takes_table,
    verdict_text,
)
from panelist.review.views import CompareView, ComparisonView, PanelView, Seat, TakesView

NARROW_BELOW = 110  # columns; below this, the review views stack


def _seat_line(seat: Seat, name: str | None = None) -> Text:
    line = Text(name or seat.persona, style="bold")
    if name is None:
        line.append(f" · {seat.label}", style="dim")
    line.append(" · ")
    line.append_text(verdict_text(seat.verdict))
    line.append(" · ")
    line.append_text(status_text(seat))
    return line


def _quote(seat: Seat, indent: int) -> Padding:
    return Padding(quote_text(seat), (0, 0, 1, indent))


def stacked_panel(panel: PanelView) -> Group:
    parts: list[RenderableType] = [Text(panel_summary(panel), style="bold"), Text()]
    for seat in panel.seats:
        parts += [_seat_line(seat), _quote(seat, 2)]
    return Group(*parts)


def stacked_comparison(view: ComparisonView) -> Group:
    parts: list[RenderableType] = [
        Text(" vs ".join(p.product.name for p in view.panels), style="bold")]
    parts += [Text(panel_summary(panel), style="dim") for panel in view.panels]
    for first, seats in view.rows():
        parts.append(Text())
        parts.append(Text(f"{first.persona} · {first.label}", style="bold underline"))
        for panel, seat in zip(view.panels, seats, strict=True):
            parts += [Padding(_seat_line(seat, panel.product.name), (0, 0, 0, 2)),
                      _quote(seat, 4)]
    return Group(*parts)


def stacked_takes(view: TakesView) -> Group:
    parts: list[RenderableType] = [Text(
        f"{view.product.name} / {view.name} ({view.label}): {len(view.takes)} versions",
        style="bold"), Text()]
    for column in view.takes:
        line = Text(column.title, style="bold")
        line.append(" · ")
        line.append_text(verdict_text(column.verdict))
        line.append(f" · {column.model} · {column.generated_at.replace('T', ' ')} · "
                    f"{column.words} words", style="dim")
        if column.edit_ratio is not None:
            line.append(f" · {ratio_text(column.edit_ratio)} changed", style="magenta")
        if column.current:
            line.append(" · current", style="cyan")
        parts += [line, Padding(take_body(column), (0, 0, 1, 2))]
    return Group(*parts)


def compare_renderable(view: CompareView, width: int) -> RenderableType:
    """A table on a wide terminal; below ``NARROW_BELOW`` columns, one block each."""
    narrow = width < NARROW_BELOW
    if isinstance(view, PanelView):
        return stacked_panel(view) if narrow else panel_table(view)
    if isinstance(view, ComparisonView):
        return stacked_comparison(view) if narrow else comparison_table(view)
    return stacked_takes(view) if narrow else takes_table(view)
