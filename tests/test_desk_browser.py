"""The desk in real Chromium (Playwright driving Debian's /usr/bin/chromium): edit, stale save,
redo, approve and preview, XSS, keyboard only, axe-core, and screenshots for a human to look at.
"""

from __future__ import annotations

import re

import pytest

pytest.register_assert_rewrite("desk_tab")  # before the import: its fixtures assert

from axe_check import page_violations  # noqa: E402
from desk_helpers import RunningDesk  # noqa: E402
from desk_tab import ARTIFACTS, NEW_QUOTE, Browser, Page, Tab, expect, status_of  # noqa: E402
from fake_messages_api import FakeMessagesAPI  # noqa: E402
from helpers import build_file_tree  # noqa: E402
from panel_helpers import (  # noqa: E402
    EXAMPLE_TAKES,
    HAIKU,
    QVAC,
    XSS_IMG,
    XSS_SCRIPT,
    draft_panel,
    edit_draft,
)
from panelist.review.approval import approve_takes  # noqa: E402
from panelist.store.drafts import DraftStore  # noqa: E402

pytestmark = pytest.mark.browser
pytest_plugins = ["desk_tab"]  # the browser, desk and tab fixtures


def test_editing_a_quote_in_the_page_changes_the_file(tab: Tab) -> None:
    page = tab.open(f"/products/{QVAC}")
    card = page.locator("#card-dx")
    card.locator("textarea").fill(NEW_QUOTE)
    expect(card.locator(".wordcount")).to_contain_text(f"{len(NEW_QUOTE.split())} words")
    card.get_by_role("button", name="Save").click()

    expect(page.locator("#card-dx .msg")).to_have_text("Saved.")
    expect(page.locator("#card-dx .badge-edited")).to_be_visible()
    draft = DraftStore(tab.desk.workspace).read(QVAC, "dx")
    assert draft is not None and draft.quote == NEW_QUOTE
    assert status_of(tab.desk.workspace, "dx")["edited"] is True


def test_a_stale_save_shows_both_versions_and_saving_over_keeps_the_files_in_history(
        tab: Tab) -> None:
    page = tab.open(f"/products/{QVAC}")
    store = DraftStore(tab.desk.workspace)
    draft = store.read(QVAC, "skeptic")
    assert draft is not None
    edit_draft(draft, quote="Changed in the terminal while the page was open.")

    card = page.locator("#card-skeptic")
    card.locator("textarea").fill(NEW_QUOTE)
    card.get_by_role("button", name="Save").click()

    conflict = card.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Changed in the terminal while the page was open.")
    expect(conflict).to_contain_text(NEW_QUOTE)
    kept = store.read(QVAC, "skeptic")
    assert kept is not None and kept.quote == "Changed in the terminal while the page was open."
    conflict.get_by_role("button", name="Save mine over it").click()
    expect(page.locator("#card-skeptic .msg")).to_contain_text(
        "Saved. The file's version is kept in history: drafts/tether-qvac-sdk/history/skeptic/"
        "take-001.edited-")
    saved = store.read(QVAC, "skeptic")
    assert saved is not None and saved.quote == NEW_QUOTE
    kept_versions = [e for e in store.history(QVAC, "skeptic") if e.edited_at is not None]
    assert len(kept_versions) == 1  # the terminal's version, as 'redo --force' keeps one
    assert store.read_file(kept_versions[0].path).quote == (
        "Changed in the terminal while the page was open.")


def test_redo_with_a_note_shows_the_new_take_and_keeps_the_old_in_history(
        tab: Tab, claude_env: FakeMessagesAPI) -> None:
    page = tab.open(f"/products/{QVAC}")
    card = page.locator("#card-buyer")
    card.locator("summary", has_text="Redo with a note").click()
    card.get_by_label("Note for the model").fill("harder on pricing")
    card.get_by_role("button", name="Redo").click()

    fresh = page.locator("#card-buyer")
    expect(fresh.locator(".msg")).to_have_text("New take drafted.", timeout=30_000)
    expect(fresh.locator(".badges")).to_contain_text("take 2")
    fresh.locator("summary", has_text="History").click()
    history = fresh.locator(".history")
    expect(history).to_contain_text("note: “harder on pricing”")
    expect(history).to_contain_text("take 1")
    assert fresh.locator("textarea").input_value() != EXAMPLE_TAKES[QVAC]["buyer"][1]
    assert [e.take for e in DraftStore(tab.desk.workspace).history(QVAC, "buyer")] == [1, 2]


def test_approve_in_the_page_then_the_preview_shows_the_approved_panel(tab: Tab) -> None:
    approve_takes(tab.desk.workspace, QVAC, ["dx", "skeptic", "strategist", "buyer"])
    page = tab.open(f"/products/{QVAC}")
    page.locator("#card-creative").get_by_role("button", name="Approve").click()
    expect(page.locator("#card-creative .msg")).to_have_text("Approved.")
    assert status_of(tab.desk.workspace, "creative")["status"] == "approved"

    page = tab.open(f"/compare?a={QVAC}")
    preview = page.frame_locator("iframe.preview")
    expect(preview.locator("h1")).to_contain_text("Tether QVAC SDK")
    expect(preview.locator("body")).to_contain_text(EXAMPLE_TAKES[QVAC]["creative"][1])
    expect(preview.locator(".notice")).to_have_count(0)  # nothing unapproved on the page
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#publish-result")).to_contain_text(f"site/{QVAC}.html")
    assert (tab.desk.workspace.site_dir / f"{QVAC}.html").is_file()


def test_saving_an_approved_card_shows_edited_after_approval_until_approved_again(
        tab: Tab) -> None:
    approve_takes(tab.desk.workspace, QVAC, ["dx"], approver="Ada Editor")
    page = tab.open(f"/products/{QVAC}")
    card = page.locator("#card-dx")
    expect(card.locator(".badges")).to_contain_text("approved")
    expect(card.locator(".approval-line")).to_contain_text("Approved by Ada Editor on ")

    card.locator("textarea").fill(NEW_QUOTE)
    card.get_by_role("button", name="Save").click()
    expect(page.locator("#card-dx .msg")).to_have_text("Saved.")
    expect(page.locator("#card-dx .badge-edited-after-approval")).to_have_text(
        "edited after approval")
    expect(page.locator("#card-dx .badge-edited")).to_have_count(0)  # one mark, as in status
    expect(page.locator("#card-dx .approval-line")).to_contain_text(
        "Edited after approval (approved by Ada Editor on ")
    assert status_of(tab.desk.workspace, "dx")["status"] == "edited after approval"

    page.locator("#card-dx").get_by_role("button", name="Approve again").click()
    expect(page.locator("#card-dx .msg")).to_have_text("Approved again.")
    expect(page.locator("#card-dx .badge-approved")).to_have_text("approved")
    assert status_of(tab.desk.workspace, "dx")["status"] == "approved"
    draft = DraftStore(tab.desk.workspace).read(QVAC, "dx")
    assert draft is not None and draft.meta.edit_ratio is not None and draft.meta.edit_ratio > 0
    expect(page.locator("#card-dx .approval-line")).to_contain_text(
        f"{round(draft.meta.edit_ratio * 100)}% edited")

    page.locator("#card-dx").get_by_role("button", name="Unapprove").click()
    expect(page.locator("#card-dx .msg")).to_have_text("Back to draft.")
    expect(page.locator("#card-dx .badge-draft")).to_have_text("draft")
    assert status_of(tab.desk.workspace, "dx")["status"] == "draft"
    kept = DraftStore(tab.desk.workspace).read(QVAC, "dx")
    assert kept is not None and kept.quote == NEW_QUOTE


def test_a_lint_error_blocks_approve_on_the_card_and_says_why(tab: Tab) -> None:
    draft = DraftStore(tab.desk.workspace).read(QVAC, "buyer")
    assert draft is not None
    edit_draft(draft, quote=draft.quote + " TODO check this.")
    page = tab.open(f"/products/{QVAC}")
    card = page.locator("#card-buyer")
    approve = card.get_by_role("button", name="Approve")
    expect(approve).to_be_disabled()
    expect(approve).to_have_accessible_description(re.compile("Approval blocked by 1 lint "
                                                              "error: placeholder text"))
    expect(card.locator(".blocked")).to_be_visible()


def test_approve_waits_for_unsaved_changes_to_be_saved(tab: Tab) -> None:
    page = tab.open(f"/products/{QVAC}")
    card = page.locator("#card-dx")
    card.locator("textarea").fill(NEW_QUOTE)
    card.get_by_role("button", name="Approve").click()
    expect(card.locator(".msg")).to_contain_text("Save your changes first")
    draft = DraftStore(tab.desk.workspace).read(QVAC, "dx")
    assert draft is not None and draft.meta.status == "draft"


def test_the_chooser_previews_a_vs_b_live_and_publish_waits_for_approval(tab: Tab) -> None:
    draft_panel(tab.desk.workspace, HAIKU)
    page = tab.open(f"/compare?a={QVAC}")
    page.get_by_label("Product B").select_option(HAIKU)
    preview = page.frame_locator("iframe.preview")
    expect(preview.locator("h1")).to_contain_text("Claude Haiku Open Weights")
    expect(preview.locator(".notice")).to_contain_text("Preview, not for publication")
    publish = page.get_by_role("button", name="Publish")
    expect(publish).to_be_disabled()
    expect(publish).to_have_accessible_description(re.compile(f"{HAIKU} / dx: not approved"))
    assert page.url.endswith(f"/compare?a={QVAC}&b={HAIKU}")


@pytest.mark.parametrize("path", ["/", "/products/evil-tool", "/compare?a=evil-tool",
                                  "/api/products/evil-tool/drafts"])
def test_xss_in_name_tagline_and_description_executes_nothing(tab: Tab, path: str) -> None:
    draft_panel(tab.desk.workspace, "evil-tool",
                {"dx": ("ship", f"Fast. {XSS_SCRIPT} {XSS_IMG}")})
    page = tab.open(path)
    page.wait_for_load_state("load")
    for frame in page.frames:  # a payload that ran would have set the title to 'pwned'
        assert frame.evaluate("document.title") != "pwned"
        assert frame.locator("body script:not([src])").count() == 0
        assert frame.locator("img").count() == 0
    if path.startswith("/products"):
        assert page.title() == f"Evil Tool {XSS_SCRIPT} · panelist desk"
        expect(page.locator("h1")).to_have_text(f"Evil Tool {XSS_SCRIPT}")
        expect(page.locator(".lede")).to_contain_text(f"The tagline {XSS_IMG}")


def test_the_catalogue_filters_as_you_type(tab: Tab) -> None:
    page = tab.open("/")
    page.get_by_label("Filter").fill("evil")
    expect(page.locator("#catalogue tbody tr:visible")).to_have_count(1)
    expect(page.locator("#shown-count")).to_have_text("1 shown")
    page.get_by_label("Filter").fill("")
    expect(page.locator("#catalogue tbody tr:visible")).to_have_count(3)


def tab_to(page: Page, element_id: str) -> None:
    """Press Tab until the element has the focus, as a keyboard user would."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_a_card_can_be_edited_saved_and_approved_with_the_keyboard_only(tab: Tab) -> None:
    page = tab.open(f"/products/{QVAC}")
    tab_to(page, "quote-dx")
    page.keyboard.press("Control+A")
    page.keyboard.type(NEW_QUOTE)
    page.keyboard.press("Tab")  # to Save
    assert page.evaluate("document.activeElement.textContent") == "Save"
    page.keyboard.press("Enter")
    expect(page.locator("#card-dx .msg")).to_have_text("Saved.")
    # after a save the focus waits on Approve
    expect(page.locator("#card-dx [data-action=approve]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#card-dx .msg")).to_have_text("Approved.")
    draft = DraftStore(tab.desk.workspace).read(QVAC, "dx")
    assert draft is not None and draft.quote == NEW_QUOTE and draft.meta.status == "approved"


def test_an_approved_card_can_be_edited_approved_again_and_unapproved_with_the_keyboard(
        tab: Tab) -> None:
    approve_takes(tab.desk.workspace, QVAC, None)
    page = tab.open(f"/products/{QVAC}")
    tab_to(page, "quote-skeptic")
    page.keyboard.press("Control+End")
    page.keyboard.type(" Still worth a pilot.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Save
    expect(page.locator("#card-skeptic .badges")).to_contain_text("edited after approval")
    expect(page.locator("#card-skeptic [data-action=approve]")).to_be_focused()
    page.keyboard.press("Enter")  # Approve again
    expect(page.locator("#card-skeptic .msg")).to_have_text("Approved again.")
    expect(page.locator("#card-skeptic [data-action=unapprove]")).to_be_focused()
    page.keyboard.press("Enter")  # Unapprove
    expect(page.locator("#card-skeptic .msg")).to_have_text("Back to draft.")
    assert status_of(tab.desk.workspace, "skeptic")["status"] == "draft"


def test_a_new_product_from_the_form_then_draft_the_panel_with_progress(
        tab: Tab, claude_env: FakeMessagesAPI) -> None:
    page = tab.open("/products/new")
    page.get_by_label("Slug", exact=False).fill("pocket-notes")
    page.get_by_label("Name", exact=True).fill("Pocket Notes")
    page.get_by_label("Tagline", exact=True).fill("Notes that summarise themselves")
    page.get_by_label("Category", exact=True).fill("Productivity")
    page.get_by_label("Entry pricing", exact=True).select_option("Freemium")
    page.get_by_label("Description", exact=False).fill(
        "Pocket Notes keeps notes on the phone and writes summaries with a small model.")
    page.get_by_role("button", name="Create product").click()

    expect(page.locator("h1")).to_have_text("Pocket Notes")
    page.get_by_role("button", name="Draft the panel (5 missing)").click()
    expect(page.locator("#card-dx .badges")).to_contain_text("take 1", timeout=30_000)
    assert sorted(DraftStore(tab.desk.workspace).read_all("pocket-notes")) == sorted(
        EXAMPLE_TAKES[QVAC])


def test_the_new_product_form_shows_every_error_at_its_field(tab: Tab) -> None:
    page = tab.open("/products/new")
    for field, value in [("slug", "Bad Slug"), ("name", ""), ("tagline", "t"),
                         ("category", "c"), ("url", "ftp://x"), ("description", "Words.")]:
        page.locator(f"#{field}").fill(value)
    page.get_by_role("button", name="Create product").click()

    expect(page.get_by_role("alert")).to_contain_text("3 fields to fix")
    for field, problem in [("slug", "lowercase letters"), ("name", "is empty"),
                           ("url", "must start with http:// or https://")]:
        expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#{field}")).to_have_accessible_description(
            re.compile(re.escape(problem)))
        expect(page.locator(f"#err-{field}")).to_be_visible()
    expect(page.locator("#tagline")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#category")).to_have_value("c")  # what was typed stays
    assert page_violations(page) == []
    assert list(tab.desk.workspace.products_dir.glob("bad*")) == []


LONG_NAME_PRODUCT = """---
name: Hyperconvergedobservabilityplatformforenterpriseagentsandeverythingelse Pro
tagline: A name with no place to break
category: Observability
pricing: Enterprise
---
Watches agents.
"""
PAGES = {
    "catalogue": "/",
    "product": f"/products/{QVAC}",
    "compare": f"/compare?a={QVAC}&b={HAIKU}",
    "new-product": "/products/new",
}


@pytest.fixture
def lived_in(desk: RunningDesk) -> RunningDesk:
    """A workspace that shows every state: a draft with lint warnings (dx), an edit with a lint
    error that blocks approval (skeptic), approved takes, an edit after approval (creative)."""
    ws = desk.workspace
    draft_panel(ws, HAIKU)
    draft_panel(ws, QVAC, {"dx": ("skip", EXAMPLE_TAKES[QVAC]["dx"][1] + " Version 9.9 ships "
                                  "in March for $49 a seat.")})
    store = DraftStore(ws)
    draft = store.read(QVAC, "skeptic")
    assert draft is not None
    edit_draft(draft, quote=draft.quote.replace("powerful", "clever") + " TODO check this.")
    approve_takes(ws, QVAC, ["strategist", "buyer", "creative"])
    creative = store.read(QVAC, "creative")
    assert creative is not None
    edit_draft(creative, verdict="skip")  # edited after approval
    approve_takes(ws, HAIKU, None)
    build_file_tree(ws.root, {"products/long-name.md": LONG_NAME_PRODUCT})
    return desk


@pytest.mark.parametrize("name", list(PAGES))
def test_every_desk_page_passes_axe_and_is_screenshotted(browser: Browser, lived_in: RunningDesk,
                                                         name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        tab = Tab(browser, lived_in, width)
        try:
            page = tab.open(PAGES[name])
            page.wait_for_load_state("load")
            for details in page.locator("details.history").all()[:2]:
                details.locator("summary").click()
            # A viewport as tall as the page: full_page captures leave the sandboxed preview
            # frame unpainted below the first screen.
            height = page.evaluate("document.documentElement.scrollHeight")
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / f"desk-{name}-{width}.png"))
            violations = page_violations(page)
            assert violations == [], (width, [str(v) for v in violations])
        finally:
            tab.close()
        assert tab.problems == []
