"""The desk listens to the quality gate as approve does: a card and the catalogue show the gate's
findings on the saved take, Approve of a flagged card is refused with them listed, and "Approve
anyway" (``allow_quality``) records the same override as ``approve --allow-quality``."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from axe_check import CHROMIUM, LAUNCH_ARGS, chromium_available, page_violations
from desk_helpers import RunningDesk, running_desk
from panel_helpers import EXAMPLE_TAKES, QVAC, draft_panel, edit_draft
from panelist.cli.app import app
from panelist.models import Draft
from panelist.review.signoff import judged_hash
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

CLEAN = EXAMPLE_TAKES[QVAC]["dx"][1]
SHOUTING = "Sure! Here is my take: " + CLEAN  # an assistant's wrapper: chat-wrapper
APPROVE = f"/api/products/{QVAC}/drafts/dx/approve"


@pytest.fixture
def desk(workspace: Workspace) -> Iterator[RunningDesk]:
    draft_panel(workspace, QVAC)
    edit_draft(dx_draft(workspace), quote=SHOUTING)
    with running_desk(workspace) as running:
        yield running


def dx_draft(workspace: Workspace) -> Draft:
    draft = DraftStore(workspace).read(QVAC, "dx")
    assert draft is not None
    return draft


def dx_status(workspace: Workspace) -> dict[str, object]:
    result = CliRunner().invoke(app, ["status", QVAC, "--json", "--workspace",
                                      str(workspace.root)])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return next(row for row in rows if row["persona"] == "dx")


# the API ----------------------------------------------------------------------------------

def test_a_card_carries_the_findings_on_the_saved_take(desk: RunningDesk) -> None:
    reply = desk.request("GET", f"/api/products/{QVAC}/drafts")
    cards = {card["persona"]: card for card in reply.json}
    assert cards["dx"]["quality"][0].startswith("chat-wrapper: 'Sure!'")
    assert cards["dx"]["quality_allowed"] is False
    assert cards["skeptic"]["quality"] == []


def test_approve_of_a_flagged_card_is_refused_with_the_findings(desk: RunningDesk) -> None:
    reply = desk.request("POST", APPROVE, {})
    assert reply.status == 409, reply.text
    assert reply.json["quality"][0].startswith("chat-wrapper: 'Sure!'")
    assert "the quality gate flags" in reply.json["error"]
    assert dx_status(desk.workspace)["status"] == "draft"


def test_approve_anyway_records_the_override_as_the_cli_does(desk: RunningDesk) -> None:
    reply = desk.request("POST", APPROVE, {"allow_quality": True})
    assert reply.status == 200, reply.text
    assert reply.json["approval"]["quality_allowed"] is True
    assert reply.json["quality_allowed"] is True
    draft = dx_draft(desk.workspace)
    override = draft.meta.quality_override
    assert override is not None and override.hash == judged_hash(draft)
    assert dx_status(desk.workspace)["quality"] == "chat-wrapper (approved anyway)"


def test_a_save_that_rewrites_the_take_clears_the_finding(desk: RunningDesk) -> None:
    cards = {card["persona"]: card for card in
             desk.request("GET", f"/api/products/{QVAC}/drafts").json}
    saved = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx",
                         {"quote": CLEAN, "verdict": "ship", "hash": cards["dx"]["hash"]})
    assert saved.status == 200 and saved.json["quality"] == []
    reply = desk.request("POST", APPROVE, {"hash": saved.json["hash"]})
    assert reply.status == 200, reply.text
    assert dx_draft(desk.workspace).meta.quality_override is None


def test_allow_quality_must_be_a_boolean(desk: RunningDesk) -> None:
    reply = desk.request("POST", APPROVE, {"allow_quality": "yes"})
    assert reply.status == 400 and "allow_quality" in reply.json["error"]


def test_the_catalogue_counts_the_flagged_takes(desk: RunningDesk) -> None:
    rows = {row["slug"]: row for row in desk.request("GET", "/api/products").json}
    assert rows[QVAC]["quality_flagged"] == 1 and rows[QVAC]["quality_checks"] == ["chat-wrapper"]
    page = desk.request("GET", "/")
    assert "1 flagged" in page.text


def test_the_chooser_names_a_flagged_take_among_what_blocks_publish(desk: RunningDesk) -> None:
    desk.request("POST", APPROVE, {"allow_quality": True})
    page = desk.request("GET", f"/compare?a={QVAC}")
    assert f"{QVAC} / dx" not in page.text  # approved anyway: it does not block
    draft = dx_draft(desk.workspace)
    DraftStore(desk.workspace).update_meta(draft, draft.meta.model_copy(
        update={"reasons": ["Sure! Every device gets everything.", "Offline first."]}))
    page = desk.request("GET", f"/compare?a={QVAC}")
    assert f"{QVAC} / dx: quality, chat-wrapper" in page.text  # the override no longer holds


# the page, in Chromium --------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="no /usr/bin/chromium")
def test_approve_in_the_page_is_refused_with_the_findings_then_approve_anyway(
        desk: RunningDesk) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{desk.origin}/?token={desk.token}")
            expect(page.locator("#catalogue")).to_contain_text("1 flagged")
            page.goto(f"{desk.origin}/products/{QVAC}")
            card = page.locator("#card-dx")
            expect(card.locator(".quality")).to_contain_text("chat-wrapper: 'Sure!'")
            anyway = card.get_by_role("button", name="Approve anyway")
            expect(anyway).to_be_hidden()

            card.get_by_role("button", name="Approve", exact=True).click()
            expect(card.locator(".msg")).to_contain_text(
                "Not approved: the quality gate flags chat-wrapper: 'Sure!'")
            expect(anyway).to_be_visible()
            expect(anyway).to_be_focused()
            assert dx_status(desk.workspace)["status"] == "draft"
            assert page_violations(page) == []

            anyway.click()
            expect(page.locator("#card-dx .msg")).to_have_text(
                "Approved anyway, over the quality gate.")
            expect(page.locator("#card-dx .quality")).to_contain_text(
                "approved anyway by")
            assert dx_status(desk.workspace)["quality"] == "chat-wrapper (approved anyway)"
            assert page_violations(page) == []
            assert errors == []
        finally:
            browser.close()
