"""Defects found reading the review and store code: each says what it does now."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from helpers import invoke_for_output as invoke
from panel_helpers import QVAC, draft_panel, edit_draft
from panelist.errors import FileFormatError
from panelist.store import ledger
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace


def record(persona: str) -> ledger.CallRecord:
    return ledger.CallRecord(time=datetime(2026, 11, 26, tzinfo=UTC), product=QVAC,
                             persona=persona, model="claude-sonnet-4-5", backend="claude",
                             input_tokens=100, output_tokens=50, cost_usd=0.001)


def test_show_of_a_missing_draft_is_bad_input(runner: CliRunner, workspace: Workspace) -> None:
    code, output = invoke(runner, workspace, "show", QVAC, "dx")
    assert code == 2
    assert f"No draft for {QVAC} / dx yet: run 'panelist draft {QVAC} --persona dx'" in output


def test_a_corrupt_history_file_stops_approve_naming_the_file(runner: CliRunner,
                                                             workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    store = DraftStore(workspace)
    skeptic = store.read(QVAC, "skeptic")
    assert skeptic is not None
    edit_draft(skeptic, quote=skeptic.quote.replace("obvious", "plain"))
    history = workspace.history_dir(QVAC, "skeptic") / "take-001.md"
    history.write_text(history.read_text(encoding="utf-8").replace("verdict: skip",
                                                                   "verdict: [skip"))
    code, output = invoke(runner, workspace, "approve", QVAC)
    assert code == 2
    assert f"drafts/{QVAC}/history/skeptic/take-001.md" in output
    assert "malformed front matter" in output
    statuses = {p: d.meta.status for p, d in store.read_all(QVAC).items()}
    assert set(statuses.values()) == {"draft"}  # not even dx, which comes first


def test_ledger_skips_a_torn_last_line(workspace: Workspace) -> None:
    path = workspace.ledger_path
    ledger.append(path, record("dx"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"time": "2026-11-26T00:00:00Z", "prod')  # killed mid-write
    assert [r.persona for r in ledger.read(path)] == ["dx"]


def test_appending_after_a_torn_line_cuts_it_off(workspace: Workspace) -> None:
    path = workspace.ledger_path
    ledger.append(path, record("dx"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"time": "2026-11-26T00:00:00Z", "prod')
    ledger.append(path, record("skeptic"))
    assert [r.persona for r in ledger.read(path)] == ["dx", "skeptic"]
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.parametrize("bad", ["not json at all", json.dumps({"time": "yesterday"})],
                         ids=["not-json", "not-a-record"])
def test_a_malformed_line_before_the_last_is_an_error_naming_file_and_line(
        workspace: Workspace, bad: str) -> None:
    path = workspace.ledger_path
    ledger.append(path, record("dx"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(bad + "\n")
    ledger.append(path, record("skeptic"))
    with pytest.raises(FileFormatError, match=r"ledger\.jsonl:2: malformed line"):
        ledger.read(path)


def test_usage_reports_a_damaged_ledger(runner: CliRunner, workspace: Workspace) -> None:
    path = workspace.ledger_path
    ledger.append(path, record("dx"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("garbage\n")
    ledger.append(path, record("skeptic"))
    code, output = invoke(runner, workspace, "usage")
    assert code == 2
    assert "ledger.jsonl:2: malformed line (not JSON)" in output
