"""Drafting commands: draft, redo, render."""

from __future__ import annotations

import time
from typing import Annotated

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
    open_workspace,
    print_json,
)


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
    from panelist.run import plan

    ws = open_workspace(workspace)
    settings = plan.run_settings(model, base_url, concurrency, timeout, effort=effort)
    refs = plan.product_refs(ws, products, all_products)
    if batch:
        running.submit_batch(ws, refs, persona, settings, force=force)
        return
    started = time.perf_counter()
    results = running.draft_products(ws, refs, persona, settings, force=force)
    running.finish_run(results, time.perf_counter() - started)


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
    from panelist.run import plan

    ws = open_workspace(workspace)
    settings = plan.run_settings(model, base_url, 1, timeout, effort=effort)
    started = time.perf_counter()
    results = running.redo_persona(ws, product, persona, note, settings, force=force)
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
    import asyncio

    from panelist.cli import running
    from panelist.run import plan
    from panelist.run.jobs import Job

    ws = open_workspace(workspace)
    settings = plan.run_settings(model, base_url, 1, effort=effort)
    job = Job(ws.load_product(product), ws.select_personas([persona])[0], note=note)
    rendered = plan.make_plan(ws, [job], settings)
    running.announce(rendered.jobs[0].choice.notices)
    print_json(asyncio.run(plan.describe_plan(rendered))[0])


