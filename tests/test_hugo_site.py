"""A real Hugo site (Debian's hugo) built from panelist's files: payload text stays text, drafts
stay out.

Hugo runs shortcodes (``{{< >}}``, ``{{% %}}``) found anywhere in a content file's body
(https://gohugo.io/content-management/shortcodes/) and leaves out files with ``draft: true``
unless built with ``--buildDrafts`` (https://gohugo.io/getting-started/usage/#draft-future-and-expired-content).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import build_file_tree
from panel_helpers import EXAMPLE_TAKES, QVAC, draft_panel, write_take
from panelist.review.approval import approve_takes
from panelist.review.publish import publish
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

pytestmark = pytest.mark.static_site

# Vendor text written to break a Hugo build or run a shortcode, and Liquid/MDX tags for the
# other generators the Markdown is meant for.
PAYLOAD_PRODUCT = """---
name: Payload Tool
tagline: "Shortcodes {{< youtube dQw4w9WgXcQ >}} in the tagline"
category: Developer Tools
pricing: Free
url: https://payload.example/{{% notashortcode %}}
---
Payload Tool's description has {{% notashortcode %}} that breaks a Hugo build when run.

It embeds {{< youtube dQw4w9WgXcQ >}} and {{% youtube dQw4w9WgXcQ %}} to run Hugo's shortcode,
a Liquid {% include secrets.txt %} and {{ site.title }}, and an MDX {expression}.
"""
HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Panel verdicts"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = true
"""
LAYOUTS = {
    "layouts/_default/single.html": "<h1>{{ .Title }}</h1><p>{{ .Date.Year }}</p>{{ .Content }}",
    "layouts/_default/list.html": "{{ range .Pages }}{{ .Title }}\n{{ end }}",
    "layouts/index.html": "{{ range .Site.RegularPages }}{{ .RelPermalink }}\n{{ end }}",
}


@pytest.fixture(scope="module")
def hugo() -> str:
    found = shutil.which("hugo")
    if found is None:
        pytest.skip("no hugo binary on PATH (Debian: apt-get install -y hugo)")
    return found


def build(hugo: str, site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([hugo, "--source", str(site), "--destination", str(site / "public"),
                           "--quiet", *extra], capture_output=True, text=True, timeout=120,
                          check=False)


@pytest.fixture
def site(workspace: Workspace, tmp_path: Path) -> Path:
    """A Hugo site whose content is a published page and the whole drafts/ folder."""
    build_file_tree(workspace.root, {"products/payload-tool.md": PAYLOAD_PRODUCT})
    for persona, (verdict, quote) in EXAMPLE_TAKES[QVAC].items():
        write_take(workspace, "payload-tool", persona, verdict,
                   f"{quote} A Liquid {{% include secrets.txt %}} tag stays text.")
    approve_takes(workspace, "payload-tool", None, allow_quality=True)  # QVAC takes
    draft_panel(workspace, QVAC)  # never approved: every file stays a draft
    store = DraftStore(workspace)
    approved = store.read("payload-tool", "dx")
    assert approved is not None
    store.archive_edited(approved)  # what 'redo --force' does to an approved take first
    publish(workspace, ["payload-tool"])
    root = tmp_path / "hugo"
    build_file_tree(root, {"hugo.toml": HUGO_CONFIG, **LAYOUTS})
    (root / "content").mkdir()
    shutil.copy(workspace.site_dir / "payload-tool.md", root / "content" / "payload-tool.md")
    shutil.copytree(workspace.drafts_dir / QVAC, root / "content" / "drafts" / QVAC)
    history = workspace.drafts_dir / "payload-tool" / "history"
    shutil.copytree(history, root / "content" / "drafts" / "payload-tool" / "history")
    return root


def test_the_site_builds_and_payload_text_stays_text(hugo: str, site: Path) -> None:
    result = build(hugo, site)
    assert result.returncode == 0, result.stderr
    page = (site / "public" / "payload-tool" / "index.html").read_text(encoding="utf-8")
    assert "<iframe" not in page and "youtube.com" not in page  # no shortcode ran
    assert "{{% notashortcode %}}" in page and "{{&lt; youtube dQw4w9WgXcQ &gt;}}" in page
    assert "{% include secrets.txt %}" in page
    assert "<h1>Payload Tool</h1>" in page


def test_drafts_and_history_are_left_out_of_the_site(hugo: str, site: Path) -> None:
    result = build(hugo, site)
    assert result.returncode == 0, result.stderr
    pages = (site / "public" / "index.html").read_text(encoding="utf-8").split()
    assert pages == ["/payload-tool/"]
    assert not (site / "public" / "drafts").exists()


def test_with_build_drafts_the_drafts_show_their_title_and_date(hugo: str, site: Path) -> None:
    """The control: the same files do build as pages with --buildDrafts, titled and dated."""
    result = build(hugo, site, "--buildDrafts")
    assert result.returncode == 0, result.stderr
    pages = (site / "public" / "index.html").read_text(encoding="utf-8").split()
    assert f"/drafts/{QVAC}/dx/" in pages
    assert any(p.startswith("/drafts/payload-tool/history/dx/take-001.edited-") for p in pages)
    draft = (site / "public" / "drafts" / QVAC / "dx" / "index.html").read_text(encoding="utf-8")
    assert f"<h1>{QVAC} / dx, take 1</h1><p>2025</p>" in draft
