"""publish's refusal: what is in the way and what to do, in short lines."""

from __future__ import annotations

from helpers import invoke
from panel_helpers import HAIKU, QVAC, draft_panel


def test_a_product_with_no_drafts_is_refused_with_draft_first(runner, workspace):
    result = invoke(runner, workspace, "publish", QVAC)

    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert f"No draft yet: {QVAC} / dx" in text and f"'panelist draft {QVAC}'" in text
    assert "panelist approve" not in text and "--include-unapproved" not in text


def test_a_refusal_listing_ten_takes_wraps_into_short_lines(runner, workspace):
    draft_panel(workspace, QVAC)
    draft_panel(workspace, HAIKU)

    result = invoke(runner, workspace, "publish", HAIKU, QVAC)

    lines = result.output.splitlines()
    assert result.exit_code == 1 and len(lines) >= 4
    assert max(len(line) for line in lines) <= 85  # 'error: ' and a 78-column body
    assert f"{QVAC} / creative" in "\n".join(lines), "a take's name is never split"


def test_a_product_with_some_drafts_lists_missing_and_unapproved_apart(runner, workspace):
    draft_panel(workspace, QVAC)
    (workspace.root / "drafts" / QVAC / "creative.md").unlink()

    text = " ".join(invoke(runner, workspace, "publish", QVAC).output.split())

    assert f"No draft yet: {QVAC} / creative." in text
    assert f"Not approved yet: {QVAC} / dx, {QVAC} / skeptic" in text


def test_a_lint_error_refusal_lists_one_finding_a_line(runner, workspace):
    draft_panel(workspace, QVAC)
    for persona in ("dx", "skeptic"):
        path = workspace.root / "drafts" / QVAC / f"{persona}.md"
        path.write_text(path.read_text(encoding="utf-8") + "TODO: check this.\n",
                        encoding="utf-8")

    result = invoke(runner, workspace, "publish", QVAC, "--include-unapproved")

    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert lines[0] == "error: Not published, lint errors:"
    assert lines[1].startswith(f"  drafts/{QVAC}/dx.md: placeholder text")
    assert any(line.startswith(f"  drafts/{QVAC}/skeptic.md: ") for line in lines)
    assert max(len(line) for line in lines) <= 85
