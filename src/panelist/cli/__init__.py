"""The command line: the only package that imports typer or rich.

    app        the typer app and its error handler (imports nothing of panelist but errors)
    options    options shared by commands, the workspace, JSON and table output
    drafting   draft, redo, render
    reading    status, show, takes, personas, usage, init
    review     compare, approve, stats, lint, publish
    batch      batch status / collect, estimate
    trial      persona trials: variants side by side with the approved takes; adopt
    desk       the editor's desk in the browser (panelist.desk)
    progress   live progress of a run; tables: review views as terminal tables
"""

from __future__ import annotations

# the commands register on import; --help lists them in this order
from panelist.cli import drafting, reading, review, batch, trial, desk  # noqa: F401  # isort: skip
from panelist.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
