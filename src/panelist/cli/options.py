"""Options shared by the commands, and the two ways they print: a table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from panelist.cli.app import app

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console, RenderableType

    from panelist.store.workspace import Workspace

WorkspaceOpt = Annotated[Path | None, typer.Option(
    "--workspace", "-w", metavar="DIR", envvar="PANELIST_WORKSPACE",
    help="Workspace folder (personas/, products/, drafts/). Default: the nearest folder "
    "with personas/ from here up.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
ModelOpt = Annotated[str | None, typer.Option(
    "--model", "-m", metavar="MODEL",
    help="Model id (e.g. claude-sonnet-5-5); beats a persona's own model. "
    "'local' drafts offline with the bundled model, 'local:/path/to/model.gguf' with any GGUF "
    "(or set PANELIST_LOCAL_MODEL). Default: the newest Sonnet when ANTHROPIC_API_KEY is set, "
    "else the local model.")]
BaseUrlOpt = Annotated[str | None, typer.Option(
    "--base-url", metavar="URL", envvar="ANTHROPIC_BASE_URL",
    help="Any server speaking the Messages API (llama-server, Ollama, vLLM, LiteLLM).")]
EffortOpt = Annotated[Literal["low", "medium", "high"] | None, typer.Option(
    "--effort", metavar="[low|medium|high]", help="How hard Claude thinks before answering "
    "(output_config.effort); beats a persona's own effort. Default: low, enough for a "
    "100-word quote.")]
TimeoutOpt = Annotated[float | None, typer.Option(
    "--timeout", metavar="SECONDS", envvar="PANELIST_TIMEOUT", min=0.1,
    help="Seconds one model request may take before it is retried (Claude; default 120) or "
    "drawn again (local; default: twice the time the take's token cap takes at the model's "
    "measured speed).", show_default=False)]
ProductArg = Annotated[str, typer.Argument(metavar="PRODUCT",
    help="Product slug or file.", show_default=False)]
ProductsArg = Annotated[list[str] | None, typer.Argument(
    metavar="PRODUCT", help="Product file(s) in products/, or their slugs.", show_default=False)]
AllOpt = Annotated[bool, typer.Option("--all", help="Every product in products/.")]
PersonaOpt = Annotated[list[str] | None, typer.Option(
    "--persona", "-p", metavar="ID",
    help="Only these personas (repeatable). Default: the whole panel.")]
ConcurrencyOpt = Annotated[int, typer.Option(metavar="N", min=1, max=64,
                                             help="Calls in flight at once.")]

_consoles: dict[bool, Console] = {}
_before_command: dict[str, Path | None] = {"workspace": None}


@app.callback()
def options_before_the_command(ctx: typer.Context, workspace: WorkspaceOpt = None) -> None:
    """Draft AI-tool reviews from a panel of reviewer personas; editors edit and approve.

    The workspace is the nearest folder with personas/ from here up, as git finds a
    repository; --workspace (before or after the command) or PANELIST_WORKSPACE names another.
    """
    _before_command["workspace"] = workspace
    ctx.call_on_close(lambda: _before_command.update(workspace=None))  # one invocation only


def console(stderr: bool = False) -> Console:
    """The run's rich console (stdout, or stderr), made on first use: no import at start-up."""
    if stderr not in _consoles:
        from rich.console import Console

        _consoles[stderr] = Console(stderr=stderr, highlight=False)
    return _consoles[stderr]


def open_workspace(path: Path | None, near: list[str] | None = None) -> Workspace:
    """--workspace after the command, else before it, else found from here (or from the
    folders of product files named on the command line)."""
    from panelist.store.workspace import Workspace

    folders = [Path(ref).parent for ref in near or [] if "/" in ref or ref.endswith(".md")]
    return Workspace.discover(path or _before_command["workspace"], near=folders)


def existing_folder(path: Path, option: str) -> Path:
    """An output path whose folder exists: a typo must not create /nonexistent/dir/."""
    from panelist.errors import InputError

    if path.exists() and path.is_dir() and option == "--html":
        raise InputError(f"{option} {path}: is a folder; name the HTML file to write, "
                         f"e.g. {path / 'compare.html'}")
    parent = path.resolve().parent
    if not parent.is_dir():
        raise InputError(f"{option} {path}: the folder {parent} does not exist (create it "
                         f"first, or pick another path)")
    return path



def print_json(data: Any) -> None:
    """Highlighted on a terminal; plain when piped or long (rich re-parses and highlights
    every token, seconds for a 1,000-product catalogue)."""
    import json
    import sys

    text = json.dumps(data, ensure_ascii=False, default=str, indent=2)
    if console().is_terminal and len(text) < 100_000:
        console().print_json(text)
    else:
        sys.stdout.write(text + "\n")


def table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None, *,
          optional: Sequence[str] = (), keep_empty: Sequence[str] = (),
          right: Sequence[str] = ()) -> RenderableType:
    """Plain-text cells (model text is never read as markup), fitted to the terminal with every
    word whole: ``optional`` columns are left out first, and rows stack when even the rest do
    not fit (``cli.grid``)."""
    from panelist.cli.grid import fitted_table

    return fitted_table(rows, columns, width=console().width, optional=optional, title=title,
                        keep_empty=keep_empty, right=right)


def cost_text(dollars: float | None, unpriced_calls: int = 0) -> str:
    """A cost as the editor reads it: never $0.0000 for calls the model table has no price for."""
    if dollars is None or (unpriced_calls and not dollars):
        return "unpriced"
    unpriced = f" + {unpriced_calls} unpriced call{'s' * (unpriced_calls > 1)}" \
        if unpriced_calls else ""
    return f"${dollars:.4f}{unpriced}"
