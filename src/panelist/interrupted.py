"""What Ctrl-C says, by the command it cut short: drafting keeps what it finished, a read
changes nothing, and a command that writes says where to look. Imports nothing: it is said
even when Ctrl-C comes while the command line is still being imported."""

from __future__ import annotations

DRAFTING = frozenset({"draft", "redo", "trial", "batch"})  # they write takes as each is done
READING = frozenset({"status", "show", "takes", "personas", "usage", "compare", "stats",
                     "lint", "render", "estimate"})  # nothing written but the derived index
_WORKSPACE_OPTIONS = ("-w", "--workspace")  # the one option before a command that takes a value


def interrupted(command: str | None) -> str:
    """The line Ctrl-C prints for ``command`` (None: not known yet)."""
    if command in READING:
        return f"panelist {command}: interrupted; nothing was changed"
    if command is None:
        return "panelist: interrupted"
    if command == "desk":  # Ctrl-C is how the desk is stopped, not work cut short
        return "panelist desk: stopped"
    if command in DRAFTING:
        return ("interrupted: finished drafts are kept; run the same command again to finish "
                "the rest")
    return (f"panelist {command}: interrupted; what it wrote before is kept (run 'panelist "
            f"status' to see where it stopped)")


def command_of(args: list[str]) -> str | None:
    """The command named in ``args`` (``sys.argv[1:]``), read before typer has parsed them."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _WORKSPACE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None
