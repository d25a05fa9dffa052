"""axe-core in a real Chromium: the accessibility rules a page breaks, for any test to reuse.

axe-core 4.12.1 comes with the axe-playwright-python package (its ``axe.min.js``); Playwright
drives Debian's chromium, since Playwright's own browser download cannot work here. Every rule
axe runs by default is checked, ``color-contrast`` (WCAG AA, 4.5:1) included
(https://github.com/dequelabs/axe-core/blob/develop/doc/rule-descriptions.md).

    with AxeBrowser() as axe:
        assert axe.violations(page_path) == []

    assert page_violations(page) == []   # a Playwright page already open (the desk's specs)
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str | None
    help: str
    targets: list[str]  # CSS selectors of the failing nodes
    detail: str  # axe's explanation for the first node, e.g. the contrast ratio found

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:3]) + (" …" if len(self.targets) > 3 else "")
        return (f"{self.rule} ({self.impact}, {len(self.targets)} nodes): {self.help}; "
                f"{shown}; {self.detail}")


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file() or shutil.which("chromium") is not None


class AxeBrowser:
    """One headless Chromium for a series of pages; use as a context manager."""

    def __init__(self, width: int = 1280, height: int = 900) -> None:
        self.viewport = {"width": width, "height": height}
        self._playwright: Any = None
        self._browser: Any = None

    def __enter__(self) -> AxeBrowser:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM,
                                                         args=LAUNCH_ARGS)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def violations(self, page_path: Path) -> list[Violation]:
        """Every axe rule the page at ``page_path`` breaks (empty when it passes)."""
        page = self._browser.new_page(viewport=self.viewport)
        try:
            page.goto(page_path.resolve().as_uri())
            return page_violations(page)
        finally:
            page.close()


def page_violations(page: Any) -> list[Violation]:
    """Every axe rule a page open in Playwright breaks, as it stands now (after any clicks)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [_violation(found) for found in results.response["violations"]]


def _violation(found: dict[str, Any]) -> Violation:
    nodes = found.get("nodes", [])
    targets = [" ".join(map(str, node.get("target", []))) for node in nodes]
    detail = nodes[0].get("failureSummary", "").replace("\n", " ") if nodes else ""
    return Violation(rule=found["id"], impact=found.get("impact"), help=found["help"],
                     targets=targets, detail=detail)
