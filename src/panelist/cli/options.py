"""Options shared by the commands, and the two ways they print: a table or JSON."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from panelist.cli.app import app

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from panelist.store.workspace import Workspace

WorkspaceOpt = Annotated[Path | None, typer.Option(
    "--workspace", "-w", metavar="DIR", envvar="PANELIST_WORKSPACE",
    help="Workspace folder (personas/, products/, drafts/). Default: the nearest folder "
    "with personas/ from here up.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
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
    "--effort", help="How hard Claude thinks before answering (output_config.effort); beats "
    "a persona's own effort. Default: low, enough for a 100-word quote.")]
TimeoutOpt = Annotated[float | None, typer.Option(
    "--timeout", metavar="SECONDS", envvar="PANELIST_TIMEOUT", min=0.1,
    help="Seconds one model request may take before it is retried (Claude; default 120) or "
    "drawn again (local; default: twice the time the take's token cap takes at the model's "
    "measured speed).", show_default=False)]
ProductArg = Annotated[str, typer.Argument(metavar="PRODUCT",
    help="Product slug or file.", show_default=False)]
ProductsArg = Annotated[list[str] | None, typer.Argument(
    metavar="PRODUCT...", help="Product file(s) in products/, or their slugs.", show_default=False)]
AllOpt = Annotated[bool, typer.Option("--all", help="Every product in products/.")]
PersonaOpt = Annotated[list[str] | None, typer.Option(
    "--persona", "-p", metavar="ID",
    help="Only these personas (repeatable). Default: the whole panel.")]
ConcurrencyOpt = Annotated[int, typer.Option(min=1, max=64, help="Calls in flight at once.")]

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


LONG_TABLE = 60  # rows; a longer table prints as plain aligned columns


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


def table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None
          ) -> Table | AlignedColumns:
    """Plain-text cells (model text is never read as markup); columns empty in every row are
    left out; cells wrap between words where the terminal has room for the longest word.
    A long listing (a catalogue) prints as plain aligned columns, one line a row."""
    from rich.table import Table
    from rich.text import Text

    shown = [c for c in columns if any(row.get(c) not in (None, "", False) for row in rows)]
    shown = shown or columns
    if len(rows) > LONG_TABLE:
        return _aligned_columns(rows, shown, title)
    minimums = _fitted_minimums(rows, shown, console().width)
    result = Table(title=title, title_justify="left")
    for index, column in enumerate(shown):
        result.add_column(column.replace("_", " "), overflow="fold", min_width=minimums[index])
    for row in rows:
        result.add_row(*(Text(_cell(row[c])) if row.get(c) is not None else "" for c in shown))
    return result


class AlignedColumns:
    """Rows as lines of columns padded to their widest cell, printed as they are: rich's
    Table measures and wraps every cell, which takes seconds at a thousand rows."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: Any) -> Iterator[Any]:
        from rich.segment import Segment

        for line in self.lines:
            yield Segment(line)
            yield Segment.line()


def _aligned_columns(rows: list[dict[str, Any]], columns: list[str], title: str | None
                     ) -> AlignedColumns:
    headers = [column.replace("_", " ") for column in columns]
    cells = [[" ".join(_cell(row[c]).split()) if row.get(c) is not None else ""
              for c in columns] for row in rows]
    widths = [max([len(header)] + [len(line[i]) for line in cells])
              for i, header in enumerate(headers)]
    lines = [title] if title else []
    for line in [headers, ["-" * width for width in widths], *cells]:
        lines.append("  ".join(cell.ljust(width)
                               for cell, width in zip(line, widths, strict=True)).rstrip())
    return AlignedColumns(lines)


def _fitted_minimums(rows: list[dict[str, Any]], columns: list[str], width: int) -> list[int]:
    """Each column's longest word, shrunk (widest first) until the table fits ``width``."""
    minimums = [max([len(word) for row in rows if row.get(column) is not None
                     for word in _cell(row[column]).split()]
                    + [len(column)]) for column in columns]  # rich does not wrap headers
    budget = width - 3 * len(columns) - 3  # borders and padding, and a margin
    floors = [max(len(column), 4) for column in columns]  # rich does not wrap headers
    while sum(minimums) > budget:
        shrinkable = [i for i, width in enumerate(minimums) if width > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: minimums[i])
        minimums[widest] -= 1
    return minimums


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"${value:.4f}"
    return str(value)
