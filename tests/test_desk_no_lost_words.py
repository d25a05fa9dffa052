"""The desk's API keeps every version an editor might want back, and says what changed since an
approval the way the CLI does: a save over a conflict, a forced redo, the approved text."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from desk_helpers import RunningDesk, running_desk
from fake_messages_api import FakeMessagesAPI
from panel_helpers import QVAC, draft_panel, edit_draft
from panelist.cli.app import app
from panelist.review.approval import approve_takes, unapprove_takes
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

HAND_EDIT = "Rewritten by hand in the terminal while the page was open: keep it."
MINE = ("Written in the desk: one SDK for text, vision and speech on the device, through QVAC "
        "Fabric, a fork of llama.cpp. Worth a pilot.")


@pytest.fixture
def desk(workspace: Workspace) -> Iterator[RunningDesk]:
    draft_panel(workspace, QVAC)
    with running_desk(workspace) as running:
        yield running


def card(desk: RunningDesk, persona: str) -> dict[str, object]:
    reply = desk.request("GET", f"/api/products/{QVAC}/drafts")
    return next(d for d in reply.json if d["persona"] == persona)


def hand_edit(desk: RunningDesk, persona: str, **change: str) -> None:
    draft = DraftStore(desk.workspace).read(QVAC, persona)
    assert draft is not None
    edit_draft(draft, **change)


def test_saving_over_a_conflict_keeps_the_files_version_in_history(desk: RunningDesk) -> None:
    seen = card(desk, "dx")["hash"]
    hand_edit(desk, "dx", quote=HAND_EDIT)
    stale = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx",
                         {"quote": MINE, "verdict": "ship", "hash": seen})
    assert stale.status == 409

    over = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx",
                        {"quote": MINE, "verdict": "ship", "save_over": True,
                         "hash": stale.json["current"]["hash"]})

    assert over.status == 200, over.text
    assert str(over.json["kept"]).startswith("drafts/tether-qvac-sdk/history/dx/take-001.edited-")
    store = DraftStore(desk.workspace)
    assert store.read_file(desk.workspace.root / str(over.json["kept"])).quote == HAND_EDIT
    current = store.read(QVAC, "dx")
    assert current is not None and current.quote == MINE


def test_an_ordinary_save_writes_nothing_to_history(desk: RunningDesk) -> None:
    reply = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx",
                         {"quote": MINE, "verdict": "ship", "hash": card(desk, "dx")["hash"]})
    assert reply.status == 200 and reply.json["kept"] is None
    assert [e.take for e in DraftStore(desk.workspace).history(QVAC, "dx")] == [1]


def test_a_forced_redo_keeps_the_edited_version_in_history(
        desk: RunningDesk, claude_env: FakeMessagesAPI) -> None:
    hand_edit(desk, "buyer", quote=HAND_EDIT)
    refused = desk.request("POST", f"/api/products/{QVAC}/drafts/buyer/redo", {"note": "x"})
    assert refused.status == 409

    run = desk.request("POST", f"/api/products/{QVAC}/drafts/buyer/redo",
                       {"note": "x", "force": True})
    assert desk.wait_for_run(run.json["id"])["state"] == "done"
    store = DraftStore(desk.workspace)
    kept = [e for e in store.history(QVAC, "buyer") if e.edited_at is not None]
    assert len(kept) == 1 and store.read_file(kept[0].path).quote == HAND_EDIT


@pytest.mark.parametrize("persona", ["DX", "Dx"])
def test_put_and_approve_accept_ids_in_any_case(desk: RunningDesk, persona: str) -> None:
    saved = desk.request("PUT", f"/api/products/{QVAC.upper()}/drafts/{persona}",
                         {"quote": MINE, "verdict": "ship", "hash": card(desk, "dx")["hash"]})
    assert saved.status == 200, saved.text
    assert saved.json["persona"] == "dx"
    approved = desk.request("POST", f"/api/products/{QVAC}/drafts/{persona}/approve",
                            {"hash": saved.json["hash"]})
    assert approved.status == 200, approved.text
    assert approved.json["approval"]["persona"] == "dx"
    assert desk.request("GET", f"/products/{QVAC}/cards/{persona}").status == 200


def test_the_approved_text_is_kept_so_the_card_and_the_cli_show_what_changed(
        desk: RunningDesk) -> None:
    approve_takes(desk.workspace, QVAC, ["dx"])
    draft = DraftStore(desk.workspace).read(QVAC, "dx")
    assert draft is not None and draft.meta.approved_quote == draft.quote
    assert draft.meta.approved_verdict == "ship"
    hand_edit(desk, "dx", quote=draft.quote.replace("genuine", "real", 1))

    dx = card(desk, "dx")
    assert dx["status"] == "edited after approval"
    changed = [s for s in dx["since_approval"] if s["kind"] != "same"]  # type: ignore[union-attr]
    assert changed == [{"kind": "removed", "text": "genuine"}, {"kind": "added", "text": "real"}]

    result = CliRunner().invoke(app, ["compare", QVAC, "dx", "--since-approval", "--json",
                                      "--workspace", str(desk.workspace.root)])
    assert result.exit_code == 0, result.output
    view = json.loads(result.output)
    assert [t["kind"] for t in view["takes"]] == ["approved", "current"]
    assert [s for s in view["takes"][1]["diff"] if s["kind"] != "same"] == changed


def test_publish_refusal_points_at_the_change_since_approval(desk: RunningDesk) -> None:
    approve_takes(desk.workspace, QVAC, None)
    hand_edit(desk, "skeptic", quote=HAND_EDIT)
    reply = desk.request("POST", "/api/publish", {"products": [QVAC]})
    assert reply.status == 409
    assert f"panelist compare {QVAC} skeptic --since-approval" in reply.json["error"]
    assert "--takes" not in reply.json["error"]


def test_unapprove_drops_the_approved_text_with_the_rest_of_the_approval(
        desk: RunningDesk) -> None:
    approve_takes(desk.workspace, QVAC, ["dx"])
    unapprove_takes(desk.workspace, QVAC, ["dx"])
    draft = DraftStore(desk.workspace).read(QVAC, "dx")
    assert draft is not None
    assert draft.meta.approved_quote is None and draft.meta.approved_verdict is None
    result = CliRunner().invoke(app, ["compare", QVAC, "dx", "--since-approval",
                                      "--workspace", str(desk.workspace.root)])
    assert result.exit_code == 2 and "is not approved" in result.output


def test_publish_answers_with_workspace_paths_the_folder_and_a_page_to_open(
        desk: RunningDesk) -> None:
    approve_takes(desk.workspace, QVAC, None)
    reply = desk.request("POST", "/api/publish", {"products": [QVAC]})
    assert reply.status == 200, reply.text
    assert reply.json["paths"] == [f"site/{QVAC}.html", f"site/{QVAC}.md", f"site/{QVAC}.json"]
    assert reply.json["folder"] == str(desk.workspace.site_dir)
    page = desk.request("GET", reply.json["view"])
    assert page.status == 200 and "Tether QVAC SDK" in page.text
    assert "script-src" not in page.headers["content-security-policy"]
    assert desk.request("GET", "/preview/site/..%2Fproducts%2Fx.html").status in (400, 404)
    assert desk.request("GET", "/preview/site/nope.html").status == 404


def test_the_form_never_creates_a_product_the_cli_cannot_read(desk: RunningDesk) -> None:
    form = ("slug=pocket-notes&name=Pocket+Notes&tagline=Notes&category=Productivity"
            "&pricing=Free&url=&license=&description=Bad%00words")
    reply = desk.request("POST", "/products/new", form,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 400 and "NUL" in reply.text
    assert not (desk.workspace.products_dir / "pocket-notes.md").exists()
