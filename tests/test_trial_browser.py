"""A trial's HTML page and the desk's trial and calibration pages in real Chromium: quotes
escaped, no script ran, axe-core clean, screenshots at 1280 and 390 for a human to look at."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from axe_check import CHROMIUM, LAUNCH_ARGS, chromium_available, page_violations
from desk_helpers import RunningDesk, running_desk
from fake_messages_api import FakeMessagesAPI
from helpers import FAKE_KEY, build_file_tree, invoke
from panel_helpers import XSS_IMG, XSS_SCRIPT, write_take
from panelist.review.approval import approve_takes
from panelist.store.workspace import Workspace
from trial_helpers import OPUS, PERSONA, approved_workspace, product_file, trial_take, variant_file

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
EVIL_QUOTE = (f"The approved take quotes the vendor's own markup {XSS_SCRIPT} and an image "
              f"{XSS_IMG}, which must show as text on every page and never run, however "
              f"the trial's pages are opened and whatever the editor approved before.")

if not chromium_available():
    pytest.skip("no /usr/bin/chromium", allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@pytest.fixture
def browser(tried: tuple[Workspace, str, Path]) -> Iterator[Browser]:
    """Started after the trial has run: Playwright's sync API keeps an event loop running in
    this thread, and the CLI's asyncio.run cannot start inside it."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def tried(workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
          ) -> tuple[Workspace, str, Path]:
    """Four approved products (one approved with markup in its quote) and community votes on
    ten more, tried with a variant file and a model; the trial's id and its HTML page."""
    products = approved_workspace(workspace)
    build_file_tree(workspace.root, {"products/evil-tool.md": product_file("Evil Tool", 3, 9)})
    write_take(workspace, "evil-tool", PERSONA, "skip", EVIL_QUOTE)
    approve_takes(workspace, "evil-tool", [PERSONA], approver="Ed", allow_lint_errors=True,
                  allow_quality=True)
    for n in range(10):
        slug = f"voted-{n}"
        build_file_tree(workspace.root, {f"products/{slug}.md": product_file(slug, 9 - n, n + 1)})
        write_take(workspace, slug, "dx", "ship", EVIL_QUOTE.replace("approved", "drafted"))
    html = tmp_path / "trial.html"
    with FakeMessagesAPI(take_factory=trial_take) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        result = invoke(CliRunner(), workspace, "trial", PERSONA, "--variant",
                        str(variant_file(workspace, tmp_path)), "--model", OPUS, "--on",
                        "evil-tool", *products, "--html", str(html), "--json")
    assert result.exit_code == 0, result.output
    return workspace, json.loads(result.stdout)["id"], html


def check_page(page: Page, name: str) -> None:
    """No script ran, the markup shows as text, axe finds nothing; screenshots taken."""
    assert page.title() != "pwned"
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("img[src=x]").count() == 0
    assert page_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def test_the_trial_page_shows_quotes_as_text_and_passes_axe(
        browser: Browser, tried: tuple[Workspace, str, Path]) -> None:
    _, _, html = tried
    text = html.read_text(encoding="utf-8")
    assert "<script" not in text and "http" not in text.split("<body>")[0].replace(
        "http-equiv", "")  # nothing loaded from anywhere
    page = browser.new_page()
    page.goto(html.resolve().as_uri())
    assert XSS_SCRIPT in page.locator("body").inner_text()
    assert page.locator("figure.take").count() == 5 * 4  # approved + 3 variants, 5 products
    assert page.locator("figure.take .diff").count() == 5 * 3  # each take against the approved
    check_page(page, "trial-html")
    page.close()


@pytest.fixture
def desk(tried: tuple[Workspace, str, Path]) -> Iterator[RunningDesk]:
    with running_desk(tried[0]) as running:
        yield running


def test_the_desks_trial_and_calibration_pages_pass_axe(
        browser: Browser, desk: RunningDesk, tried: tuple[Workspace, str, Path]) -> None:
    _, trial_id, _ = tried
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{desk.origin}/?token={desk.token}")
    assert page.locator("a[href='/calibration']").count() >= 2  # the nav and the catalogue
    for path, name in (("/trials", "desk-trials"), (f"/trials/{trial_id}", "desk-trial"),
                       ("/calibration", "desk-calibration")):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(desk.origin + path)
        assert page.locator("h1").count() == 1
        check_page(page, name)
    page.goto(f"{desk.origin}/trials/{trial_id}")
    assert XSS_SCRIPT in page.locator("main").inner_text()
    page.goto(f"{desk.origin}/calibration")
    assert "ships nearly everything" in page.locator("main").inner_text()
    assert page.locator("svg.chart").count() == 2 * 5
    context.close()
    assert problems == []
