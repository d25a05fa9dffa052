"""An approval is bound to what it approved: a later edit shows everywhere and blocks publish;
`unapprove` takes it back and leaves the quote and verdict as they are."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import invoke_for_output as invoke
from panel_helpers import EXAMPLE_TAKES, HAIKU, QVAC, draft_panel, edit_draft
from panelist.models import Draft
from panelist.store.drafts import DraftStore, content_hash
from panelist.store.workspace import Workspace

pytestmark = pytest.mark.usefixtures("git_user")  # approvals signed as Ada Editor




def flat(output: str) -> str:
    return " ".join(output.replace("│", " ").split())


def current(workspace: Workspace, slug: str, persona: str) -> Draft:
    draft = DraftStore(workspace).read(slug, persona)
    assert draft is not None
    return draft


def approved_qvac(runner: CliRunner, workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    code, output = invoke(runner, workspace, "approve", QVAC)
    assert code == 0, output


def test_approve_records_what_was_approved_who_and_when(runner: CliRunner,
                                                        workspace: Workspace) -> None:
    approved_qvac(runner, workspace)
    meta = current(workspace, QVAC, "dx").meta
    quote = current(workspace, QVAC, "dx").quote
    assert meta.approved_hash == content_hash(meta.verdict, quote)
    assert meta.approved_by == "Ada Editor"
    assert meta.approved_at is not None


def test_approver_is_the_login_name_without_a_git_user(runner: CliRunner, workspace: Workspace,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("LOGNAME", "ada-login")
    approved_qvac(runner, workspace)
    assert current(workspace, QVAC, "dx").meta.approved_by == "ada-login"


def test_an_edit_after_approval_shows_in_status(runner: CliRunner, workspace: Workspace) -> None:
    approved_qvac(runner, workspace)
    edit_draft(current(workspace, QVAC, "dx"), quote="A different quote nobody approved.")
    code, output = invoke(runner, workspace, "status", QVAC, "--json")
    assert code == 0, output
    statuses = {row["persona"]: row["status"] for row in json.loads(output)}
    assert statuses["dx"] == "edited after approval"
    assert statuses["skeptic"] == "approved"
    code, output = invoke(runner, workspace, "status", QVAC)
    assert re.search(r"dx .*edited after", output), output  # wrapped between words at 80
    code, output = invoke(runner, workspace, "status", "--json")
    catalogue = {row["slug"]: row for row in json.loads(output)}
    assert catalogue[QVAC]["approved"] == 4


def test_an_edit_after_approval_shows_in_compare(runner: CliRunner, workspace: Workspace,
                                                 tmp_path: Path) -> None:
    approved_qvac(runner, workspace)
    edit_draft(current(workspace, QVAC, "skeptic"), verdict="ship")
    page = tmp_path / "compare.html"
    code, output = invoke(runner, workspace, "compare", QVAC)
    assert code == 0, output
    assert re.search(r"skeptic .*edited after approval", flat(output)), output
    code, output = invoke(runner, workspace, "compare", QVAC, "--html", str(page))
    assert code == 0, output
    html = page.read_text(encoding="utf-8")
    assert '<span class="badge edited-after-approval">edited after approval</span>' in html


def test_publish_refuses_a_take_edited_after_approval(runner: CliRunner,
                                                      workspace: Workspace) -> None:
    approved_qvac(runner, workspace)
    edit_draft(current(workspace, QVAC, "dx"), quote="A different quote nobody approved.")
    code, output = invoke(runner, workspace, "publish", QVAC)
    assert code == 1
    assert f"Edited after approval: {QVAC} / dx" in flat(output)
    assert f"panelist approve {QVAC} dx" in flat(output)
    assert not (workspace.root / "site").exists()


def test_approving_again_publishes_and_recomputes_the_edit_ratio(runner: CliRunner,
                                                                 workspace: Workspace) -> None:
    approved_qvac(runner, workspace)
    dx = current(workspace, QVAC, "dx")
    assert dx.meta.edit_ratio == 0.0
    edit_draft(dx, quote=dx.quote.replace("The primitive is", "What you get is"))
    code, output = invoke(runner, workspace, "approve", QVAC, "--json")
    assert code == 0, output
    outcomes = {a["persona"]: (a["outcome"], a["edit_ratio"]) for a in json.loads(output)}
    assert outcomes["dx"][0] == "re-approved" and outcomes["dx"][1] > 0
    assert outcomes["skeptic"] == ("already approved", 0.0)
    assert current(workspace, QVAC, "dx").meta.edit_ratio == outcomes["dx"][1]
    code, output = invoke(runner, workspace, "publish", QVAC)
    assert code == 0, output


def test_a_preview_marks_takes_edited_after_approval(runner: CliRunner,
                                                     workspace: Workspace) -> None:
    approved_qvac(runner, workspace)
    edit_draft(current(workspace, QVAC, "dx"), quote=EXAMPLE_TAKES[QVAC]["dx"][1].replace(
        "a genuine shortcut", "a real shortcut"))  # an edit nobody approved (the gate passes it)
    code, output = invoke(runner, workspace, "publish", QVAC, "--include-unapproved")
    assert code == 0, output
    assert f"{QVAC} / dx (edited after approval)" in flat(output)
    site = workspace.root / "site"
    html = (site / f"{QVAC}.html").read_text(encoding="utf-8")
    assert '<span class="badge unapproved">edited after approval</span>' in html
    assert "**Tether QVAC SDK: Ship** (edited after approval)" in (
        site / f"{QVAC}.md").read_text(encoding="utf-8")


def test_reflowing_whitespace_after_approval_is_not_an_edit(runner: CliRunner,
                                                            workspace: Workspace) -> None:
    approved_qvac(runner, workspace)
    dx = current(workspace, QVAC, "dx")
    edit_draft(dx, quote=dx.quote.replace(". ", ".\n"))
    code, output = invoke(runner, workspace, "publish", QVAC)
    assert code == 0, output


def test_status_approved_set_by_hand_is_not_an_approval(runner: CliRunner,
                                                        workspace: Workspace) -> None:
    draft_panel(workspace, HAIKU)
    for persona in ("dx", "skeptic", "strategist", "buyer", "creative"):
        path = current(workspace, HAIKU, persona).path
        path.write_text(path.read_text(encoding="utf-8").replace(
            "status: draft", "status: approved"), encoding="utf-8")
    code, output = invoke(runner, workspace, "publish", HAIKU)
    assert code == 1
    assert f"Not approved yet: {HAIKU} / dx" in flat(output)


# unapprove ---------------------------------------------------------------------------------

def statuses(runner: CliRunner, workspace: Workspace) -> dict[str, str]:
    code, output = invoke(runner, workspace, "status", QVAC, "--json")
    assert code == 0, output
    return {row["persona"]: row["status"] for row in json.loads(output)}


@pytest.fixture
def approved(runner: CliRunner, workspace: Workspace) -> Workspace:
    approved_qvac(runner, workspace)
    return workspace


def test_unapprove_sends_the_take_back_to_draft_and_keeps_its_quote(
        runner: CliRunner, approved: Workspace) -> None:
    before = current(approved, QVAC, "dx")
    code, output = invoke(runner, approved, "unapprove", QVAC, "dx")

    assert code == 0, output
    assert "1 take back to draft" in output
    assert "dx · ship · take 1 · unapproved\n  was approved by Ada Editor on " in output
    after = current(approved, QVAC, "dx")
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
    edit_draft(current(approved, QVAC, "dx"), quote="A different quote nobody approved.")
    assert statuses(runner, approved)["dx"] == "edited after approval"

    code, output = invoke(runner, approved, "unapprove", QVAC, "DX")

    assert code == 0, output
    assert statuses(runner, approved)["dx"] == "draft"
    assert current(approved, QVAC, "dx").quote == "A different quote nobody approved."


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
