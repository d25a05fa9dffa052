"""What many specs need: a file tree from a dict, and the CLI run against a workspace.

(copier's tests/helpers.py: given-state built from a dict of files.)
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from panelist.cli import app
from panelist.store.workspace import Workspace

FAKE_KEY = "sk-ant-api03-FAKEKEYfortests0123456789"  # recognisable, so a leak can be grepped for


def build_file_tree(root: Path, files: dict[str, str | bytes]) -> None:
    """Create files from {relative path: content}."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def invoke(runner: CliRunner, workspace: Workspace, *args: str) -> Result:
    """``panelist ARGS --workspace WS`` in-process, as an editor would type it."""
    return runner.invoke(app, [*args, "--workspace", str(workspace.root)])


def invoke_for_output(runner: CliRunner, workspace: Workspace, *args: str) -> tuple[int, str]:
    result = invoke(runner, workspace, *args)
    return result.exit_code, result.output
