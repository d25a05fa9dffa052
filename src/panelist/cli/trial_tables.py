"""Trials and calibration in the terminal.

A trial: per-variant totals with the baseline beside them, then each product's takes. Below
110 columns everything stacks, one line of figures per take, so a trial reads at 80 columns;
wider, the takes are one table. Calibration: one block per persona with its flags.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from panelist.cli.stacked import NARROW_BELOW
from panelist.cli.tables import ratio_text, verdict_text
from panelist.review.calibration import PersonaCalibration
from panelist.review.trials import TrialCellView, TrialView, VariantTotals


def trial_renderable(view: TrialView, width: int) -> RenderableType:
    head = Text(f"trial {view.id}: {view.persona}, {len(view.variants)} variants x "
                f"{len(view.products)} products", style="bold")
    if width < NARROW_BELOW:
        return Group(head, Text(), *_stacked_totals(view), Text(), *_stacked_cells(view))
    return Group(head, _totals_table(view), _cells_table(view))


def _totals_line(total: VariantTotals) -> Text:
    line = Text(f"{total.variant}", style="bold")
    vs = ("" if total.distance_vs_baseline is None or total.variant == "baseline"
          else f" ({total.distance_vs_baseline * 100:+.0f} pts vs baseline)")
    line.append(f"  {total.takes} takes"
                + (f", {total.failed} failed" if total.failed else "")
                + f" · verdict {total.verdict_matches}/{total.compared}"
                + f" · distance {ratio_text(total.mean_distance)}{vs}"
                + f" · {total.findings} findings · {total.out_of_range} out of range"
                + f" · {total.tokens:,} tokens · ${total.cost_usd:.4f} · {total.seconds:.1f} s")
    return line


def _stacked_totals(view: TrialView) -> list[RenderableType]:
    return [Text("per variant (summed over the sample; distance: mean share of words to "
                 "change to reach the approved take)", style="dim"),
            *(_totals_line(total) for total in view.totals)]


def _cell_line(cell: TrialCellView) -> Text:
    line = Text(cell.variant, style="bold")
    line.append(" · ")
    if cell.verdict is None:
        line.append(f"{cell.state}{': ' + cell.detail if cell.detail else ''}", style="red")
        return line
    line.append_text(verdict_text(cell.verdict))
    if cell.verdict_match is not None:
        line.append(" matches" if cell.verdict_match else " differs",
                    style="green" if cell.verdict_match else "bold red")
    line.append(f" · distance {ratio_text(cell.distance)} · {cell.words} words "
                f"({cell.word_range[0]}-{cell.word_range[1]}) · {cell.tokens:,} tokens · "
                f"${cell.cost_usd:.4f}" + (f" · {cell.seconds:.1f} s" if cell.seconds else ""),
                style="dim")
    return line


def _stacked_cells(view: TrialView) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for product in view.products:
        parts.append(Text(product, style="bold underline"))
        ref = view.approved(product)
        if ref is not None and ref.approved_quote:
            approved = Text("approved · ", style="bold")
            approved.append_text(verdict_text(ref.approved_verdict))
            parts += [approved, Padding(Text(ref.approved_quote), (0, 0, 0, 4))]
        for variant in view.variants:
            cell = view.cell(variant, product)
            parts.append(Padding(_cell_line(cell), (0, 0, 0, 2)))
            if cell.quote:
                parts.append(Padding(Text(cell.quote), (0, 0, 0, 4)))
            for finding in cell.findings:
                parts.append(Padding(Text(finding, style="yellow"), (0, 0, 0, 4)))
        parts.append(Text())
    return parts


def _totals_table(view: TrialView) -> Table:
    table = Table(title="per variant, summed over the sample", title_justify="left")
    for column in ("variant", "takes", "verdict match", "distance", "vs baseline", "findings",
                   "out of range", "tokens", "cost", "seconds"):
        table.add_column(column, justify="left" if column == "variant" else "right")
    for t in view.totals:
        table.add_row(Text(t.variant), f"{t.takes}" + (f" ({t.failed} failed)" if t.failed
                                                         else ""),
                      f"{t.verdict_matches}/{t.compared}", ratio_text(t.mean_distance),
                      "—" if t.distance_vs_baseline is None
                      else f"{t.distance_vs_baseline * 100:+.0f} pts",
                      str(t.findings), str(t.out_of_range), f"{t.tokens:,}",
                      f"${t.cost_usd:.4f}", f"{t.seconds:.1f}")
    return table


def _cells_table(view: TrialView) -> Table:
    table = Table(title="takes against the approved ones", title_justify="left")
    for column in ("product", "variant", "verdict", "distance", "words", "findings", "tokens",
                   "cost", "s", "quote"):
        table.add_column(column, overflow="fold",
                         ratio=4 if column == "quote" else None)
    for product in view.products:
        for variant in view.variants:
            cell = view.cell(variant, product)
            verdict = verdict_text(cell.verdict)
            if cell.verdict_match is not None:
                verdict.append(" ✓" if cell.verdict_match else " ✗")
            table.add_row(Text(product), Text(variant), verdict, ratio_text(cell.distance),
                          "" if cell.words is None else str(cell.words),
                          str(len(cell.findings)), f"{cell.tokens:,}", f"${cell.cost_usd:.4f}",
                          "" if cell.seconds is None else f"{cell.seconds:.1f}",
                          Text(cell.quote or f"{cell.state}: {cell.detail}"))
    return table


def calibration_renderable(reports: list[PersonaCalibration]) -> RenderableType:
    """One block per persona: its figures on a line, each flag under it."""
    parts: list[RenderableType] = []
    for report in reports:
        line = Text(report.persona, style="bold")
        if not report.takes:
            parts.append(line.append("  no drafts yet", style="dim"))
            continue
        community = ("no community votes" if report.community_agreement is None else
                     f"community agrees {ratio_text(report.community_agreement)} "
                     f"(of {report.community_compared})")
        if report.community_correlation is not None:
            community += f", r={report.community_correlation:+.2f}"
        trend = ("" if report.edit_ratio_recent is None and report.edit_ratio_before is None
                 else f" (last 30 days {ratio_text(report.edit_ratio_recent)}, before "
                      f"{ratio_text(report.edit_ratio_before)})")
        line.append(f"  {report.takes} takes · ship {ratio_text(report.ship_rate)} · panel "
                    f"majority {ratio_text(report.panel_agreement)} (of "
                    f"{report.panel_compared}) · {community} · edit ratio "
                    f"{ratio_text(report.mean_edit_ratio)} over {report.approved} approved"
                    f"{trend}")
        parts.append(line)
        parts += [Padding(Text(f"flag: {flag}", style="bold yellow"), (0, 0, 0, 2))
                  for flag in report.flags]
    return Group(*parts) if parts else Text("no personas")
