"""The command line: the only package that imports typer or rich.

    app        the typer app and its error handler (imports nothing of panelist but errors)
    options    options shared by commands, the workspace, JSON and table output
    drafting   draft, redo, render
    reading    status, show, takes, personas, usage, init
    review     compare, approve, stats, lint, publish
    batch      batch status / collect, estimate
    progress   live progress of a run; tables: review views as terminal tables
"""

from __future__ import annotations

from panelist.cli import batch, drafting, reading, review  # noqa: F401  (register commands)
from panelist.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
