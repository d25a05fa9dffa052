"""What the review commands print in an 80-column terminal, and where --html and --out write."""

from __future__ import annotations

import json

import pytest

from panel_helpers import HAIKU, QVAC, draft_panel, edit_draft
from panelist.cli import app
from panelist.store.drafts import DraftStore


@pytest.fixture
def narrow(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    from panelist.cli import options

    monkeypatch.setattr(options, "_consoles", {})  # a console made for this width


def run(runner, workspace, *args):
    return runner.invoke(app, [*args, "-w", str(workspace.root)])


@pytest.mark.parametrize("args", [
    ["status"], ["status", QVAC], ["takes", QVAC, "dx"], ["personas"], ["usage"],
    ["stats", "--by", "model"], ["compare", QVAC], ["compare", QVAC, HAIKU],
    ["compare", QVAC, "dx", "--takes"],
], ids=lambda args: " ".join(args))
def test_every_line_fits_80_columns(runner, workspace, narrow, args):
    draft_panel(workspace, QVAC)
    draft_panel(workspace, HAIKU)
    run(runner, workspace, "approve", QVAC, "dx")

    result = run(runner, workspace, *args)

    assert result.exit_code == 0, result.output
    assert max(len(line.rstrip()) for line in result.output.splitlines()) <= 80


def test_a_panel_stacks_its_quotes_at_80_columns(runner, workspace, narrow):
    draft_panel(workspace, QVAC)

    result = run(runner, workspace, "compare", QVAC)

    lines = result.output.splitlines()
    assert len(lines) < 60  # a table with a 25-character quote column took over 100
    assert any(line.startswith("skeptic · Competitive reality · skip") for line in lines)


def test_words_are_not_split_inside_a_table_cell(runner, workspace, narrow):
    draft_panel(workspace, QVAC)

    result = run(runner, workspace, "takes", QVAC, "dx")

    assert "generated" in result.output and "generate d" not in result.output


def test_takes_does_not_call_an_edited_draft_the_generated_take(runner, workspace):
    draft_panel(workspace, QVAC)
    draft = DraftStore(workspace).read(QVAC, "dx")
    edit_draft(draft, quote=draft.quote.replace("good news", "great news"))

    takes = json.loads(run(runner, workspace, "takes", QVAC, "dx", "--json").output)
    compared = json.loads(run(runner, workspace, "compare", QVAC, "dx", "--takes",
                              "--json").output)

    assert [(t["kind"], t["current"]) for t in takes] == [("generated", False),
                                                          ("current", True)]
    assert [t["current"] for t in compared["takes"]] == [t["current"] for t in takes]


def test_compare_html_writes_only_the_file(runner, workspace, tmp_path):
    draft_panel(workspace, QVAC)
    page = tmp_path / "panel.html"

    result = run(runner, workspace, "compare", QVAC, "--html", str(page))

    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {page}"
    assert "<html" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("option", ["--html", "--out"])
def test_an_output_path_in_a_missing_folder_is_refused(runner, workspace, tmp_path, option):
    draft_panel(workspace, QVAC)
    run(runner, workspace, "approve", QVAC)
    target = tmp_path / "nonexistent" / "dir" / "page.html"
    command = ["compare", QVAC] if option == "--html" else ["publish", QVAC]

    result = run(runner, workspace, *command, option, str(target))

    assert result.exit_code == 2
    assert "does not exist" in result.output and option in result.output
    assert not (tmp_path / "nonexistent").exists()


def test_compare_html_given_a_folder_asks_for_a_file_name(runner, workspace, tmp_path):
    draft_panel(workspace, QVAC)

    result = run(runner, workspace, "compare", QVAC, "--html", str(tmp_path))

    assert result.exit_code == 2
    assert "is a folder" in result.output and "compare.html" in result.output
