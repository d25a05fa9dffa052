"""Every published and compare page passes axe-core's rules in Chromium, contrast included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from axe_check import AxeBrowser, chromium_available
from panel_helpers import HAIKU, QVAC, draft_panel, edit_draft, write_take
from panelist.review.approval import approve_takes
from panelist.review.catalogue import build_compare_view
from panelist.review.publish import publish
from panelist.review.site import render_compare_html
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace, write_atomic

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe() -> Iterator[AxeBrowser]:
    if not chromium_available():
        pytest.skip("no chromium (Debian: apt-get install -y chromium)")
    with AxeBrowser() as browser:
        yield browser


def every_page(workspace: Workspace, out: Path) -> dict[str, Path]:
    """Each kind of page, with every state a take can be in: approved, draft, edited after
    approval, missing, and a persona with several takes."""
    draft_panel(workspace, HAIKU)
    draft_panel(workspace, QVAC)
    approve_takes(workspace, HAIKU, None, approver="Ada Editor")
    approve_takes(workspace, QVAC, None, approver="Ada Editor")
    pages: dict[str, Path | str] = {
        "published A vs B": publish(workspace, [HAIKU, QVAC], out_dir=out).paths[0],
        "published review": publish(workspace, [HAIKU], out_dir=out).paths[0]}
    dx = DraftStore(workspace).read(QVAC, "dx")
    assert dx is not None
    edit_draft(dx, quote=dx.quote.replace("The primitive", "The core primitive"))
    write_take(workspace, QVAC, "creative", "skip", (
        "Offline captions and translation on the phone are the draw, but speech and OCR on "
        "the device have no track record yet, and creators will not trust their recordings to "
        "a stablecoin company's SDK until they do."))  # a second take, unapproved
    workspace.draft_path(QVAC, "strategist").unlink()
    preview = publish(workspace, [HAIKU, QVAC], include_unapproved=True, out_dir=out / "preview")
    pages["preview A vs B"] = preview.paths[0]
    views = {"compare panel": (QVAC, None, False), "compare products": (HAIKU, QVAC, False),
             "compare takes": (QVAC, "creative", True)}
    for name, (product, other, takes) in views.items():
        path = out / f"{name.replace(' ', '-')}.html"
        write_atomic(path, render_compare_html(
            workspace, build_compare_view(workspace, product, other, takes=takes)))
        pages[name] = path
    return {name: Path(path) for name, path in pages.items()}


def test_every_page_passes_axe(axe: AxeBrowser, workspace: Workspace, tmp_path: Path) -> None:
    pages = every_page(workspace, tmp_path / "pages")
    found = {name: axe.violations(path) for name, path in pages.items()}
    failures = {name: [str(v) for v in violations] for name, violations in found.items()
                if violations}
    assert failures == {}, "\n".join(f"{name}: {line}" for name, lines in failures.items()
                                     for line in lines)
