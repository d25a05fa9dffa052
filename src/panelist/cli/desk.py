"""The ``desk`` command: the editor's desk in the browser."""

from __future__ import annotations

from typing import Annotated

import typer

from panelist.cli.app import app
from panelist.cli.options import WorkspaceOpt, console, open_workspace
from panelist.errors import ConfigError
from panelist.interrupted import interrupted

DESK_EXTRA = "pip install -e '.[desk]'"


@app.command()
def desk(
    port: Annotated[int, typer.Option(
        metavar="N", min=0, max=65535, help="Port to listen on; 0 picks a free one.")] = 8765,
    host: Annotated[str, typer.Option(
        metavar="ADDRESS",
        help="Address to bind. Anything but loopback exposes the desk to the network.")]
        = "127.0.0.1",
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Print the URL but do not open a browser.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Review, edit, redo, approve and publish in the browser, over the same files.

    Prints one URL with a fresh token; only that token opens the desk. Ctrl-C stops it.

    Example: panelist desk --port 0 --no-browser
    """
    ws = open_workspace(workspace)
    try:
        from panelist.desk import server
    except ImportError as error:
        raise ConfigError(f"the desk needs its extra ({error.name} is missing): run "
                          f"{DESK_EXTRA}") from None

    bound = server.bind(host, port)

    def say(line: str) -> None:
        # never wrapped: the URL must survive a copy and paste (and a script's readline)
        console(stderr=line.startswith("warning")).print(
            line, soft_wrap=True, markup=False, highlight=False)

    try:
        server.serve(ws, bound, open_browser=not no_browser, say=say)
    except KeyboardInterrupt:  # Ctrl-C is how the desk is stopped, not work cut short
        say(interrupted("desk"))
