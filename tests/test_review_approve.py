"""approve marks takes approved and records the edit ratio; stats reports it per persona/model."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from helpers import invoke_for_output as invoke
from panel_helpers import EXAMPLE_TAKES, QVAC, draft_panel, edit_draft, write_take
from panelist.errors import EditProtectedError, InputError
from panelist.models import Draft
from panelist.review.approval import approve_takes, stats_tables
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace


def current(workspace: Workspace, persona: str) -> Draft:
    draft = DraftStore(workspace).read(QVAC, persona)
    assert draft is not None
    return draft


def test_approve_sets_status_and_draft_flag(workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    approve_takes(workspace, QVAC, ["dx"])
    store = DraftStore(workspace)
    dx = current(workspace, "dx")
    assert (dx.meta.status, dx.meta.draft, dx.meta.edit_ratio) == ("approved", False, 0.0)
    assert dx.meta.approved_at is not None
    others = [d.meta.status for p, d in store.read_all(QVAC).items() if p != "dx"]
    assert others == ["draft"] * 4


def test_approve_keeps_the_editors_quote_byte_for_byte(workspace: Workspace) -> None:
    draft = write_take(workspace, QVAC, "skeptic", *EXAMPLE_TAKES[QVAC]["skeptic"])
    edited = ("A stablecoin  company,\nshipping an SDK: odd.  Keep   my spacing "
              "and “curly quotes” — and this line\nbreak.")
    edit_draft(draft, quote=edited)
    before = draft.path.read_text(encoding="utf-8").split("---\n", 2)[2]
    approve_takes(workspace, QVAC, ["skeptic"], allow_quality=True)
    after = draft.path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert after == before
    assert edited in after


def test_approve_records_share_of_words_the_editor_changed(workspace: Workspace) -> None:
    draft = write_take(workspace, QVAC, "dx", "ship", "one two three four five six seven eight")
    edit_draft(draft, quote="one two three four five six seven nine")
    [approval] = approve_takes(workspace, QVAC, ["dx"], allow_quality=True)
    assert approval.edit_ratio == 0.125
    assert current(workspace, "dx").meta.edit_ratio == 0.125


def test_edit_ratio_compares_with_the_drafts_own_take(workspace: Workspace) -> None:
    write_take(workspace, QVAC, "dx", "ship", "an old take that was replaced entirely")
    second = write_take(workspace, QVAC, "dx", "ship", "alpha beta gamma delta")
    edit_draft(second, quote="alpha beta gamma epsilon")
    [approval] = approve_takes(workspace, QVAC, ["dx"], allow_quality=True)
    assert (approval.take, approval.edit_ratio) == (2, 0.25)


def test_approving_a_flipped_verdict_is_recorded(workspace: Workspace) -> None:
    draft = write_take(workspace, QVAC, "buyer", *EXAMPLE_TAKES[QVAC]["buyer"])
    edit_draft(draft, verdict="ship")
    [approval] = approve_takes(workspace, QVAC, ["buyer"], allow_quality=True)
    assert (approval.verdict, approval.verdict_changed, approval.edit_ratio) == ("ship", True, 0.0)


def test_approving_twice_changes_nothing(workspace: Workspace) -> None:
    draft = write_take(workspace, QVAC, "dx", *EXAMPLE_TAKES[QVAC]["dx"])
    approve_takes(workspace, QVAC, ["dx"], allow_quality=True)
    text = draft.path.read_text(encoding="utf-8")
    [again] = approve_takes(workspace, QVAC, ["dx"], allow_quality=True)
    assert again.outcome == "already approved"
    assert draft.path.read_text(encoding="utf-8") == text


def test_approving_again_after_an_edit_records_the_new_ratio(workspace: Workspace) -> None:
    write_take(workspace, QVAC, "dx", "ship", "alpha beta gamma delta")
    approve_takes(workspace, QVAC, ["dx"], allow_quality=True)
    edit_draft(current(workspace, "dx"), quote="alpha beta gamma omega")
    [again] = approve_takes(workspace, QVAC, ["dx"], allow_quality=True)
    assert (again.outcome, again.edit_ratio) == ("re-approved", 0.25)


def test_approved_draft_is_protected_from_redo(workspace: Workspace) -> None:
    write_take(workspace, QVAC, "dx", *EXAMPLE_TAKES[QVAC]["dx"])
    approve_takes(workspace, QVAC, ["dx"], allow_quality=True)
    store = DraftStore(workspace)
    with pytest.raises(EditProtectedError, match="approved"):
        store.guard(current(workspace, "dx"), force=False, command="panelist redo")


def test_approving_a_persona_without_a_draft_says_how_to_draft_it(workspace: Workspace) -> None:
    write_take(workspace, QVAC, "dx", *EXAMPLE_TAKES[QVAC]["dx"])
    with pytest.raises(InputError, match=f"panelist draft {QVAC} --persona skeptic"):
        approve_takes(workspace, QVAC, ["dx", "skeptic"])
    assert current(workspace, "dx").meta.status == "draft"


@pytest.mark.parametrize(("quote", "why"), [
    ("", "dx.md: the quote is empty"),
    ("A fine start. TODO finish it.", "dx.md: placeholder text left in the quote: 'TODO'")],
    ids=["empty", "placeholder"])
def test_approve_refuses_a_quote_that_is_not_publishable(workspace: Workspace, quote: str,
                                                         why: str) -> None:
    draft = write_take(workspace, QVAC, "dx", *EXAMPLE_TAKES[QVAC]["dx"])
    edit_draft(draft, quote=quote)
    with pytest.raises(InputError, match=re.escape(why)):
        approve_takes(workspace, QVAC, None)
    assert current(workspace, "dx").meta.status == "draft"


def test_approve_cli_approves_the_whole_drafted_panel(runner: CliRunner,
                                                      workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    code, output = invoke(runner, workspace, "approve", QVAC, "--json")
    assert code == 0, output
    assert [a["outcome"] for a in json.loads(output)] == ["approved"] * 5


def test_approve_cli_unknown_persona_lists_the_panel(runner: CliRunner,
                                                     workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    code, output = invoke(runner, workspace, "approve", QVAC, "skeptc")
    assert code == 2
    assert "Persona 'skeptc' not found" in output and "skeptic" in output


# stats ------------------------------------------------------------------------------------

def test_stats_shows_edit_ratios_after_approving_edited_takes(runner: CliRunner,
                                                              workspace: Workspace) -> None:
    write_take(workspace, QVAC, "dx", "ship", "one two three four", model="model-a")
    skeptic = write_take(workspace, QVAC, "skeptic", "skip", "one two three four",
                         model="model-b")
    edit_draft(skeptic, quote="one two six seven")
    write_take(workspace, QVAC, "buyer", "skip", "one two three four", model="model-b")
    invoke(runner, workspace, "approve", QVAC, "dx", "skeptic", "--allow-quality")

    code, output = invoke(runner, workspace, "stats")
    assert code == 0, output
    assert "by persona" in output and "by model" in output
    skeptic_line = next(line for line in output.splitlines() if "skeptic" in line)
    assert "50%" in skeptic_line
    assert "buyer" not in output  # not approved yet

    code, output = invoke(runner, workspace, "stats", "--by", "model", "--json")
    rows = {row["key"]: row for row in json.loads(output)["by_model"]}
    assert rows["model-a"]["mean_edit_ratio"] == 0.0
    assert (rows["model-b"]["approved"], rows["model-b"]["edited"]) == (1, 1)
    assert rows["model-b"]["mean_edit_ratio"] == 0.5


def test_stats_counts_verdict_flips(workspace: Workspace) -> None:
    draft = write_take(workspace, QVAC, "buyer", *EXAMPLE_TAKES[QVAC]["buyer"])
    edit_draft(draft, verdict="ship")
    # the quote still argues skip, and the gate says so: the editor's flip is approved anyway
    approve_takes(workspace, QVAC, None, allow_quality=True)
    [row] = stats_tables(workspace, ["persona"])["persona"]
    assert (row.key, row.verdict_flips) == ("buyer", 1)


def test_stats_without_approvals_says_what_to_do(runner: CliRunner,
                                                 workspace: Workspace) -> None:
    code, output = invoke(runner, workspace, "stats", "--by", "persona")
    assert code == 0
    assert "panelist approve" in output


def test_stats_rejects_an_unknown_grouping(runner: CliRunner, workspace: Workspace) -> None:
    code, output = invoke(runner, workspace, "stats", "--by", "colour")
    assert code == 2
    assert "'persona' or 'model'" in output
