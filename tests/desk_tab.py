"""Real Chromium on a running desk, for the desk's specs: the browser, a desk with a drafted
panel, and ``Tab``, a page that remembers any script error or CSP violation it saw.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desk_helpers import RunningDesk, running_desk
from helpers import build_file_tree
from panel_helpers import EVIL_PRODUCT, QVAC, draft_panel
from panelist.cli.app import app
from panelist.store.workspace import Workspace

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
EXPECTED_REFUSALS = ("the server responded with a status of 409",  # a stale save
                     "the server responded with a status of 400")  # a form with a bad field
NEW_QUOTE = ("One SDK for text, vision, speech and translation on the device is a real "
             "shortcut for mobile teams, and the llama.cpp lineage keeps the model formats "
             "familiar. Start with the offline path; leave the peer-to-peer layer for later.")

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (Debian: apt-get install -y chromium)",
                allow_module_level=True)

from playwright.sync_api import (  # noqa: E402
    Browser,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

__all__ = ["ARTIFACTS", "NEW_QUOTE", "Browser", "Page", "Tab", "expect", "status_of"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def desk(workspace: Workspace) -> Iterator[RunningDesk]:
    build_file_tree(workspace.root, {"products/evil-tool.md": EVIL_PRODUCT})
    draft_panel(workspace, QVAC)
    with running_desk(workspace) as running:
        yield running


class Tab:
    """A page on the desk that remembers any script error or CSP violation it saw."""

    def __init__(self, browser: Browser, desk: RunningDesk, width: int = 1280) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page: Page = self.context.new_page()
        self.desk = desk
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("console", self._console)
        self.page.on("dialog", lambda dialog: (self.problems.append("dialog"), dialog.dismiss()))
        self.page.goto(f"{desk.origin}/?token={desk.token}")

    def _console(self, message: ConsoleMessage) -> None:
        # Chromium logs every 4xx; the refusals some specs provoke are not problems.
        if message.type == "error" and not any(r in message.text for r in EXPECTED_REFUSALS):
            self.problems.append(message.text)

    def open(self, path: str) -> Page:
        self.page.goto(self.desk.origin + path)
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Browser, desk: RunningDesk) -> Iterator[Tab]:
    opened = Tab(browser, desk)
    yield opened
    opened.close()
    assert opened.problems == []


def status_of(workspace: Workspace, persona: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["status", QVAC, "--json", "--workspace",
                                      str(workspace.root)])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return next(row for row in rows if row["persona"] == persona)
