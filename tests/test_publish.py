"""publish: the "A vs B" page from approved takes as HTML, Markdown and JSON; drafts untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import build_file_tree
from helpers import invoke_for_output as invoke
from panel_helpers import (
    EVIL_PRODUCT,
    EXAMPLE_TAKES,
    HAIKU,
    QVAC,
    XSS_IMG,
    XSS_SCRIPT,
    draft_panel,
    edit_draft,
    write_take,
)
from panelist.models import Product
from panelist.review.approval import approve_takes
from panelist.review.publish import md_text, publish
from panelist.review.views import ProductFacts
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

PAGE = f"{HAIKU}-vs-{QVAC}"
PANEL_ORDER = ["dx", "skeptic", "strategist", "buyer", "creative"]  # the reference page's order



def flat(output: str) -> str:
    return " ".join(output.replace("│", " ").split())


def approved_panels(workspace: Workspace) -> Workspace:
    for slug in (HAIKU, QVAC):
        draft_panel(workspace, slug)
        approve_takes(workspace, slug, None)
    return workspace


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_writes_html_markdown_and_json(runner: CliRunner, workspace: Workspace) -> None:
    approved_panels(workspace)
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC)
    assert code == 0, output
    site = workspace.root / "site"
    assert sorted(p.name for p in site.iterdir()) == [f"{PAGE}.html", f"{PAGE}.json",
                                                      f"{PAGE}.md"]
    page = json.loads((site / f"{PAGE}.json").read_text(encoding="utf-8"))
    assert page["title"] == "Claude Haiku Open Weights vs Tether QVAC SDK"
    assert [p["ship_percent"] for p in page["products"]] == [60, 60]
    assert [p["facts"]["community_percent"] for p in page["products"]] == [None, None]
    assert [row["persona"] for row in page["scorecard"]] == PANEL_ORDER
    html = (site / f"{PAGE}.html").read_text(encoding="utf-8")
    assert "<script" not in html and "Reviewer scorecard" in html
    assert html.count('class="badge ship"') == 6
    for takes in EXAMPLE_TAKES.values():
        for _, quote in takes.values():
            assert quote.replace("'", "&#39;") in html


def test_markdown_has_front_matter_for_static_site_generators(workspace: Workspace) -> None:
    approved_panels(workspace)
    publish(workspace, [HAIKU, QVAC])
    text = (workspace.root / "site" / f"{PAGE}.md").read_text(encoding="utf-8")
    head, body = text.split("---\n", 2)[1:]
    assert "title: Claude Haiku Open Weights vs Tether QVAC SDK\n" in head
    assert "draft: false\n" in head and "panel_ship_percent: 60\n" in head
    assert "## Reviewer scorecard" in body
    assert "| 60% | — | Free |" in body
    assert "**Tether QVAC SDK: Skip**" in body


def test_one_product_makes_its_own_page(runner: CliRunner, workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    approve_takes(workspace, QVAC, None)
    code, output = invoke(runner, workspace, "publish", QVAC, "--json")
    assert code == 0, output
    assert json.loads(output)["paths"] == [f"site/{QVAC}.html", f"site/{QVAC}.md",
                                           f"site/{QVAC}.json"]
    page = json.loads((workspace.root / "site" / f"{QVAC}.json").read_text(encoding="utf-8"))
    assert (page["kind"], page["title"]) == ("review", "Tether QVAC SDK")


def test_publish_refuses_and_lists_unapproved_personas(runner: CliRunner,
                                                       workspace: Workspace) -> None:
    draft_panel(workspace, HAIKU)
    draft_panel(workspace, QVAC)
    approve_takes(workspace, HAIKU, None)
    approve_takes(workspace, QVAC, ["dx", "buyer", "creative"])
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC)
    assert code == 1
    assert f"{QVAC} / skeptic, {QVAC} / strategist" in flat(output)
    assert "--include-unapproved" in flat(output)
    assert not (workspace.root / "site").exists()


def test_include_unapproved_marks_them_visibly(runner: CliRunner, workspace: Workspace) -> None:
    draft_panel(workspace, HAIKU)
    draft_panel(workspace, QVAC)
    approve_takes(workspace, HAIKU, None)
    approve_takes(workspace, QVAC, ["dx", "skeptic"])  # one ship, one skip approved
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC, "--include-unapproved")
    assert code == 0, output
    site = workspace.root / "site"
    html = (site / f"{PAGE}.html").read_text(encoding="utf-8")
    assert html.count("unapproved draft</span>") == 3
    assert "Preview, not for publication." in html
    page = json.loads((site / f"{PAGE}.json").read_text(encoding="utf-8"))
    assert page["unapproved"] == [f"{QVAC} / strategist", f"{QVAC} / buyer",
                                  f"{QVAC} / creative"]
    assert page["products"][1]["ship_percent"] == 50  # approved ship calls / approved panelists
    markdown = (site / f"{PAGE}.md").read_text(encoding="utf-8")
    assert "draft: true\n" in markdown and markdown.count("(unapproved draft)") == 3


@pytest.mark.parametrize(("ships", "skips", "shown"), [
    (3, 1, 75), (1, 2, 33), (0, 5, 0), (5, 0, 100)],
    ids=["3-of-4", "1-of-3", "none-ship", "all-ship"])
def test_ship_percent_is_approved_ship_calls_over_approved_panelists(
        workspace: Workspace, ships: int, skips: int, shown: int) -> None:
    personas = sorted(EXAMPLE_TAKES[QVAC])
    calls = ["ship"] * ships + ["skip"] * skips
    for persona, verdict in zip(personas, calls, strict=False):
        write_take(workspace, QVAC, persona, verdict, EXAMPLE_TAKES[QVAC][persona][1])
    # the verdicts are dealt out regardless of what each quote argues: the gate rightly reads
    # some as contradictions, and this spec is about the arithmetic, so the editor overrides
    approve_takes(workspace, QVAC, None, allow_quality=True)
    page = publish(workspace, [QVAC], include_unapproved=True).page
    assert page.products[0].ship_percent == shown


def test_community_shows_a_dash_without_votes_and_a_percent_with(workspace: Workspace) -> None:
    build_file_tree(workspace.root, {"products/evil-tool.md": EVIL_PRODUCT})
    draft_panel(workspace, QVAC)
    approve_takes(workspace, QVAC, None)
    for persona, (verdict, quote) in EXAMPLE_TAKES[QVAC].items():
        write_take(workspace, "evil-tool", persona, verdict, quote)
    approve_takes(workspace, "evil-tool", None, allow_quality=True)  # payloads
    publish(workspace, ["evil-tool", QVAC])
    markdown = (workspace.root / "site" / f"evil-tool-vs-{QVAC}.md").read_text(encoding="utf-8")
    assert "| 60% | 75% | Freemium |" in markdown
    assert "| 60% | — | Paid |" in markdown


def test_publishing_never_changes_drafts(runner: CliRunner, workspace: Workspace) -> None:
    approved_panels(workspace)
    draft = DraftStore(workspace).read(QVAC, "dx") or pytest.fail("no draft")
    edit_draft(draft, quote=draft.quote.replace("genuine shortcut", "real shortcut"))
    before = snapshot(workspace.drafts_dir)
    for extra, expected in (([], 1), (["--include-unapproved"], 0)):
        code, output = invoke(runner, workspace, "publish", HAIKU, QVAC, *extra)
        assert code == expected, output
    assert snapshot(workspace.drafts_dir) == before


def test_publish_reports_lint_findings(runner: CliRunner, workspace: Workspace) -> None:
    approved_panels(workspace)
    draft = DraftStore(workspace).read(QVAC, "buyer") or pytest.fail("no draft")
    edit_draft(draft, quote=draft.quote.replace("The grants program", "The $5M grants program"))
    approve_takes(workspace, QVAC, ["buyer"])
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC)
    assert code == 0, output
    assert "ungrounded" in output and "$5M" in output


def test_publish_takes_one_or_two_products(runner: CliRunner, workspace: Workspace) -> None:
    code, output = invoke(runner, workspace, "publish", HAIKU, QVAC, HAIKU)
    assert code == 2
    assert "one product, or two" in output


def test_xss_payloads_are_inert_in_every_format(workspace: Workspace) -> None:
    build_file_tree(workspace.root, {"products/evil-tool.md": EVIL_PRODUCT})
    write_take(workspace, "evil-tool", "dx", "ship", f"Quote with {XSS_SCRIPT} and {XSS_IMG}.")
    approve_takes(workspace, "evil-tool", None, allow_quality=True)  # payloads
    publish(workspace, ["evil-tool"], include_unapproved=True)
    site = workspace.root / "site"
    html = (site / "evil-tool.html").read_text(encoding="utf-8")
    # Front matter is data, like the JSON; the Markdown body is what a site renders as content.
    markdown = (site / "evil-tool.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    for text in (html, markdown):
        assert "<script>document" not in text and "<img src" not in text
        assert "<a href=\"javascript" not in text and "<a href=&#34;javascript" not in text
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert '<a href="https://evil.example/tool" rel="nofollow noopener noreferrer">' in html
    assert "\\[a markdown link\\](javascript:alert(1))" in markdown


def test_only_http_product_urls_are_linked() -> None:
    product = Product.model_construct(slug="x", name="X", tagline="t", category="c",
                                      pricing="Free", url="javascript:alert(1)", license=None,
                                      community=None, description="text")
    assert ProductFacts.of(product).url is None


def test_markdown_text_cannot_open_html_links_or_headings() -> None:
    assert md_text("# <b>[x](javascript:y)</b> *a* _b_ `c` | d & e") == (
        "\\# &lt;b&gt;\\[x\\](javascript:y)&lt;/b&gt; \\*a\\* \\_b\\_ \\`c\\` \\| d &amp; e")


def test_workspace_template_overrides_the_packaged_page(workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    approve_takes(workspace, QVAC, None)
    build_file_tree(workspace.root, {"templates/site/page.html.j2":
                                     "<h1>{{ page.title }}</h1>{{ page.dek }}"})
    publish(workspace, [QVAC])
    html = (workspace.root / "site" / f"{QVAC}.html").read_text(encoding="utf-8")
    assert html.startswith("<h1>Tether QVAC SDK</h1>")
