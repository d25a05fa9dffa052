"""Commands that make no model call start without importing the SDK or llama.cpp."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from panel_helpers import QVAC, draft_panel, edit_draft
from panelist.store.drafts import DraftStore
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


# What only deriving a take needs: the rows' code, lint's claim finder, the quality gate's
# checks (for a take it judges as it stands), the workers.
DERIVING = ("panelist.review.take_rows", "panelist.review.claims", "panelist.quality.stance",
            "multiprocessing")


def imported_by(workspace: Workspace, command: list[str]) -> set[str]:
    env = {**os.environ, "PANELIST_WORKSPACE": str(workspace.root)}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "panelist", *command],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode in (0, 1), result.stderr[-2000:]  # lint exits 1 on an error
    return {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
            if line.startswith("import time:")}


@pytest.mark.parametrize("command", [["status"], ["lint", "--all"], ["stats"]],
                         ids=lambda command: " ".join(command))
def test_a_read_of_an_up_to_date_index_loads_nothing_that_derives_a_take(
        workspace: Workspace, command: list[str]) -> None:
    draft_panel(workspace, QVAC)
    assert DERIVING[0] in imported_by(workspace, command)  # the first read derives every take

    assert not set(DERIVING) & imported_by(workspace, command)


def test_a_read_after_an_edit_loads_the_gate_to_judge_it(workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    imported_by(workspace, ["status"])
    draft = DraftStore(workspace).read(QVAC, "dx")
    assert draft is not None
    edit_draft(draft, quote=draft.quote + " Edited by hand.")

    assert "panelist.quality.stance" in imported_by(workspace, ["status"])
