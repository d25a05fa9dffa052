"""Drafting commands: draft, redo, render."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from panelist.cli.app import app
from panelist.cli.options import (
    AllOpt,
    BaseUrlOpt,
    EffortOpt,
    ModelOpt,
    PersonaOpt,
    ProductsArg,
    TimeoutOpt,
    WorkspaceOpt,
    console,
    open_workspace,
    print_json,
)

if TYPE_CHECKING:
    from panelist.run.service import PreparedRun


@app.command()
def draft(
    products: ProductsArg = None,
    all_products: AllOpt = False,
    persona: PersonaOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    concurrency: Annotated[int, typer.Option(
        metavar="N", min=1, max=64, help="Calls in flight at once, across all products; lowered "
        "automatically while the API answers 429 / 529.")] = 5,
    force: Annotated[bool, typer.Option(
        "--force", help="Re-draft personas that already have a draft; an editor's version "
        "goes to history first.")] = False,
    batch: Annotated[bool, typer.Option(
        "--batch", help="Submit through the Message Batches API (half price, answered within "
        "24 hours); then 'panelist batch collect'.")] = False,
    timeout: TimeoutOpt = None,
    effort: EffortOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Draft each persona's quote and ship/skip call into drafts/PRODUCT/.

    Only personas with no draft yet are drafted, so re-running finishes an interrupted run.
    Several products share one pool of --concurrency calls.

    Example: panelist draft products/tether-qvac-sdk.md
    """
    from panelist.cli import running
    from panelist.run import service

    ws = open_workspace(workspace, products)
    settings = service.run_settings(model, base_url, concurrency, timeout, effort=effort)
    prepared = service.prepare_draft(ws, products, persona, settings,
                                     all_products=all_products, force=force)
    if batch:
        _submit_batch(prepared)
        return
    started = time.perf_counter()
    results = running.run(prepared)
    running.finish_run(results, time.perf_counter() - started)


def _submit_batch(prepared: PreparedRun) -> None:
    """``draft --batch``: the same plan, sent as one batch instead of called."""
    from panelist.cli import running
    from panelist.run import service

    running.announce(prepared.notices)
    record = service.submit_batch(prepared)
    if record is None:
        running.finish_run(prepared.skipped, 0.0)
        return
    skipped = prepared.skipped
    kept = f"; {len(skipped)} persona(s) skipped (already drafted or in a batch)" if skipped else ""
    console().print(
        f"submitted batch {record.id}: {len(record.entries)} request(s) at the batch price"
        f"{kept}.\nCheck it with 'panelist batch status {record.id}'; when it has ended "
        f"(usually within the hour, at most 24 hours) run 'panelist batch collect {record.id}'.",
        highlight=False, soft_wrap=False)


@app.command()
def redo(
    product: Annotated[str, typer.Argument(metavar="PRODUCT", help="Product slug or file.")],
    persona: Annotated[str, typer.Argument(metavar="PERSONA", help="Persona id, e.g. skeptic.")],
    note: Annotated[str | None, typer.Option(
        "--note", "-n", metavar="TEXT",
        help="What to change, e.g. 'harder on pricing'; goes into the prompt.")]
        = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace a draft an editor changed or approved (saved to history "
        "first).")] = False,
    timeout: TimeoutOpt = None,
    effort: EffortOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Draft a new take for one persona; the previous take stays in history.

    Example: panelist redo tether-qvac-sdk skeptic --note "harder on pricing"
    """
    from panelist.cli import running
    from panelist.run import service

    ws = open_workspace(workspace, [product])
    settings = service.run_settings(model, base_url, 1, timeout, effort=effort)
    started = time.perf_counter()
    prepared = service.prepare_redo(ws, product, persona, note, settings, force=force)
    job = prepared.plan.jobs[0].job
    results = running.run(prepared, f"redo {job.product.slug} / {job.persona.id}")
    running.finish_run(results, time.perf_counter() - started)


@app.command()
def render(
    product: Annotated[str, typer.Argument(metavar="PRODUCT", help="Product slug or file.")],
    persona: Annotated[str, typer.Argument(metavar="PERSONA", help="Persona id.")],
    note: Annotated[str | None, typer.Option("--note", "-n", metavar="TEXT",
        help="As for redo.")] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    effort: EffortOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Print the exact request that would be sent for one persona, without calling a model.

    Example: panelist render tether-qvac-sdk dx
    """
    from panelist.cli import running
    from panelist.run import service

    ws = open_workspace(workspace, [product])
    settings = service.run_settings(model, base_url, 1, effort=effort)
    prepared = service.prepare_request(ws, product, persona, note, settings)
    running.announce(prepared.notices)
    print_json(service.render(prepared)[0])


