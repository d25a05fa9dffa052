"""`panelist unapprove`: an approved take goes back to draft, its quote and verdict untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from panel_helpers import QVAC, draft_panel, edit_draft
from panelist.cli import app
from panelist.models import Draft
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace


@pytest.fixture(autouse=True)
def _git_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A known git identity, from a global config file of the test's own (git-config(1))."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ada Editor\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def invoke(runner: CliRunner, workspace: Workspace, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--workspace", str(workspace.root)])
    return result.exit_code, result.output


def current(workspace: Workspace, persona: str) -> Draft:
    draft = DraftStore(workspace).read(QVAC, persona)
    assert draft is not None
    return draft


def statuses(runner: CliRunner, workspace: Workspace) -> dict[str, str]:
    code, output = invoke(runner, workspace, "status", QVAC, "--json")
    assert code == 0, output
    return {row["persona"]: row["status"] for row in json.loads(output)}


@pytest.fixture
def approved(runner: CliRunner, workspace: Workspace) -> Workspace:
    draft_panel(workspace, QVAC)
    code, output = invoke(runner, workspace, "approve", QVAC)
    assert code == 0, output
    return workspace


def test_unapprove_sends_the_take_back_to_draft_and_keeps_its_quote(
        runner: CliRunner, approved: Workspace) -> None:
    before = current(approved, "dx")
    code, output = invoke(runner, approved, "unapprove", QVAC, "dx")

    assert code == 0, output
    assert "1 take back to draft" in output
    assert "dx · ship · take 1 · unapproved\n  was approved by Ada Editor on " in output
    after = current(approved, "dx")
    assert (after.quote, after.meta.verdict) == (before.quote, before.meta.verdict)
    assert (after.meta.status, after.meta.draft) == ("draft", True)
    assert (after.meta.approved_by, after.meta.approved_at, after.meta.approved_hash,
            after.meta.edit_ratio) == (None, None, None, None)
    assert statuses(runner, approved) == {"dx": "draft", "skeptic": "approved",
                                          "strategist": "approved", "buyer": "approved",
                                          "creative": "approved"}


def test_unapprove_without_ids_sends_every_drafted_take_back(runner: CliRunner,
                                                              approved: Workspace) -> None:
    invoke(runner, approved, "unapprove", QVAC, "skeptic")
    code, output = invoke(runner, approved, "unapprove", QVAC, "--json")

    assert code == 0, output
    outcomes = {item["persona"]: item["outcome"] for item in json.loads(output)}
    assert outcomes == {"dx": "unapproved", "skeptic": "was not approved",
                        "strategist": "unapproved", "buyer": "unapproved",
                        "creative": "unapproved"}
    assert set(statuses(runner, approved).values()) == {"draft"}


def test_unapprove_clears_an_approval_edited_since(runner: CliRunner,
                                                   approved: Workspace) -> None:
    edit_draft(current(approved, "dx"), quote="A different quote nobody approved.")
    assert statuses(runner, approved)["dx"] == "edited after approval"

    code, output = invoke(runner, approved, "unapprove", QVAC, "DX")

    assert code == 0, output
    assert statuses(runner, approved)["dx"] == "draft"
    assert current(approved, "dx").quote == "A different quote nobody approved."


def test_an_unapproved_take_is_not_published(runner: CliRunner, approved: Workspace) -> None:
    invoke(runner, approved, "unapprove", QVAC, "creative")
    code, output = invoke(runner, approved, "publish", QVAC)
    assert code == 1
    assert f"Not approved yet: {QVAC} / creative" in " ".join(output.split())
    assert not (approved.root / "site").exists()


def test_unapprove_names_a_persona_with_no_draft(runner: CliRunner,
                                                 workspace: Workspace) -> None:
    draft_panel(workspace, QVAC, {"dx": ("ship", "Solid on-device SDK.")})
    code, output = invoke(runner, workspace, "unapprove", QVAC, "buyer")
    assert code == 2
    assert f"No draft for {QVAC} / buyer to unapprove" in " ".join(output.split())
    assert "Traceback" not in output
