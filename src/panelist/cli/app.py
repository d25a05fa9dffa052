"""The typer app and its error handler: the one place a failure becomes an exit code.

Imports nothing of panelist but the error tree and the line Ctrl-C prints (``interrupted``;
neither imports panelist), so every command module can register on ``app`` without a cycle
(``panelist.cli`` imports the command modules, never the reverse).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from panelist.errors import PanelistError
from panelist.interrupted import command_of, interrupted


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
            print(interrupted(ctx.invoked_subcommand), file=sys.stderr)
            sys.exit(130)
        finally:
            _settle_index()

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Ctrl-C while the arguments are parsed says what it says during a run, not nothing."""
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            print(interrupted(command_of(sys.argv[1:])), file=sys.stderr)
            sys.exit(130)


def _settle_index() -> None:
    """The index's checkpoint, where a thread does it beside the command, done before the
    command ends (``store.index.settle``; a command that read no index has none)."""
    index = sys.modules.get("panelist.store.index")
    if index is not None:
        index.settle()


_TYPE_NAME = re.compile(r"\s*<[^>]*>")  # typer's '<str>', '<int range>', '<list[str]>'
_RANGES = ((re.compile(r"(\S+)<=x<=(\S+)"), r"\1 to \2"), (re.compile(r"x>=(\S+)"), r"at least \1"),
           (re.compile(r"x<=(\S+)"), r"at most \1"))  # click's '1<=x<=64'


class PanelistCommand(TyperCommand):
    """Help as a person writes it, one convention for every command: ``PRODUCT`` (required),
    ``[PRODUCT]`` (optional), ``PERSONA...`` (one or more), ``[PERSONA...]`` (any number);
    options show their metavar (``N``, ``FILE``, ``DIR``, ``[low|medium|high]``), never a
    Python type."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [usage_name(param) for param in self.get_params(ctx)
                         if param.param_type_name == "argument"]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            text = record[1]
            for pattern, words in _RANGES:
                text = pattern.sub(words, text)
            if param.param_type_name == "argument":
                arguments.append((argument_name(param), text))
            else:
                options.append((_TYPE_NAME.sub("", record[0]), text))
        for title, records in (("Arguments", arguments), ("Options", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


def argument_name(param: Any) -> str:
    """``PERSONA...`` for an argument taking several values, else ``PERSONA``."""
    name = (param.metavar or param.name).upper().removesuffix("...")
    return f"{name}..." if param.nargs != 1 else name


def usage_name(param: Any) -> str:
    name = argument_name(param)
    return name if param.required else f"[{name}]"


class PanelistTyper(typer.Typer):
    """Every command, in every sub-app, is a ``PanelistCommand``."""

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None,
                **kwargs: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or PanelistCommand, **kwargs)


app = PanelistTyper(
    cls=PanelistGroup,
    no_args_is_help=True,
    rich_markup_mode=None,  # plain click help: no rich/markdown import, pipes cleanly
    pretty_exceptions_enable=False,
    add_completion=False,
)
