"""Finding the workspace and the things in it, as an editor types them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from panel_helpers import QVAC, draft_panel
from panelist.cli import app
from panelist.store.workspace import Workspace


def test_workspace_is_found_from_a_subfolder_like_git(runner, workspace, monkeypatch):
    draft_panel(workspace, QVAC)
    monkeypatch.chdir(workspace.product_drafts_dir(QVAC))

    result = runner.invoke(app, ["status", QVAC])

    assert result.exit_code == 0, result.output
    assert "skeptic" in result.output


def test_workspace_option_is_accepted_before_the_command(runner, workspace, tmp_path,
                                                         monkeypatch):
    draft_panel(workspace, QVAC)
    monkeypatch.chdir(tmp_path)

    before = runner.invoke(app, ["--workspace", str(workspace.root), "status", QVAC])
    short = runner.invoke(app, ["-w", str(workspace.root), "show", QVAC, "dx"])

    assert before.exit_code == 0, before.output
    assert short.exit_code == 0, short.output
    assert "skeptic" in before.output


def test_workspace_is_found_from_a_product_file_named_outside_it(workspace, tmp_path,
                                                                 monkeypatch):
    from panelist.cli.options import open_workspace

    monkeypatch.chdir(tmp_path)
    found = open_workspace(None, [str(workspace.products_dir / f"{QVAC}.md")])

    assert found.root == workspace.root


def test_no_workspace_names_the_folder_and_what_to_do(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(app, ["status"])

    assert result.exit_code == 2
    assert "No panelist workspace in" in result.output and "panelist init" in result.output


@pytest.mark.parametrize("typed", ["DX", "Dx", "dx"])
def test_persona_ids_are_case_insensitive(runner, workspace, typed):
    draft_panel(workspace, QVAC)

    result = runner.invoke(app, ["show", QVAC, typed, "-w", str(workspace.root)])

    assert result.exit_code == 0, result.output
    assert f"{QVAC} / dx" in result.output


def test_product_slugs_are_case_insensitive(runner, workspace):
    draft_panel(workspace, QVAC)

    result = runner.invoke(app, ["show", QVAC.upper(), "dx", "-w", str(workspace.root)])

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("args", "suggestion"), [
    (["show", QVAC, "skeptc"], "Did you mean 'skeptic'?"),
    (["show", "tether-qvc-sdk", "dx"], f"Did you mean '{QVAC}'?"),
], ids=["persona", "product"])
def test_a_mistyped_id_gets_a_did_you_mean(runner, workspace, args, suggestion):
    draft_panel(workspace, QVAC)

    result = runner.invoke(app, [*args, "-w", str(workspace.root)])

    assert result.exit_code == 2
    assert suggestion in result.output


def test_show_of_a_missing_draft_is_bad_input(runner, workspace):
    result = runner.invoke(app, ["show", QVAC, "dx", "-w", str(workspace.root)])

    assert result.exit_code == 2
    assert f"panelist draft {QVAC} --persona dx" in result.output


@pytest.mark.parametrize("args", [["--help"], ["draft", "--help"], ["status"]],
                         ids=lambda args: " ".join(args))
def test_output_piped_into_head_ends_quietly(workspace: Workspace, args):
    draft_panel(workspace, QVAC)
    env = {**os.environ, "PANELIST_WORKSPACE": str(workspace.root)}

    result = subprocess.run(f"{sys.executable} -m panelist {' '.join(args)} | head -1",
                            shell=True, env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0
    assert "error" not in result.stderr.lower() and "Traceback" not in result.stderr


def test_draft_of_a_product_file_from_another_folder_drafts_into_its_workspace(
        runner, workspace, claude_env, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    result = runner.invoke(app, ["draft", str(workspace.products_dir / f"{QVAC}.md")])

    assert result.exit_code == 0, result.output
    assert (workspace.product_drafts_dir(QVAC) / "dx.md").is_file()
    assert not (elsewhere / "drafts").exists()
