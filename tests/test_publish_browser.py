"""The published and compare pages in a real browser (headless Chromium): text, and inert XSS.

``--dump-dom`` prints the DOM after the page's scripts (if any) ran, so a payload that executed
or injected an element would show there. Screenshots land in artifacts/ for a human to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import build_file_tree
from panel_helpers import (
    EVIL_PRODUCT,
    EXAMPLE_TAKES,
    HAIKU,
    QVAC,
    XSS_IMG,
    XSS_LINK,
    XSS_SCRIPT,
    draft_panel,
)
from panelist.cli.app import app
from panelist.review.approval import approve_takes
from panelist.review.publish import publish
from panelist.store.workspace import Workspace

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no chromium binary on PATH (Debian: apt-get install -y chromium)")
    return found


class Browser:
    def __init__(self, binary: str, profile: Path) -> None:
        self.binary = binary
        self.profile = profile

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            [self.binary, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", *args],
            capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    def dump_dom(self, page: Path) -> str:
        return self._run("--dump-dom", page.resolve().as_uri())

    def screenshot(self, page: Path, name: str, size: str = "1280,2000") -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / name
        self._run(f"--screenshot={target}", f"--window-size={size}", page.resolve().as_uri())
        assert target.stat().st_size > 10_000
        return target


@pytest.fixture
def browser(chromium: str, tmp_path: Path) -> Browser:
    return Browser(chromium, tmp_path / "chromium-profile")


class DomElements(HTMLParser):
    """Every element with its attributes, the title, and the visible text of a DOM dump."""

    def __init__(self, dom: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self.text: list[str] = []
        self._in: list[str] = []
        self.feed(dom)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        elif "style" not in self._in:
            self.text.append(data)

    @property
    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())

    def tags(self, name: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.elements if tag == name]


def assert_nothing_injected(dom: DomElements, title: str) -> None:
    assert dom.title == title
    assert dom.tags("script") == [] and dom.tags("img") == [] and dom.tags("iframe") == []
    for tag, attrs in dom.elements:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert not attrs.get("href", "").lower().startswith("javascript:"), (tag, attrs)


def test_published_page_renders_names_ship_percent_and_every_quote(
        browser: Browser, workspace: Workspace) -> None:
    for slug in (HAIKU, QVAC):
        draft_panel(workspace, slug)
        approve_takes(workspace, slug, None)
    publish(workspace, [HAIKU, QVAC])
    page = workspace.root / "site" / f"{HAIKU}-vs-{QVAC}.html"

    dom = DomElements(browser.dump_dom(page))
    text = dom.visible_text
    assert dom.title == "Claude Haiku Open Weights vs Tether QVAC SDK · panel verdict"
    assert "Claude Haiku Open Weights vs Tether QVAC SDK" in text
    assert text.count("60% Panel ship") == 2 and text.count("— Community") == 2
    assert "Free Entry" in text and "Paid Entry" in text
    for takes in EXAMPLE_TAKES.values():
        for _, quote in takes.values():
            assert quote in text
    assert_nothing_injected(dom, dom.title)

    browser.screenshot(page, "published-page.png", "1280,4300")
    browser.screenshot(page, "published-page-mobile.png", "390,2400")


def test_xss_in_description_and_quotes_executes_nothing(browser: Browser,
                                                        workspace: Workspace) -> None:
    build_file_tree(workspace.root, {"products/evil-tool.md": EVIL_PRODUCT})
    # the payloads first: each quote still ends on a sentence (a cut-off one is flagged)
    evil_takes = {persona: (verdict, f"{XSS_SCRIPT} {XSS_IMG} {XSS_LINK} {quote}")
                  for persona, (verdict, quote) in EXAMPLE_TAKES[QVAC].items()}
    draft_panel(workspace, "evil-tool", evil_takes)
    draft_panel(workspace, QVAC)
    approve_takes(workspace, "evil-tool", ["dx", "skeptic"], allow_quality=True)
    publish(workspace, ["evil-tool", QVAC], include_unapproved=True)
    page = workspace.root / "site" / f"evil-tool-vs-{QVAC}.html"

    dom = DomElements(browser.dump_dom(page))
    assert_nothing_injected(
        dom, f"Evil Tool {XSS_SCRIPT} vs Tether QVAC SDK · panel verdict")
    text = dom.visible_text
    assert XSS_SCRIPT in text and XSS_IMG in text and XSS_LINK in text  # shown as text
    assert [a["href"] for a in dom.tags("a")] == ["https://evil.example/tool"]
    assert "75% Community" in text and text.count("unapproved draft") == 8
    browser.screenshot(page, "published-page-xss.png", "1280,2000")


@pytest.mark.parametrize("view", ["products", "takes"])
def test_compare_page_renders_and_keeps_payloads_inert(browser: Browser, workspace: Workspace,
                                                       tmp_path: Path, view: str) -> None:
    build_file_tree(workspace.root, {"products/evil-tool.md": EVIL_PRODUCT})
    draft_panel(workspace, "evil-tool", {"dx": ("ship", f"Fast. {XSS_SCRIPT} {XSS_IMG}")})
    draft_panel(workspace, "evil-tool", {"dx": ("skip", f"Slow. {XSS_SCRIPT} {XSS_LINK}")})
    draft_panel(workspace, QVAC)
    args = ["evil-tool", QVAC] if view == "products" else ["evil-tool", "dx", "--takes"]
    page = tmp_path / f"compare-{view}.html"
    result = CliRunner().invoke(app, ["compare", *args, "--html", str(page),
                                      "--workspace", str(workspace.root)])
    assert result.exit_code == 0, result.output

    dom = DomElements(browser.dump_dom(page))
    titles = {"products": f"Evil Tool {XSS_SCRIPT} vs Tether QVAC SDK · compare",
              "takes": f"Evil Tool {XSS_SCRIPT} / The Builder · takes"}
    assert_nothing_injected(dom, titles[view])  # a script that ran would have set 'pwned'
    text = dom.visible_text
    assert f"Slow. {XSS_SCRIPT} {XSS_LINK}" in text
    if view == "products":
        assert "Tether QVAC SDK" in text and "60% Panel ship" in text
        for _, quote in EXAMPLE_TAKES[QVAC].values():
            assert quote in text
    else:
        assert [len(dom.tags("ins")) > 0, len(dom.tags("del")) > 0] == [True, True]


def test_compare_page_screenshot(browser: Browser, workspace: Workspace, tmp_path: Path) -> None:
    for slug in (HAIKU, QVAC):
        draft_panel(workspace, slug)
    approve_takes(workspace, HAIKU, None)
    approve_takes(workspace, QVAC, ["dx", "strategist"])
    page = tmp_path / "compare.html"
    result = CliRunner().invoke(app, ["compare", HAIKU, QVAC, "--html", str(page),
                                      "--workspace", str(workspace.root)])
    assert result.exit_code == 0, result.output
    text = DomElements(browser.dump_dom(page)).visible_text
    assert "Comparison preview" in text and text.count("approved") >= 7
    browser.screenshot(page, "compare-page.png", "1280,2600")
