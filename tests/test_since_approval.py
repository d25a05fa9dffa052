"""An approval keeps the text it approved, so `compare PRODUCT PERSONA --since-approval` shows
exactly what an editor changed after approving: a one-phrase edit is one phrase, not 100%."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from helpers import invoke_for_output as invoke
from panel_helpers import QVAC, draft_panel, edit_draft
from panelist.review.approval import approve_takes
from panelist.store import frontmatter
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace


def approved_then_edited(workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    approve_takes(workspace, QVAC, ["dx"])
    draft = DraftStore(workspace).read(QVAC, "dx")
    assert draft is not None
    edit_draft(draft, quote=draft.quote.replace("a genuine shortcut", "a real shortcut", 1))


def test_since_approval_shows_only_the_phrase_that_changed(workspace: Workspace,
                                                           runner: CliRunner) -> None:
    approved_then_edited(workspace)
    code, output = invoke(runner, workspace, "compare", QVAC, "dx", "--since-approval", "--json")
    assert code == 0, output
    approved, now = json.loads(output)["takes"]
    assert (approved["kind"], now["kind"], now["edited"]) == ("approved", "current", True)
    assert [s for s in now["diff"] if s["kind"] != "same"] == [
        {"kind": "removed", "text": "genuine"}, {"kind": "added", "text": "real"}]
    assert now["edit_ratio"] < 0.05


def test_since_approval_prints_the_diff_in_the_terminal_and_as_a_page(
        workspace: Workspace, runner: CliRunner, tmp_path: Path) -> None:
    approved_then_edited(workspace)
    code, output = invoke(runner, workspace, "compare", QVAC, "dx", "--since-approval")
    assert code == 0 and "[-genuine-] {+real+}" in output and "now, edited" in output
    page = tmp_path / "since.html"
    code, output = invoke(runner, workspace, "compare", QVAC, "dx", "--since-approval",
                          "--html", str(page))
    assert code == 0, output
    assert "<del>genuine</del>" in page.read_text() and "as approved" in page.read_text()


def test_an_unchanged_approval_shows_no_change(workspace: Workspace, runner: CliRunner) -> None:
    draft_panel(workspace, QVAC)
    approve_takes(workspace, QVAC, ["dx"])
    code, output = invoke(runner, workspace, "compare", QVAC, "dx", "--since-approval", "--json")
    now = json.loads(output)["takes"][1]
    assert code == 0 and now["edited"] is False and now["edit_ratio"] == 0.0


def test_an_approval_made_before_the_text_was_kept_says_so(workspace: Workspace,
                                                           runner: CliRunner) -> None:
    draft_panel(workspace, QVAC)
    approve_takes(workspace, QVAC, ["dx"])
    path = workspace.draft_path(QVAC, "dx")
    data, body = frontmatter.read(path)
    del data["approved_quote"], data["approved_verdict"]  # as older approvals were written
    path.write_text(frontmatter.dump(data, body), encoding="utf-8")
    code, output = invoke(runner, workspace, "compare", QVAC, "dx", "--since-approval")
    assert code == 2 and "approved before panelist kept the approved text" in output
    assert "Traceback" not in output


def test_since_approval_needs_a_persona(workspace: Workspace, runner: CliRunner) -> None:
    draft_panel(workspace, QVAC)
    code, output = invoke(runner, workspace, "compare", QVAC, "--since-approval")
    assert code == 2 and f"panelist compare {QVAC} PERSONA --since-approval" in output
