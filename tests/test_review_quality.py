"""A review that listens to the quality gate: approve judges the take as it stands, refuses a
flagged one unless the editor insists, and records that override bound to the text; publish
refuses a flagged take whose approval does not carry it; every view shows the findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import invoke_for_output as invoke
from panel_helpers import EXAMPLE_TAKES, HAIKU, QVAC, draft_panel, edit_draft, write_take
from panelist.models import Draft
from panelist.review.approval import approve_takes
from panelist.review.signoff import judged_hash, signed_meta
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

CLEAN = EXAMPLE_TAKES[QVAC]["dx"][1]
# An assistant's wrapper around the take: the gate flags it ("chat-wrapper").
SHOUTING = "Sure! Here is my take: " + CLEAN
DX_FILE = f"drafts/{QVAC}/dx.md"


pytestmark = pytest.mark.usefixtures("git_user")  # approvals signed as Ada Editor


def current(workspace: Workspace, persona: str = "dx", slug: str = QVAC) -> Draft:
    draft = DraftStore(workspace).read(slug, persona)
    assert draft is not None
    return draft


def flat(output: str) -> str:
    return " ".join(output.replace("│", " ").split())


def shouting_dx(workspace: Workspace) -> None:
    """The QVAC panel drafted, dx's take edited into shouting by hand."""
    draft_panel(workspace, QVAC)
    edit_draft(current(workspace), quote=SHOUTING)


def status_json(runner: CliRunner, workspace: Workspace, *args: str) -> dict[str, dict]:
    """``status [PRODUCT] --json`` by persona (by product without one)."""
    code, output = invoke(runner, workspace, "status", *args, "--json")
    assert code == 0, output
    return {row.get("persona") or row["slug"]: row for row in json.loads(output)}


def set_reasons(workspace: Workspace, reasons: list[str]) -> None:
    draft = current(workspace)
    DraftStore(workspace).update_meta(draft, draft.meta.model_copy(update={"reasons": reasons}))


# approve ----------------------------------------------------------------------------------

def test_approve_refuses_a_flagged_take_and_lists_the_finding_next_to_it(
        runner: CliRunner, workspace: Workspace) -> None:
    shouting_dx(workspace)
    code, output = invoke(runner, workspace, "approve", QVAC)
    assert code == 2, output
    text = flat(output)
    assert f"Not approved, the quality gate flags: {DX_FILE}" in text
    assert "(“Sure! Here is my take: The primitive is…”): chat-wrapper: 'Sure!'" in text
    assert "--allow-quality" in text
    drafts = DraftStore(workspace).read_all(QVAC).values()
    assert {d.meta.status for d in drafts} == {"draft"}  # none approved, not even clean ones


def test_allow_quality_approves_and_records_the_override_with_the_approval(
        runner: CliRunner, workspace: Workspace) -> None:
    shouting_dx(workspace)
    code, output = invoke(runner, workspace, "approve", QVAC, "dx", "--allow-quality")
    assert code == 0, output
    text = flat(output)
    assert "quality chat-wrapper: 'Sure!'" in text
    assert "approved anyway (--allow-quality), recorded with the approval" in text
    draft = current(workspace)
    override = draft.meta.quality_override
    assert draft.meta.status == "approved"
    assert override is not None and override.by == "Ada Editor"
    assert override.hash == judged_hash(draft)
    assert override.findings and override.findings[0].startswith("chat-wrapper:")
    assert "quality_override:" in draft.path.read_text(encoding="utf-8")


def test_approve_as_json_lists_the_findings_and_the_override(runner: CliRunner,
                                                             workspace: Workspace) -> None:
    shouting_dx(workspace)
    code, output = invoke(runner, workspace, "approve", QVAC, "dx", "--allow-quality", "--json")
    assert code == 0, output
    (approval,) = json.loads(output)
    assert approval["quality_allowed"] is True
    assert approval["quality"][0].startswith("chat-wrapper:")


def test_a_clean_take_records_no_override_even_with_allow_quality(
        runner: CliRunner, workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    code, output = invoke(runner, workspace, "approve", QVAC, "--allow-quality")
    assert code == 0, output
    assert current(workspace).meta.quality_override is None


def test_a_flagged_take_rewritten_by_the_editor_is_judged_as_edited(
        runner: CliRunner, workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    write_take(workspace, QVAC, "dx", "ship", SHOUTING)  # the model shouted
    edit_draft(current(workspace), quote=CLEAN)  # the editor rewrote it
    code, output = invoke(runner, workspace, "approve", QVAC, "dx")
    assert code == 0, output
    assert "quality" not in flat(output)
    assert current(workspace).meta.quality_override is None


def test_a_finding_written_in_by_hand_is_caught(runner: CliRunner,
                                                workspace: Workspace) -> None:
    shouting_dx(workspace)  # generated clean, edited into shouting
    assert current(workspace).meta.quality is None  # the panel's gate saw the clean take
    code, output = invoke(runner, workspace, "approve", QVAC, "dx")
    assert code == 2 and "chat-wrapper" in output


def test_the_reasons_are_judged_as_edited_too(runner: CliRunner, workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    set_reasons(workspace, ["Sure! Every device gets everything.", "Offline first."])
    code, output = invoke(runner, workspace, "approve", QVAC, "dx")
    assert code == 2, output
    assert "chat-wrapper: in the reasons, 'Sure!'" in flat(output)


def test_unapprove_takes_the_override_back_with_the_approval(runner: CliRunner,
                                                            workspace: Workspace) -> None:
    shouting_dx(workspace)
    invoke(runner, workspace, "approve", QVAC, "dx", "--allow-quality")
    code, output = invoke(runner, workspace, "unapprove", QVAC, "dx")
    assert code == 0, output
    assert current(workspace).meta.quality_override is None
    code, output = invoke(runner, workspace, "approve", QVAC, "dx")
    assert code == 2 and "chat-wrapper" in output


# publish ----------------------------------------------------------------------------------

def approved_before_the_gate_listened(workspace: Workspace) -> None:
    """Both panels approved; dx's flagged take signed without an override, as an approval made
    before approve listened to the gate was."""
    draft_panel(workspace, HAIKU)
    shouting_dx(workspace)
    approve_takes(workspace, HAIKU, None)
    approve_takes(workspace, QVAC, ["skeptic", "strategist", "buyer", "creative"])
    draft = current(workspace)
    DraftStore(workspace).update_meta(draft, signed_meta(
        draft, by="Ada Editor", at=draft.meta.generated_at, edit_ratio=0.1))


@pytest.mark.parametrize("extra", [[], ["--include-unapproved"]], ids=["plain", "preview"])
def test_publish_refuses_a_flagged_take_approved_without_the_override(
        runner: CliRunner, workspace: Workspace, extra: list[str]) -> None:
    approved_before_the_gate_listened(workspace)
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC, *extra)
    assert code == 1, output
    text = flat(output)
    assert f"Not published, the quality gate flags: {DX_FILE}: chat-wrapper: 'Sure!'" in text
    assert f"'panelist approve {QVAC} dx --allow-quality'" in text
    assert not workspace.site_dir.exists() or not list(workspace.site_dir.iterdir())


def test_publish_refuses_an_unapproved_flagged_take_in_a_preview(
        runner: CliRunner, workspace: Workspace) -> None:
    draft_panel(workspace, HAIKU)
    shouting_dx(workspace)
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC, "--include-unapproved")
    assert code == 1, output
    assert f"the quality gate flags: {DX_FILE}" in flat(output)


def test_publish_takes_a_flagged_take_its_approval_took_anyway(
        runner: CliRunner, workspace: Workspace) -> None:
    approved_before_the_gate_listened(workspace)
    code, output = invoke(runner, workspace, "approve", QVAC, "dx", "--allow-quality")
    assert code == 0 and "re-approved" in output, output
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC)
    assert code == 0, output
    page = (workspace.site_dir / f"{HAIKU}-vs-{QVAC}.md").read_text(encoding="utf-8")
    assert "Sure! Here is my take:" in page


def test_an_edit_after_the_override_leaves_it_behind(runner: CliRunner,
                                                     workspace: Workspace) -> None:
    approved_before_the_gate_listened(workspace)
    invoke(runner, workspace, "approve", QVAC, "dx", "--allow-quality")
    set_reasons(workspace, ["Sure! Here are my reasons.", "and a second reason"])  # approval stands
    assert current(workspace).meta.status == "approved"
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC)
    assert code == 1 and "in the reasons, 'Sure!'" in flat(output), output

    edit_draft(current(workspace), quote=SHOUTING.replace("offline path", "offline route"))
    code, output = invoke(runner, workspace, "approve", QVAC, "dx")
    assert code == 2 and "chat-wrapper" in output, output


# what the views show ----------------------------------------------------------------------

def test_status_shows_the_findings_on_the_take_as_it_stands(runner: CliRunner,
                                                            workspace: Workspace) -> None:
    shouting_dx(workspace)
    rows = status_json(runner, workspace, QVAC)
    assert rows["dx"]["quality"] == "chat-wrapper"
    assert rows["dx"]["quality_findings"][0].startswith("chat-wrapper: 'Sure!'")
    assert rows["skeptic"]["quality"] == "" and rows["skeptic"]["quality_findings"] == []
    assert status_json(runner, workspace)[QVAC]["quality_flagged"] == 1

    invoke(runner, workspace, "approve", QVAC, "dx", "--allow-quality")
    dx = status_json(runner, workspace, QVAC)["dx"]
    assert dx["quality"] == "chat-wrapper (approved anyway)" and dx["quality_allowed"] is True
    assert status_json(runner, workspace)[QVAC]["quality_flagged"] == 0


def test_compare_shows_each_finding_under_the_quote(runner: CliRunner,
                                                    workspace: Workspace) -> None:
    shouting_dx(workspace)
    code, output = invoke(runner, workspace, "compare", QVAC)
    assert code == 0, output
    assert "quality chat-wrapper: 'Sure!'" in flat(output)
    code, output = invoke(runner, workspace, "compare", QVAC, "--json")
    seats = {seat["persona"]: seat for seat in json.loads(output)["seats"]}
    assert seats["dx"]["quality"][0].startswith("chat-wrapper:")


def test_compare_html_lists_the_findings_under_the_take(runner: CliRunner, workspace: Workspace,
                                                        tmp_path: Path) -> None:
    shouting_dx(workspace)
    page = tmp_path / "compare.html"
    code, output = invoke(runner, workspace, "compare", QVAC, "--html", str(page))
    assert code == 0, output
    assert "<li>quality chat-wrapper: " in page.read_text(encoding="utf-8")


def test_a_rewrite_clears_the_finding_in_status(runner: CliRunner, workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    edit_draft(current(workspace), quote=SHOUTING)
    assert status_json(runner, workspace, QVAC)["dx"]["quality"] == "chat-wrapper"
    edit_draft(current(workspace), quote=CLEAN.replace("genuine", "real"))  # rewritten
    assert status_json(runner, workspace, QVAC)["dx"]["quality"] == ""


# the index keeps the gate's judgements for the views; approve and publish judge afresh ------

def test_status_reads_back_what_the_gate_judged_without_running_it_again(
        runner: CliRunner, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    shouting_dx(workspace)
    first = status_json(runner, workspace, QVAC)["dx"]["quality_findings"]

    def not_again(*args: object) -> object:
        raise AssertionError("the gate ran again on a text it judged")

    monkeypatch.setattr("panelist.quality.assess_take", not_again)  # what the gate calls
    assert status_json(runner, workspace, QVAC)["dx"]["quality_findings"] == first


def test_an_edit_is_judged_again_not_read_back(runner: CliRunner, workspace: Workspace) -> None:
    shouting_dx(workspace)
    assert status_json(runner, workspace, QVAC)["dx"]["quality"] == "chat-wrapper"
    edit_draft(current(workspace), quote=CLEAN)
    assert status_json(runner, workspace, QVAC)["dx"]["quality"] == ""


def test_approve_and_publish_judge_afresh_whatever_the_index_kept(
        runner: CliRunner, workspace: Workspace) -> None:
    approved_before_the_gate_listened(workspace)
    status_json(runner, workspace, QVAC)  # the index keeps its judgements
    (workspace.state_dir / "index.sqlite3").unlink()  # and is lost: nothing follows from that
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC)
    assert code == 1 and "chat-wrapper" in output, output
    invoke(runner, workspace, "unapprove", QVAC, "dx")
    code, output = invoke(runner, workspace, "approve", QVAC, "dx")
    assert code == 2 and "chat-wrapper" in output, output


# a draft records the gate that judged it: another version's findings are not shown as this one's

def written_by_another_gate(workspace: Workspace, quote: str, kept: list[str] | None) -> None:
    """dx's take as an earlier panelist wrote it: its quote, the findings that gate kept, and
    that gate's version (or none, before drafts recorded it)."""
    draft_panel(workspace, QVAC, {"dx": ("ship", quote)})
    draft = current(workspace)
    DraftStore(workspace).update_meta(draft, draft.meta.model_copy(
        update={"quality": kept, "quality_gate": "0123456789ab"}))


def test_a_take_another_gate_version_judged_is_judged_again_in_status(
        runner: CliRunner, workspace: Workspace) -> None:
    written_by_another_gate(workspace, SHOUTING, kept=None)  # that gate missed the wrapper

    assert status_json(runner, workspace, QVAC)["dx"]["quality"] == "chat-wrapper"


def test_a_finding_another_gate_version_made_is_dropped_when_this_one_passes_the_take(
        runner: CliRunner, workspace: Workspace) -> None:
    written_by_another_gate(workspace, CLEAN, kept=["babble: an older gate's false flag"])

    assert status_json(runner, workspace, QVAC)["dx"]["quality"] == ""


def test_a_take_this_gate_version_judged_keeps_its_findings_without_a_run(
        runner: CliRunner, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    draft_panel(workspace, QVAC)
    draft = current(workspace)
    DraftStore(workspace).update_meta(draft, draft.meta.model_copy(
        update={"quality": ["leak: what this version found when it wrote the take"]}))

    def not_run(*args: object) -> object:
        raise AssertionError("the gate ran on a take this version judged when it was written")

    monkeypatch.setattr("panelist.quality.assess_take", not_run)
    assert status_json(runner, workspace, QVAC)["dx"]["quality"] == "leak"
