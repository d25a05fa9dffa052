"""Files a static site may pick up: drafts carry title and date, history is always a draft, and
Markdown pages carry no template tag of Hugo, Jekyll or Astro from vendor or model text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from helpers import invoke_for_output as invoke
from panelist.review.publish import md_text
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

PRODUCT = "tether-qvac-sdk"




def front_matter(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(data, dict)
    return data


def test_a_drafted_take_carries_title_and_date(runner: CliRunner, workspace: Workspace,
                                               claude_env: object) -> None:
    code, output = invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")
    assert code == 0, output
    data = front_matter(workspace.draft_path(PRODUCT, "dx"))
    assert data["title"] == "Tether QVAC SDK: The Builder (Developer experience)"
    assert data["date"] == data["generated_at"]
    assert list(data)[:2] == ["title", "date"]


def test_history_is_always_a_draft_even_after_redo_force_of_an_approved_take(
        runner: CliRunner, workspace: Workspace, claude_env: object) -> None:
    invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")
    code, output = invoke(runner, workspace, "approve", PRODUCT, "dx")
    assert code == 0, output
    assert front_matter(workspace.draft_path(PRODUCT, "dx"))["draft"] is False
    code, output = invoke(runner, workspace, "redo", PRODUCT, "dx", "--force")
    assert code == 0, output
    entries = DraftStore(workspace).history(PRODUCT, "dx")
    assert len(entries) == 3  # take 1, the approved version saved before the redo, take 2
    for entry in entries:
        data = front_matter(entry.path)
        assert data["draft"] is True, entry.path
    archived = next(entry for entry in entries if entry.edited_at)
    assert front_matter(archived.path)["status"] == "approved"  # what was approved is kept


@pytest.mark.parametrize(("text", "escaped"), [
    ("{{< youtube id >}}", "&#123;&#123;&lt; youtube id &gt;&#125;&#125;"),
    ("{{% notashortcode %}}", "&#123;&#123;% notashortcode %&#125;&#125;"),
    ("{{ site.title }}", "&#123;&#123; site.title &#125;&#125;"),
    ("{% include secrets.txt %}", "&#123;% include secrets.txt %&#125;"),
    ("an MDX {expression}", "an MDX &#123;expression&#125;"),
], ids=["hugo-shortcode", "hugo-markdown-shortcode", "liquid-output", "liquid-tag", "mdx"])
def test_markdown_text_has_no_template_tags(text: str, escaped: str) -> None:
    assert md_text(text) == escaped
