"""Reading commands: status, show, takes, personas, usage; and init."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from panelist.cli.app import app
from panelist.cli.options import (
    JsonOpt,
    WorkspaceOpt,
    console,
    cost_text,
    open_workspace,
    print_json,
    table,
)


@app.command()
def status(
    products: Annotated[list[str] | None, typer.Argument(
        metavar="PRODUCT", help="Product slug(s) or file(s); omit for the catalogue.",
        show_default=False)] = None,
    all_products: Annotated[bool, typer.Option(
        "--all", help="Every product in products/, one row per persona.")] = False,
    persona: Annotated[list[str] | None, typer.Option(
        "--persona", "-p", metavar="ID", help="Only these personas (repeatable).")] = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show each persona's draft: verdict, status, edits, take, tokens, cost, quality findings.

    tokens: the kept take's output tokens (+ the discarded draws'); cost_usd: every call's.
    quality: the gate's findings on the take as it stands now.

    With no product, one row per product: how far its panel is.

    Example: panelist status tether-qvac-sdk
    """
    from panelist.review import catalogue, reports

    ws = open_workspace(workspace, products)
    if not products and not all_products and not persona:
        rows = [row.model_dump(mode="json") for row in catalogue.catalogue_rows(ws)]
        columns = ["slug", "drafted", "panel", "edited", "approved", "ship", "skip",
                   "quality_flagged", "cost_usd", "lint_errors", "stage"]
        optional = ["edited", "ship", "skip", "cost_usd", "panel", "lint_errors"]
    else:
        slugs = list(dict.fromkeys(ws.product_path(ref).stem for ref in
                                   [*(products or []), *(ws.product_slugs()
                                                         if all_products or not products
                                                         else [])]))
        rows = reports.status_rows(ws, slugs, persona)
        columns = ["product", "persona", "verdict", "status", "edited", "take", "model",
                   "backend", "tokens", "cost_usd", "flags", "quality"]
        optional = ["take", "tokens", "cost_usd", "model", "backend"]
    if as_json:
        print_json(rows)
    else:
        console().print(table(rows, columns, optional=optional))


@app.command()
def show(
    product: Annotated[str, typer.Argument(metavar="PRODUCT", help="Product slug or file.")],
    persona: Annotated[str, typer.Argument(metavar="PERSONA", help="Persona id.")],
    take: Annotated[int | None, typer.Option("--take", "-t", metavar="N", min=1,
                                             help="A take from history.")] = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show one persona's current draft (or an earlier take).

    Example: panelist show tether-qvac-sdk dx --take 1
    """
    from panelist.review import reports

    ws = open_workspace(workspace)
    store, found = reports.find_draft(ws, product, persona, take)
    view = reports.draft_view(store, found)
    if as_json:
        print_json(view)
        return
    from rich.text import Text

    edited = " (edited by an editor)" if view["edited"] else ""
    heading = Text(f"{view['product']} / {view['persona']}", style="bold")
    heading.append(f": {view['verdict']}, {view['status']}, take {view['take']}, "
                   f"{view['model']}{edited}")
    console().print(heading)
    console().print(Text(view["quote"]))
    for reason in view["reasons"]:
        console().print(Text(f"  - {reason}", style="dim"))


@app.command()
def takes(
    product: Annotated[str, typer.Argument(metavar="PRODUCT", help="Product slug or file.")],
    persona: Annotated[str, typer.Argument(metavar="PERSONA", help="Persona id.")],
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """List every take of one persona kept in history, and editors' saved versions.

    Example: panelist takes tether-qvac-sdk skeptic
    """
    from panelist.review import reports

    ws = open_workspace(workspace)
    slug = ws.product_path(product).stem
    persona = ws.select_personas([persona])[0].id
    rows = reports.take_rows(ws, slug, persona)
    if as_json:
        print_json(rows)
    else:
        console().print(table(rows, ["take", "kind", "verdict", "words", "model", "generated_at",
                                     "note", "current"],
                              optional=["words", "generated_at", "model"]))


@app.command()
def personas(as_json: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """List the personas on the panel.

    Example: panelist personas --json
    """
    from panelist.review import reports

    rows = reports.persona_rows(open_workspace(workspace).load_personas())
    if as_json:
        print_json(rows)
    else:
        console().print(table(rows, ["id", "name", "label", "quote_words", "model"],
                              optional=["name", "model"]))


@app.command()
def usage(
    by: Annotated[Literal["product", "persona", "model"],
                  typer.Option(metavar="[product|persona|model]",
                               help="Group by product, persona or model.")] = "product",
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show tokens and spend from the usage ledger: every call, the kept takes' and the
    discarded draws' and re-asks' alike (a draft's own usage is its kept take's).

    Example: panelist usage --by model
    """
    from panelist.store import ledger

    ws = open_workspace(workspace)
    rows = [row.model_dump() for row in ledger.summarize(ledger.read(ws.ledger_path), by)]
    if as_json:
        print_json(rows)
    else:
        shown = [{"key": r["key"], "calls": r["calls"], "in": r["input_tokens"],
                  "out": r["output_tokens"], "think": r["thinking_tokens"],
                  "read": r["cache_read_tokens"], "write": r["cache_write_tokens"],
                  "cost": cost_text(r["cost_usd"], r["unpriced_calls"])} for r in rows]
        console().print(table(shown, ["key", "calls", "in", "out", "think", "read", "write",
                                      "cost"], optional=["calls", "think", "read", "write"],
                              right=["calls", "in", "out", "think", "read", "write", "cost"],
                              title=f"spend by {by}, every call, discarded draws included "
                                    f"(tokens; think: part of out; read / write: prompt cache)"))


@app.command()
def init(directory: Annotated[Path, typer.Argument(metavar="DIR",
                                                  help="Folder for the new workspace.")]
         = Path(".")) -> None:
    """Create a workspace with the default five personas, prompts and example products.

    Example: panelist init my-reviews
    """
    from panelist.store.workspace import init_workspace

    created = init_workspace(directory)
    console().print(f"{len(created)} files created in {directory}; next: cd {directory} && "
                    f"panelist draft products/tether-qvac-sdk.md", markup=False, highlight=False)


