"""Terminal renderings of the review views (rich). Model text goes in as ``Text``, never markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from panelist.review.views import format_percent

if TYPE_CHECKING:  # names for annotations only: ``lint`` need not import publishing's jinja
    from panelist.review.approval import Approval, StatsRow, Unapproval
    from panelist.review.lint import LintReport
    from panelist.review.publish import Published
    from panelist.review.views import (
        ComparisonView,
        PanelView,
        Seat,
        TakeColumn,
        TakesView,
    )
    from panelist.review.worddiff import Segment

_VERDICT_STYLE = {"ship": "bold green", "skip": "bold red"}


def verdict_text(verdict: str | None) -> Text:
    return Text(verdict or "—", style=_VERDICT_STYLE.get(verdict or "", "dim"))


_STATUS_STYLE = {"approved": "cyan", "edited after approval": "bold magenta"}


def status_text(seat: Seat) -> Text:
    text = Text(seat.status, style=_STATUS_STYLE.get(seat.status, "dim"))
    if seat.edited and seat.status != "edited after approval":
        text.append(" · edited", style="magenta")
    return text


def quote_text(seat: Seat) -> Text:
    """The quote, and under it each of the quality gate's findings on it as it stands."""
    text = Text(seat.quote or "(no draft yet)", style="" if seat.quote else "dim")
    for finding in seat.quality:
        text.append(f"\nquality {finding}", style="bold yellow")
    if seat.quality_allowed:
        text.append("\n(approved anyway, --allow-quality)", style="yellow")
    return text


def ratio_text(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.0%}"


def panel_summary(panel: PanelView) -> str:
    facts = panel.product
    return (f"{facts.name}: panel ship {format_percent(panel.ship_percent)} ({panel.split} of "
            f"{panel.drafted} drafted), approved {panel.approved}/{len(panel.seats)}, "
            f"entry {facts.pricing}, community {format_percent(facts.community_percent)}")


def panel_table(panel: PanelView) -> Table:
    table = Table(title=Text(panel_summary(panel)), title_justify="left", show_lines=True,
                  expand=True)
    table.add_column("persona", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("status", max_width=14)  # "edited after approval" wraps, the quote stays wide
    table.add_column("quote", ratio=1, overflow="fold")
    for seat in panel.seats:
        persona = Text(seat.persona, style="bold")
        persona.append(f"\n{seat.label}", style="dim")
        table.add_row(persona, verdict_text(seat.verdict), status_text(seat), quote_text(seat))
    return table


def comparison_table(view: ComparisonView) -> Table:
    table = Table(title=Text(" vs ".join(p.product.name for p in view.panels)),
                  title_justify="left", show_lines=True, expand=True)
    table.add_column("persona", no_wrap=True)
    for panel in view.panels:
        header = Text(panel.product.name, style="bold")
        header.append(f"\nship {format_percent(panel.ship_percent)} ({panel.split})"
                      f"\napproved ship {format_percent(panel.approved_ship_percent)} "
                      f"({panel.approved}/{len(panel.seats)} approved)"
                      f"\nentry {panel.product.pricing}"
                      f" · community {format_percent(panel.product.community_percent)}",
                      style="")
        table.add_column(header, ratio=1, overflow="fold")
    for first, seats in view.rows():
        persona = Text(first.persona, style="bold")
        persona.append(f"\n{first.label}", style="dim")
        cells = []
        for seat in seats:
            cell = verdict_text(seat.verdict)
            cell.append(" · ")
            cell.append_text(status_text(seat))
            cell.append("\n")
            cell.append_text(quote_text(seat))
            cells.append(cell)
        table.add_row(persona, *cells)
    return table


def diff_text(segments: list[Segment]) -> Text:
    """Word diff as git's --word-diff shows it: [-removed-] {+added+}, coloured where possible."""
    text = Text()
    for index, segment in enumerate(segments):
        if index:
            text.append(" ")
        if segment.kind == "same":
            text.append(segment.text)
        elif segment.kind == "removed":
            text.append(f"[-{segment.text}-]", style="red strike")
        else:
            text.append(f"{{+{segment.text}+}}", style="bold green")
    return text


def takes_table(view: TakesView) -> Table:
    table = Table(title=Text(f"{view.product.name} / {view.name} ({view.label}): "
                             f"{len(view.takes)} versions"), title_justify="left",
                  show_lines=True, expand=True)
    table.add_column("version", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("quote (changes against the version above)", ratio=1, overflow="fold")
    for column in view.takes:
        label = Text(column.title, style="bold")
        label.append(f"\n{column.model}\n{column.generated_at.replace('T', ' ')}\n"
                     f"{column.words} words",
                     style="dim")
        if column.edit_ratio is not None:
            label.append(f"\n{ratio_text(column.edit_ratio)} changed", style="magenta")
        if column.current:
            label.append("\ncurrent", style="cyan")
        table.add_row(label, verdict_text(column.verdict), take_body(column))
    return table


def take_body(column: TakeColumn) -> Text:
    """A version's quote as a word diff against the one before it, and the editor's note."""
    body = diff_text(column.diff) if column.diff is not None else Text(column.quote)
    if column.note:
        body.append(f"\nnote: {column.note}", style="dim italic")
    return body


def approvals_list(approvals: list[Approval]) -> Text:
    """What was approved, take by take: persona, verdict, first words, lint findings."""
    first = approvals[0]
    text = Text(f"{first.product}: {_count(len(approvals), 'take')}, approved by "
                f"{first.approved_by or 'unknown'}", style="bold")
    for item in approvals:
        text.append(f"\n{item.persona}", style="bold")
        text.append(" · ")
        text.append_text(verdict_text(item.verdict))
        flipped = " (verdict changed)" if item.verdict_changed else ""
        text.append(f"{flipped} · take {item.take} · {ratio_text(item.edit_ratio)} edited · "
                    f"{item.outcome}", style="cyan" if item.outcome != "already approved"
                    else "dim")
        text.append(f"\n  “{item.first_words}”")
        for finding in item.findings:
            style = "bold red" if finding.severity == "error" else "yellow"
            text.append(f"\n  {finding.severity} {finding.check}: ", style=style)
            text.append(finding.summary)
        for flag in item.quality:
            text.append("\n  quality ", style="bold yellow")
            text.append(flag)
        if item.quality_allowed:
            text.append("\n  approved anyway (--allow-quality), recorded with the approval",
                        style="yellow")
    return text


def unapprovals_list(unapprovals: list[Unapproval]) -> Text:
    """What went back to draft, take by take, and whose approval it was."""
    sent_back = sum(1 for item in unapprovals if item.outcome == "unapproved")
    text = Text(f"{unapprovals[0].product}: {_count(sent_back, 'take')} back to draft",
                style="bold")
    for item in unapprovals:
        text.append(f"\n{item.persona}", style="bold")
        text.append(" · ")
        text.append_text(verdict_text(item.verdict))
        text.append(f" · take {item.take} · {item.outcome}",
                    style="cyan" if item.outcome == "unapproved" else "dim")
        if item.outcome == "unapproved" and item.was_approved_by:
            when = (f" on {item.was_approved_at:%Y-%m-%d %H:%M}" if item.was_approved_at
                    else "")
            text.append(f"\n  was approved by {item.was_approved_by}{when}", style="dim")
        text.append(f"\n  “{item.first_words}”")
    return text


def stats_cells(rows: list[StatsRow], by: str) -> list[dict[str, str]]:
    """Edit-ratio rows as the stats table shows them."""
    return [{by: row.key, "approved": str(row.approved), "edited": str(row.edited),
             "mean": ratio_text(row.mean_edit_ratio), "median": ratio_text(row.median_edit_ratio),
             "max": ratio_text(row.max_edit_ratio), "verdict_flips": str(row.verdict_flips)}
            for row in rows]


def lint_group(reports: list[LintReport]) -> Group:
    parts: list[Table | Text] = []
    for report in reports:
        if not report.findings:
            parts.append(Text(f"{report.product}: {_count(len(report.checked), 'draft')} "
                              f"checked, no findings", style="green"))
            continue
        table = Table(title=Text(f"{report.product}: {_count(len(report.findings), 'finding')} "
                                 f"in {_count(len(report.checked), 'draft')}"),
                      title_justify="left",
                      expand=True)
        table.add_column("persona", no_wrap=True)
        table.add_column("check", no_wrap=True)
        table.add_column("finding", ratio=1, overflow="fold")
        for finding in report.findings:
            style = "bold red" if finding.severity == "error" else "yellow"
            detail = Text(finding.message)
            if finding.claims:
                detail.append(": " + ", ".join(finding.claims), style="bold")
            if finding.sentence:
                detail.append(f"\nin “{finding.sentence}”", style="dim")
            table.add_row(finding.persona, Text(finding.check, style=style), detail)
        parts.append(table)
    return Group(*parts)


def publish_summary(result: Published) -> Text:
    page = result.page
    text = Text(f"published {page.title}", style="bold")
    for card in page.products:
        text.append(f"\n  {card.facts.name}: panel ship {format_percent(card.ship_percent)} "
                    f"({card.ship} ship / {card.skip} skip of {card.approved} approved)")
    if page.unapproved:
        text.append(f"\n  preview: includes {len(page.unapproved)} take(s) without a "
                    f"standing approval, marked on the page: {', '.join(page.unapproved)}",
                    style="yellow")
    for path in result.paths:
        text.append(f"\n  wrote {path}")
    return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
