"""Commands that make no model call start without importing the SDK or llama.cpp."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from panel_helpers import QVAC, draft_panel
from panelist.store.workspace import Workspace

HEAVY = ("anthropic", "httpx2", "llama_cpp")


@pytest.mark.parametrize("command", [
    ["--help"],
    ["status"],
    ["status", QVAC],
    ["show", QVAC, "dx"],
    ["takes", QVAC, "dx"],
    ["compare", QVAC],
    ["personas"],
    ["usage"],
    ["draft", "--help"],
    ["batch", "--help"],
], ids=lambda command: " ".join(command))
def test_command_imports_no_model_sdk(workspace: Workspace, command: list[str]) -> None:
    draft_panel(workspace, QVAC)
    env = {**os.environ, "PANELIST_WORKSPACE": str(workspace.root)}

    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "panelist", *command],
                            env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert not {name for name in imported if name.split(".")[0] in HEAVY}
