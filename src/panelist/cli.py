"""The command line: parse, build, call one function, print. The only place errors become exits."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from typer import _click
from typer.core import TyperGroup

from panelist.errors import PanelistError

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


class PanelistGroup(TyperGroup):
    """Turns every expected failure into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PanelistError as error:
            err_console.print(f"[red]error:[/red] {escape(str(error))}", soft_wrap=True)
            sys.exit(error.exit_code)
        except OSError as error:  # a write refused by the system (read-only, disk full)
            where = f"{error.filename}: " if error.filename else ""
            err_console.print(f"[red]error:[/red] {escape(where + str(error.strerror or error))}",
                              soft_wrap=True)
            sys.exit(1)
        except KeyboardInterrupt:
            err_console.print("interrupted: finished drafts are kept; run the same command "
                              "again to finish the rest", soft_wrap=True)
            sys.exit(130)


app = typer.Typer(
    cls=PanelistGroup,
    help="Draft AI-tool reviews from a panel of reviewer personas; editors edit and approve.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
)

WorkspaceOpt = Annotated[Path | None, typer.Option(
    "--workspace", "-w", envvar="PANELIST_WORKSPACE",
    help="Workspace folder (personas/, prompts/, products/, drafts/). Default: current folder.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ModelOpt = Annotated[str | None, typer.Option(
    "--model", "-m", help="Model id (e.g. claude-sonnet-5-5); beats a persona's own model. "
    "'local' drafts offline with the bundled model, 'local:/path/to/model.gguf' with any GGUF "
    "(or set PANELIST_LOCAL_MODEL). Default: the newest Sonnet when ANTHROPIC_API_KEY is set, "
    "else the local model.")]
BaseUrlOpt = Annotated[str | None, typer.Option(
    "--base-url", envvar="ANTHROPIC_BASE_URL",
    help="Any server speaking the Messages API (llama-server, Ollama, vLLM, LiteLLM).")]
TimeoutOpt = Annotated[float, typer.Option(
    "--timeout", envvar="PANELIST_TIMEOUT", min=0.1,
    help="Seconds one model request may take before it is retried.")]


def _workspace(path: Path | None) -> Any:
    from panelist.workspace import Workspace

    return Workspace.discover(path)


def _print_json(data: Any) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False, default=str))


def _table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None) -> Table:
    """Plain-text cells (model text is never read as markup); columns empty in every row are
    left out, and long values wrap instead of being cut."""
    shown = [c for c in columns if any(row.get(c) not in (None, "", False) for row in rows)]
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(shown or columns):
        table.add_column(column, no_wrap=index == 0, overflow="fold")
    for row in rows:
        table.add_row(*(Text(_cell(row[c])) if row.get(c) is not None else ""
                        for c in shown or columns))
    return table


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"${value:.4f}"
    return str(value)


# drafting -------------------------------------------------------------------------------

@app.command()
def draft(
    products: Annotated[list[str] | None, typer.Argument(
        help="Product file(s) in products/, or their slugs.", show_default=False)] = None,
    all_products: Annotated[bool, typer.Option(
        "--all", help="Every product in products/.")] = False,
    persona: Annotated[list[str] | None, typer.Option(
        "--persona", "-p", help="Only these personas (repeatable). Default: the whole panel.")]
        = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    concurrency: Annotated[int, typer.Option(
        min=1, max=64, help="Calls in flight at once, across all products; lowered "
        "automatically while the API answers 429 / 529.")] = 5,
    force: Annotated[bool, typer.Option(
        "--force", help="Re-draft personas that already have a draft; an editor's version "
        "goes to history first.")] = False,
    batch: Annotated[bool, typer.Option(
        "--batch", help="Submit through the Message Batches API (half price, answered within "
        "24 hours); then 'panelist batch collect'.")] = False,
    timeout: TimeoutOpt = 120.0,
    workspace: WorkspaceOpt = None,
) -> None:
    """Draft each persona's quote and ship/skip call into drafts/PRODUCT/.

    Only personas with no draft yet are drafted, so re-running finishes an interrupted run.
    Several products share one pool of --concurrency calls.

    Example: panelist draft products/tether-qvac-sdk.md
    """
    from panelist import commands

    ws = _workspace(workspace)
    settings = commands.run_settings(model, base_url, concurrency, timeout)
    refs = commands.product_refs(ws, products, all_products)
    if batch:
        from panelist.cli_batch import submit_batch

        submit_batch(ws, refs, persona, settings, force=force)
        return
    started = time.perf_counter()
    results = commands.draft_products(ws, refs, persona, settings, force=force,
                                      console=console)
    commands.finish_run(console, results, time.perf_counter() - started)


@app.command()
def redo(
    product: Annotated[str, typer.Argument(help="Product slug or file.")],
    persona: Annotated[str, typer.Argument(help="Persona id, e.g. skeptic.")],
    note: Annotated[str | None, typer.Option(
        "--note", "-n", help="What to change, e.g. 'harder on pricing'; goes into the prompt.")]
        = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace a draft an editor changed or approved (saved to history "
        "first).")] = False,
    timeout: TimeoutOpt = 120.0,
    workspace: WorkspaceOpt = None,
) -> None:
    """Draft a new take for one persona; the previous take stays in history.

    Example: panelist redo tether-qvac-sdk skeptic --note "harder on pricing"
    """
    from panelist import commands

    ws = _workspace(workspace)
    settings = commands.run_settings(model, base_url, 1, timeout)
    started = time.perf_counter()
    results = commands.redo_persona(ws, product, persona, note, settings, force=force,
                                    console=console)
    commands.finish_run(console, results, time.perf_counter() - started)


@app.command()
def render(
    product: Annotated[str, typer.Argument(help="Product slug or file.")],
    persona: Annotated[str, typer.Argument(help="Persona id.")],
    note: Annotated[str | None, typer.Option("--note", "-n", help="As for redo.")] = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Print the exact request that would be sent for one persona, without calling a model.

    Example: panelist render tether-qvac-sdk dx
    """
    from panelist import commands

    ws = _workspace(workspace)
    settings = commands.run_settings(model, base_url, 1)
    _print_json(commands.render_request(ws, product, persona, note, settings))


# reading --------------------------------------------------------------------------------

@app.command()
def status(
    product: Annotated[str | None, typer.Argument(help="Product slug; omit for all.")] = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show each persona's draft: verdict, status, whether an editor changed it, take, cost.

    Example: panelist status tether-qvac-sdk
    """
    from panelist import reports

    ws = _workspace(workspace)
    if product is None:
        rows = reports.catalogue_rows(ws)
        columns = ["product", "drafted", "personas", "edited", "approved", "ship", "skip",
                   "cost_usd"]
    else:
        slug = ws.product_path(product).stem
        rows = reports.status_rows(ws, slug)
        columns = ["persona", "verdict", "status", "edited", "take", "model", "backend",
                   "cost_usd", "flags", "quality"]
    if as_json:
        _print_json(rows)
    else:
        console.print(_table(rows, columns))


@app.command()
def show(
    product: Annotated[str, typer.Argument(help="Product slug or file.")],
    persona: Annotated[str, typer.Argument(help="Persona id.")],
    take: Annotated[int | None, typer.Option("--take", "-t", min=1,
                                             help="A take from history.")] = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show one persona's current draft (or an earlier take).

    Example: panelist show tether-qvac-sdk dx --take 1
    """
    from panelist import commands, reports

    ws = _workspace(workspace)
    store, found = commands.find_draft(ws, product, persona, take)
    view = reports.draft_view(store, found)
    if as_json:
        _print_json(view)
        return
    edited = " (edited by an editor)" if view["edited"] else ""
    console.print(f"[bold]{view['product']} / {view['persona']}[/bold]: {view['verdict']}, "
                  f"{view['status']}, take {view['take']}, {view['model']}{edited}")
    console.print(view["quote"], soft_wrap=True)
    for reason in view["reasons"]:
        console.print(f"  - {reason}", style="dim", soft_wrap=True)


@app.command()
def takes(
    product: Annotated[str, typer.Argument(help="Product slug or file.")],
    persona: Annotated[str, typer.Argument(help="Persona id.")],
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """List every take of one persona kept in history, and editors' saved versions.

    Example: panelist takes tether-qvac-sdk skeptic
    """
    from panelist import reports

    ws = _workspace(workspace)
    slug = ws.product_path(product).stem
    ws.select_personas([persona])
    rows = reports.take_rows(ws, slug, persona)
    if as_json:
        _print_json(rows)
    else:
        console.print(_table(rows, ["take", "kind", "verdict", "words", "model", "generated_at",
                                    "note", "current"]))


@app.command()
def personas(as_json: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """List the personas on the panel.

    Example: panelist personas --json
    """
    from panelist import reports

    rows = reports.persona_rows(_workspace(workspace).load_personas())
    if as_json:
        _print_json(rows)
    else:
        console.print(_table(rows, ["id", "name", "label", "quote_words", "model"]))


@app.command()
def usage(
    by: Annotated[Literal["product", "persona", "model"],
                  typer.Option(help="Group by product, persona or model.")] = "product",
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show tokens and spend from the usage ledger.

    Example: panelist usage --by model
    """
    from panelist import ledger

    ws = _workspace(workspace)
    rows = [row.model_dump() for row in ledger.summarize(ledger.read(ws.ledger_path), by)]
    if as_json:
        _print_json(rows)
    else:
        console.print(_table(rows, ["key", "calls", "input_tokens", "output_tokens",
                                    "cache_read_tokens", "cache_write_tokens", "cost_usd"],
                             title=f"spend by {by}"))


@app.command()
def init(directory: Annotated[Path, typer.Argument(help="Folder for the new workspace.")]
         = Path(".")) -> None:
    """Create a workspace with the default five personas, prompts and example products.

    Example: panelist init my-reviews
    """
    from panelist.workspace import init_workspace

    created = init_workspace(directory)
    console.print(f"{len(created)} files created in {directory}; next: cd {directory} && "
                  f"panelist draft products/tether-qvac-sdk.md")


def main() -> None:
    app()


# Commands of each area register themselves on ``app`` from their own module.
from panelist import cli_batch, cli_review  # noqa: E402,F401
