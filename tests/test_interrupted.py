"""Ctrl-C says what it means for the command it cut short: a read changed nothing, drafting
kept what it finished, a command that writes kept what it wrote; never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from panelist.interrupted import command_of, interrupted
from panelist.store.workspace import Workspace

SRC = Path(__file__).resolve().parent.parent / "src"

READ_CUT_SHORT = textwrap.dedent("""
    import sys, time
    from panelist import __main__
    from panelist.review import catalogue

    def catalogue_rows(*args, **kwargs):
        print("reading", flush=True)
        time.sleep(60)

    catalogue.catalogue_rows = catalogue_rows
    sys.argv = ["panelist", *sys.argv[1:]]
    __main__.run()
""")


@pytest.mark.parametrize(("args", "command"), [
    (["status", "--all"], "status"),
    (["-w", "draft", "lint", "x"], "lint"),  # a workspace folder named like a command
    (["--workspace", "ws", "draft", "--all"], "draft"),
    (["--workspace=ws", "compare", "a", "b"], "compare"),
    (["--help"], None),
    ([], None),
])
def test_the_command_is_read_from_the_command_line_before_it_is_parsed(
        args: list[str], command: str | None) -> None:
    assert command_of(args) == command


def test_each_kind_of_command_says_what_was_kept() -> None:
    assert interrupted("status") == "panelist status: interrupted; nothing was changed"
    assert interrupted("lint") == "panelist lint: interrupted; nothing was changed"
    assert "finished drafts are kept" in interrupted("draft")
    assert "finished drafts are kept" in interrupted("redo")
    assert interrupted("approve").startswith("panelist approve: interrupted; what it wrote")
    assert interrupted("desk") == "panelist desk: stopped"
    assert interrupted(None) == "panelist: interrupted"


def test_ctrl_c_during_a_read_says_nothing_was_changed(workspace: Workspace) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", READ_CUT_SHORT, "status", "--workspace", str(workspace.root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(SRC)})
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "reading"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)

    assert process.returncode == 130
    assert stderr == "panelist status: interrupted; nothing was changed\n"
