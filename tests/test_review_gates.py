"""approve shows what it approves and refuses lint errors; publish refuses lint errors always."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from helpers import invoke_for_output as invoke
from panel_helpers import QVAC, draft_panel, edit_draft
from panelist.models import Draft
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

TODO = "TODO check this."




def flat(output: str) -> str:
    return " ".join(output.replace("│", " ").split())


def current(workspace: Workspace, persona: str) -> Draft:
    draft = DraftStore(workspace).read(QVAC, persona)
    assert draft is not None
    return draft


def add_to_quote(workspace: Workspace, persona: str, extra: str) -> None:
    draft = current(workspace, persona)
    edit_draft(draft, quote=f"{draft.quote} {extra}")


def test_approve_lists_persona_verdict_first_words_and_findings(runner: CliRunner,
                                                               workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    add_to_quote(workspace, "buyer", "The $5M grants program is small.")
    code, output = invoke(runner, workspace, "approve", QVAC)
    assert code == 0, output
    text = flat(output)
    assert f"{QVAC}: 5 takes, approved by" in text
    assert "dx · ship · take 1" in text
    assert "“The primitive is one SDK with one API…”" in text
    assert "warning ungrounded" in text and "'$5M'" in text


def test_approve_refuses_a_lint_error_naming_file_and_finding(runner: CliRunner,
                                                              workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    add_to_quote(workspace, "dx", TODO)
    code, output = invoke(runner, workspace, "approve", QVAC)
    assert code == 2
    assert (f"drafts/{QVAC}/dx.md: placeholder text left in the quote: 'TODO'"
            in flat(output))
    assert "--allow-lint-errors" in flat(output)
    statuses = [d.meta.status for d in DraftStore(workspace).read_all(QVAC).values()]
    assert statuses == ["draft"] * 5  # nothing approved


def test_approve_with_allow_lint_errors_approves_anyway(runner: CliRunner,
                                                        workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    add_to_quote(workspace, "dx", TODO)
    code, output = invoke(runner, workspace, "approve", QVAC, "dx", "--allow-lint-errors")
    assert code == 0, output
    assert "error placeholder" in flat(output)
    assert current(workspace, "dx").meta.status == "approved"


def test_an_empty_quote_is_never_approved(runner: CliRunner, workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    edit_draft(current(workspace, "dx"), quote="")
    code, output = invoke(runner, workspace, "approve", QVAC, "--allow-lint-errors")
    assert code == 2
    assert "the quote is empty" in flat(output)
    assert "--allow-lint-errors" not in flat(output)


def test_publish_refuses_an_approved_take_with_a_lint_error(runner: CliRunner,
                                                            workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    add_to_quote(workspace, "dx", TODO)
    invoke(runner, workspace, "approve", QVAC, "--allow-lint-errors")
    for extra in ([], ["--include-unapproved"]):
        code, output = invoke(runner, workspace, "publish", QVAC, *extra)
        assert code == 1, output
        assert (f"drafts/{QVAC}/dx.md: placeholder text left in the quote: 'TODO'"
                in flat(output))
    assert not (workspace.root / "site").exists()


def test_include_unapproved_does_not_bypass_lint_errors(runner: CliRunner,
                                                        workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    add_to_quote(workspace, "creative", "[insert quote here]")
    code, output = invoke(runner, workspace, "publish", QVAC, "--include-unapproved")
    assert code == 1
    assert f"drafts/{QVAC}/creative.md" in flat(output) and "[insert quote here]" in output
    assert not (workspace.root / "site").exists()


def test_approve_json_carries_the_approval_record(runner: CliRunner,
                                                  workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    code, output = invoke(runner, workspace, "approve", QVAC, "dx", "--json")
    assert code == 0, output
    [item] = json.loads(output)
    assert item["first_words"] == "The primitive is one SDK with one API…"
    assert item["approved_by"] and item["approved_at"] and item["findings"] == []
