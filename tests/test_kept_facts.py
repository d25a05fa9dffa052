"""The catalogue's facts, as the gate's rival check reads them, kept in the workspace's index:
derived once per product file, read back by the next read, derived again when the file
changes, and never trusted when unreadable."""

from __future__ import annotations

import json
import sqlite3

from typer.testing import CliRunner

import panelist.quality
from helpers import invoke
from panel_helpers import HAIKU, QVAC, draft_panel, edit_draft
from panelist.store.drafts import DraftStore
from panelist.store.index import INDEX_NAME, WorkspaceIndex
from panelist.store.workspace import Workspace

BORROWED = ("Claude Haiku's inference layer is a customized fork of llama.cpp, and after a model "
            "is cached the SDK needs no network: Holepunch shares models peer-to-peer across "
            "Linux, macOS, Android and iOS, and the maker's $27B in stablecoin reserves backs "
            "the grants.")


def kept(workspace: Workspace) -> dict[str, tuple[str, str, str]]:
    with WorkspaceIndex(workspace.state_dir) as index:
        return index.facts()


def haiku_dx_findings(runner: CliRunner, workspace: Workspace) -> list[str]:
    result = invoke(runner, workspace, "status", HAIKU, "--json")
    assert result.exit_code == 0, result.output
    dx = next(row for row in json.loads(result.stdout) if row["persona"] == "dx")
    return list(dx["quality_findings"])


def edited_workspace(workspace: Workspace) -> None:
    draft_panel(workspace, HAIKU)
    draft_panel(workspace, QVAC)
    draft = DraftStore(workspace).read(HAIKU, "dx")
    assert draft is not None
    edit_draft(draft, quote=BORROWED)


def test_a_read_that_judges_a_take_keeps_every_products_facts(
        runner: CliRunner, workspace: Workspace) -> None:
    edited_workspace(workspace)
    findings = haiku_dx_findings(runner, workspace)

    assert any("Tether QVAC SDK" in finding for finding in findings), findings
    facts = kept(workspace)
    assert set(facts) == {f"products/{HAIKU}.md", f"products/{QVAC}.md"}
    name, derived = facts[f"products/{QVAC}.md"][1:]
    assert name == "Tether QVAC SDK" and "holepunch" in json.loads(derived)


def test_the_next_read_reads_them_instead_of_deriving_them(
        runner: CliRunner, workspace: Workspace, monkeypatch) -> None:
    edited_workspace(workspace)
    haiku_dx_findings(runner, workspace)
    draft = DraftStore(workspace).read(HAIKU, "dx")
    assert draft is not None
    edit_draft(draft, quote=BORROWED.replace("the grants", "its grants"))
    derived: list[str] = []
    monkeypatch.setattr(panelist.quality, "product_facts",
                        lambda text: derived.append(text) or frozenset(), raising=False)

    findings = haiku_dx_findings(runner, workspace)

    assert derived == []
    assert any("Tether QVAC SDK" in finding for finding in findings), findings


def test_a_changed_product_file_has_its_facts_derived_again(
        runner: CliRunner, workspace: Workspace) -> None:
    edited_workspace(workspace)
    haiku_dx_findings(runner, workspace)
    before = kept(workspace)[f"products/{QVAC}.md"]
    path = workspace.products_dir / f"{QVAC}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Holepunch", "Hypercore"),
                    encoding="utf-8")
    draft = DraftStore(workspace).read(HAIKU, "dx")
    assert draft is not None
    edit_draft(draft, quote=BORROWED.replace("Holepunch", "Hypercore"))

    haiku_dx_findings(runner, workspace)

    after = kept(workspace)[f"products/{QVAC}.md"]
    assert after[0] != before[0]
    assert "hypercore" in json.loads(after[2]) and "holepunch" not in json.loads(after[2])


def test_unreadable_kept_facts_are_derived_again_not_trusted(
        runner: CliRunner, workspace: Workspace) -> None:
    edited_workspace(workspace)
    haiku_dx_findings(runner, workspace)
    with sqlite3.connect(workspace.state_dir / INDEX_NAME) as db:
        db.execute("UPDATE facts SET facts = '{not json'")
    draft = DraftStore(workspace).read(HAIKU, "dx")
    assert draft is not None
    edit_draft(draft, quote=BORROWED.replace("the grants", "its grants"))

    findings = haiku_dx_findings(runner, workspace)

    assert any("Tether QVAC SDK" in finding for finding in findings), findings
    assert all(json.loads(row[2]) for row in kept(workspace).values())
