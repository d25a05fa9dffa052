"""The typer app and its error handler: the one place a failure becomes an exit code.

Imports nothing of panelist but the error tree, so every command module can register on
``app`` without a cycle (``panelist.cli`` imports the command modules, never the reverse).
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from panelist.errors import PanelistError

INTERRUPTED = ("interrupted: finished drafts are kept; run the same command again to finish "
               "the rest")


def print_error(message: str) -> None:
    """One line on stderr; plain text, so model or file text is never read as markup."""
    print(f"error: {message}", file=sys.stderr)


class PanelistGroup(TyperGroup):
    """Turns every expected failure into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: Any) -> Any:  # typer vendors click: its Context type is private
        try:
            return super().invoke(ctx)
        except PanelistError as error:
            print_error(str(error))
            sys.exit(error.exit_code)
        except BrokenPipeError:
            raise  # output piped into head: click exits quietly
        except OSError as error:  # a write refused by the system (read-only, disk full)
            where = f"{error.filename}: " if error.filename else ""
            print_error(where + str(error.strerror or error))
            sys.exit(1)
        except KeyboardInterrupt:
            print(INTERRUPTED, file=sys.stderr)
            sys.exit(130)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Ctrl-C while the arguments are parsed says what it says during a run, not nothing."""
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            print(INTERRUPTED, file=sys.stderr)
            sys.exit(130)


app = typer.Typer(
    cls=PanelistGroup,
    no_args_is_help=True,
    rich_markup_mode=None,  # plain click help: no rich/markdown import, pipes cleanly
    pretty_exceptions_enable=False,
    add_completion=False,
)
