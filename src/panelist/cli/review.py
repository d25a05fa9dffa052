"""Commands to review drafts: compare, approve, unapprove, stats, lint, publish (registered on
the app)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from panelist.cli.app import app
from panelist.cli.options import (
    JsonOpt,
    ProductArg,
    WorkspaceOpt,
    console,
    existing_folder,
    open_workspace,
    print_json,
    table,
)

if TYPE_CHECKING:
    from panelist.store.workspace import Workspace


@app.command()
def compare(
    product: ProductArg,
    other: Annotated[str | None, typer.Argument(
        metavar="OTHER",
        help="A second product to compare against; with --takes or --since-approval, a "
        "persona id.",
        show_default=False)] = None,
    takes: Annotated[bool, typer.Option(
        "--takes", help="Compare one persona's takes, with word-level changes.")] = False,
    since_approval: Annotated[bool, typer.Option(
        "--since-approval", help="One persona's take as approved against as it stands, "
        "with word-level changes.")] = False,
    html: Annotated[Path | None, typer.Option(
        "--html", metavar="FILE", help="Write the view as one self-contained HTML page "
        "instead of printing it.")]
        = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Read drafts side by side: a product's panel, two products, or one persona's takes.

    Example: panelist compare claude-haiku-open-weights tether-qvac-sdk --html compare.html
    """
    from panelist.cli import stacked
    from panelist.review import catalogue, site
    from panelist.store.workspace import write_atomic

    ws = open_workspace(workspace)
    view = catalogue.build_compare_view(ws, product, other, takes=takes,
                                        since_approval=since_approval)
    if html is not None:
        write_atomic(existing_folder(html, "--html"), site.render_compare_html(ws, view))
    if as_json:
        print_json(view.model_dump(mode="json"))
    elif html is not None:
        console().print(f"wrote {html}", markup=False, highlight=False)
    else:
        console().print(stacked.compare_renderable(view, console().width))


@app.command()
def approve(
    product: ProductArg,
    personas: Annotated[list[str] | None, typer.Argument(
        metavar="PERSONA", help="Persona ids to approve. Default: every drafted persona.",
        show_default=False)]
        = None,
    allow_lint_errors: Annotated[bool, typer.Option(
        "--allow-lint-errors", help="Approve takes with lint errors (placeholder text, no "
        "verdict) anyway; publish still refuses them.")] = False,
    allow_quality: Annotated[bool, typer.Option(
        "--allow-quality", help="Approve takes the quality gate flags anyway; the override is "
        "recorded with the approval, for this text only.")] = False,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Approve takes as they stand now and list them; records who approved and the edit ratio.

    Takes with lint errors are refused, and so are takes the quality gate flags as they stand
    (rewrite them, or pass --allow-quality). An edit after approval needs approving again.

    Example: panelist approve tether-qvac-sdk dx skeptic
    """
    from panelist.cli import tables as review_tables
    from panelist.review import approval

    approvals = approval.approve_takes(open_workspace(workspace), product, personas,
                                       allow_lint_errors=allow_lint_errors,
                                       allow_quality=allow_quality)
    if as_json:
        print_json([item.model_dump(mode="json") for item in approvals])
    else:
        console().print(review_tables.approvals_list(approvals), soft_wrap=False)


@app.command()
def unapprove(
    product: ProductArg,
    personas: Annotated[list[str] | None, typer.Argument(
        metavar="PERSONA",
        help="Persona ids to send back to draft. Default: every drafted persona.",
        show_default=False)] = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Send approved takes back to draft; the quote and verdict stay as they are.

    Clears who approved, when, what and the edit ratio; publish then refuses the take.

    Example: panelist unapprove tether-qvac-sdk dx
    """
    from panelist.cli import tables as review_tables
    from panelist.review import approval

    unapprovals = approval.unapprove_takes(open_workspace(workspace), product, personas)
    if as_json:
        print_json([item.model_dump(mode="json") for item in unapprovals])
    else:
        console().print(review_tables.unapprovals_list(unapprovals), soft_wrap=False)


@app.command()
def stats(
    product: Annotated[str | None, typer.Argument(
        metavar="PRODUCT", help="Product slug or file; omit for all.", show_default=False)]
        = None,
    by: Annotated[list[str] | None, typer.Option(
        "--by", metavar="[persona|model]",
        help="persona or model (repeatable). Default: both.")] = None,
    calibration: Annotated[bool, typer.Option(
        "--calibration", help="Per persona over the catalogue: ship rate, agreement with the "
        "panel and the community, the edit ratio's trend, and flags.")] = False,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Edit ratio of approved takes per persona and per model: which drafts editors rewrite.

    Example: panelist stats --by persona
    """
    from panelist.cli import tables as review_tables
    from panelist.review import approval

    ws = open_workspace(workspace)
    if calibration:
        _calibration(ws, as_json)
        return
    keys = approval.stats_keys(by)
    tables = approval.stats_tables(ws, keys, product)
    if as_json:
        print_json({f"by_{key}": [row.model_dump() for row in rows]
                     for key, rows in tables.items()})
        return
    for key, rows in tables.items():
        console().print(table(review_tables.stats_cells(rows, key),
                              [key, "approved", "edited", "mean", "median", "max",
                               "verdict_flips"], optional=["median", "max", "verdict_flips"],
                              right=["approved", "edited", "mean", "median", "max",
                                     "verdict_flips"], keep_empty=["verdict_flips"],
                              title=f"edit ratio of approved takes, by {key}") if rows
                        else f"no approved takes yet (by {key}): run 'panelist approve PRODUCT'")


def _calibration(ws: Workspace, as_json: bool) -> None:
    from panelist.cli.trial_tables import calibration_renderable
    from panelist.review.calibration import calibration_json, calibration_report

    reports = calibration_report(ws)
    if as_json:
        print_json(calibration_json(reports))
    else:
        console().print(calibration_renderable(reports))


@app.command()
def lint(
    products: Annotated[list[str] | None, typer.Argument(
        metavar="PRODUCT", help="Product slug(s) or file(s).", show_default=False)]
        = None,
    all_products: Annotated[bool, typer.Option(
        "--all", help="Every product in products/.")] = False,
    persona: Annotated[list[str] | None, typer.Option(
        "--persona", "-p", metavar="ID", help="Only these personas (repeatable).")] = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Check drafts: word range, empty or placeholder text, verdict, claims not in the product.

    Exits 1 when a draft has an error (no verdict, empty quote, placeholder text).

    Example: panelist lint tether-qvac-sdk
    """
    from panelist.cli import tables as review_tables
    from panelist.review.catalogue import lint_reports, lint_slugs

    ws = open_workspace(workspace, products)
    slugs = lint_slugs(ws, products, all_products)
    reports = lint_reports(ws, slugs, persona)
    if as_json:
        print_json([report.model_dump() for report in reports])
    else:
        console().print(review_tables.lint_group(reports))
    if any(report.errors for report in reports):
        raise typer.Exit(1)


@app.command()
def publish(
    products: Annotated[list[str], typer.Argument(
        metavar="PRODUCT", help="One product, or two for an 'A vs B' page.", show_default=False)],
    include_unapproved: Annotated[bool, typer.Option(
        "--include-unapproved", help="Publish a preview that shows unapproved takes, "
        "marked as such.")] = False,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", help="Folder for the pages. Default: site/ in the workspace.")]
        = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the page for approved takes to site/ as HTML, Markdown and JSON; lint it first.

    Example: panelist publish claude-haiku-open-weights tether-qvac-sdk
    """
    from panelist.cli import tables as review_tables
    from panelist.review import publish as publishing

    if out is not None:
        existing_folder(out, "--out")
    result = publishing.publish(open_workspace(workspace), products,
                                include_unapproved=include_unapproved, out_dir=out)
    if as_json:
        print_json({"paths": result.paths, "unapproved": result.page.unapproved,
                     "lint": [report.model_dump() for report in result.lint]})
        return
    console().print(review_tables.lint_group(result.lint))
    console().print(review_tables.publish_summary(result))
