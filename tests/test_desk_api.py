"""The desk's JSON API over a real server: save with a hash, stale saves, redo, approve, publish."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from desk_helpers import RunningDesk, running_desk
from fake_messages_api import FakeMessagesAPI
from panel_helpers import EXAMPLE_TAKES, HAIKU, QVAC, draft_panel, edit_draft
from panelist.cli.app import app
from panelist.desk.app import create_app
from panelist.desk.security import Guard
from panelist.models import Draft
from panelist.review.approval import approve_takes
from panelist.review.catalogue import catalogue_rows
from panelist.review.signoff import approver_name
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

REFERENCE_ORDER = ["dx", "skeptic", "strategist", "buyer", "creative"]
NEW_QUOTE = ("One SDK for text, vision and speech on the device is a real shortcut. I would "
             "start offline and leave the peer-to-peer layer for later, once the basics hold.")


@pytest.fixture
def desk(workspace: Workspace) -> Iterator[RunningDesk]:
    draft_panel(workspace, QVAC)
    with running_desk(workspace) as running:
        yield running


def drafts_by_persona(desk: RunningDesk, slug: str = QVAC) -> dict[str, dict[str, object]]:
    reply = desk.request("GET", f"/api/products/{slug}/drafts")
    assert reply.status == 200, reply.text
    return {item["persona"]: item for item in reply.json}


def drafts_of(desk: RunningDesk, persona: str) -> Draft:
    draft = DraftStore(desk.workspace).read(QVAC, persona)
    assert draft is not None
    return draft


def status_rows(workspace: Workspace) -> dict[str, dict[str, object]]:
    result = CliRunner().invoke(app, ["status", QVAC, "--json", "--workspace",
                                      str(workspace.root)])
    assert result.exit_code == 0, result.output
    return {row["persona"]: row for row in json.loads(result.output)}


def test_drafts_list_each_persona_with_verdict_quote_status_and_hash(desk: RunningDesk) -> None:
    drafts = drafts_by_persona(desk)
    assert sorted(drafts) == sorted(EXAMPLE_TAKES[QVAC])
    dx = drafts["dx"]
    assert dx["verdict"] == "ship" and dx["quote"] == EXAMPLE_TAKES[QVAC]["dx"][1]
    assert dx["status"] == "draft" and dx["edited"] is False and dx["take"] == 1
    assert str(dx["hash"]).startswith("sha256:")


def test_save_writes_the_file_and_status_says_edited(desk: RunningDesk) -> None:
    dx = drafts_by_persona(desk)["dx"]
    reply = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx",
                         {"quote": NEW_QUOTE, "verdict": "skip", "hash": dx["hash"]})

    assert reply.status == 200, reply.text
    assert reply.json["hash"] != dx["hash"] and reply.json["edited"] is True
    draft = DraftStore(desk.workspace).read(QVAC, "dx")
    assert draft is not None and draft.quote == NEW_QUOTE and draft.meta.verdict == "skip"
    assert draft.meta.take == 1 and draft.meta.reasons == ["one", "two"]  # front matter kept
    assert status_rows(desk.workspace)["dx"]["edited"] is True
    assert drafts_by_persona(desk)["dx"]["hash"] == reply.json["hash"]


def test_save_against_a_file_changed_since_is_refused_with_both_versions(
        desk: RunningDesk) -> None:
    dx = drafts_by_persona(desk)["dx"]
    store = DraftStore(desk.workspace)
    draft = store.read(QVAC, "dx")
    assert draft is not None
    edit_draft(draft, quote="Edited in the terminal meanwhile.")  # another editor, by hand

    reply = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx",
                         {"quote": NEW_QUOTE, "verdict": "ship", "hash": dx["hash"]})

    assert reply.status == 409
    assert "changed since you opened it" in reply.json["error"]
    assert reply.json["current"]["quote"] == "Edited in the terminal meanwhile."
    kept = store.read(QVAC, "dx")
    assert kept is not None and kept.quote == "Edited in the terminal meanwhile."
    retry = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx",
                         {"quote": NEW_QUOTE, "verdict": "ship",
                          "hash": reply.json["current"]["hash"]})
    assert retry.status == 200


@pytest.mark.parametrize("body, problem", [
    ({"quote": "x", "verdict": "maybe", "hash": "sha256:0"}, "'verdict'"),
    ({"quote": "x", "verdict": "ship"}, "missing field 'hash'"),
    ({"quote": 3, "verdict": "ship", "hash": "sha256:0"}, "'quote' has the wrong type"),
    ({"quote": "x", "verdict": "ship", "hash": "h", "status": "approved"}, "unknown field"),
    ("not json", "not JSON"),
], ids=["bad-verdict", "no-hash", "quote-not-text", "unknown-field", "not-json"])
def test_bad_save_bodies_are_refused_and_change_nothing(desk: RunningDesk, body: object,
                                                        problem: str) -> None:
    before = DraftStore(desk.workspace).read(QVAC, "dx")
    reply = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx", body)
    assert reply.status == 400 and problem in reply.json["error"]
    assert DraftStore(desk.workspace).read(QVAC, "dx") == before


def test_redo_with_a_note_drafts_a_new_take_and_keeps_the_old_in_history(
        desk: RunningDesk, claude_env: FakeMessagesAPI) -> None:
    reply = desk.request("POST", f"/api/products/{QVAC}/drafts/buyer/redo",
                         {"note": "harder on pricing"})
    assert reply.status == 202, reply.text
    assert reply.headers["location"] == f"/api/runs/{reply.json['id']}"

    run = desk.wait_for_run(reply.json["id"])
    assert run["state"] == "done", run
    buyer = drafts_by_persona(desk)["buyer"]
    assert buyer["take"] == 2 and buyer["note"] == "harder on pricing"
    assert buyer["quote"] != EXAMPLE_TAKES[QVAC]["buyer"][1]
    history = DraftStore(desk.workspace).history(QVAC, "buyer")
    assert [entry.take for entry in history] == [1, 2]
    old = DraftStore(desk.workspace).read_take(QVAC, "buyer", 1)
    assert old.quote == EXAMPLE_TAKES[QVAC]["buyer"][1]
    sent = [r for r in claude_env.requests if r["path"] == "/v1/messages"]
    assert len(sent) == 1 and "harder on pricing" in json.dumps(sent[0]["json"])


@pytest.mark.parametrize("protect", ["edited", "approved"])
def test_redo_of_an_edited_or_approved_draft_is_refused(
        desk: RunningDesk, claude_env: FakeMessagesAPI, protect: str) -> None:
    draft = DraftStore(desk.workspace).read(QVAC, "dx")
    assert draft is not None
    if protect == "edited":
        edit_draft(draft, quote="My own words now.")
    else:
        approve_takes(desk.workspace, QVAC, ["dx"])
    before = draft.path.read_text()

    reply = desk.request("POST", f"/api/products/{QVAC}/drafts/dx/redo", {"note": "again"})

    assert reply.status == 409 and f"was {protect} by an editor" in reply.json["error"]
    assert draft.path.read_text() == before or protect == "edited"
    assert claude_env.requests == []


def test_approve_marks_the_draft_approved_like_the_cli(desk: RunningDesk) -> None:
    dx = drafts_by_persona(desk)["dx"]
    reply = desk.request("POST", f"/api/products/{QVAC}/drafts/dx/approve",
                         {"hash": dx["hash"]})

    assert reply.status == 200, reply.text
    assert reply.json["status"] == "approved" and reply.json["approval"]["outcome"] == "approved"
    assert status_rows(desk.workspace)["dx"]["status"] == "approved"
    stale = desk.request("POST", f"/api/products/{QVAC}/drafts/skeptic/approve",
                         {"hash": dx["hash"]})
    assert stale.status == 409

    back = desk.request("POST", f"/api/products/{QVAC}/drafts/dx/unapprove", {})
    assert back.status == 200 and back.json["status"] == "draft"
    draft = DraftStore(desk.workspace).read(QVAC, "dx")
    assert draft is not None and draft.meta.approved_at is None and draft.meta.draft is True


def test_a_save_of_an_approved_draft_is_edited_after_approval_until_approved_again(
        desk: RunningDesk) -> None:
    approve_takes(desk.workspace, QVAC, ["dx"])
    dx = drafts_by_persona(desk)["dx"]
    assert dx["status"] == "approved" and dx["approved_by"] and dx["approved_at"]
    saved = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx",
                         {"quote": NEW_QUOTE, "verdict": "ship", "hash": dx["hash"]})

    assert saved.status == 200 and saved.json["status"] == "edited after approval"
    assert status_rows(desk.workspace)["dx"]["status"] == "edited after approval"
    again = desk.request("POST", f"/api/products/{QVAC}/drafts/dx/approve",
                         {"hash": saved.json["hash"]})
    assert again.status == 200, again.text
    assert again.json["status"] == "approved"
    assert again.json["approval"]["outcome"] == "re-approved"
    assert 0 < again.json["edit_ratio"] == again.json["approval"]["edit_ratio"]
    assert again.json["approved_by"] == approver_name(desk.workspace.root)  # as the CLI records
    assert status_rows(desk.workspace)["dx"]["status"] == "approved"


def test_unapprove_in_the_desk_is_the_clis_unapprove(desk: RunningDesk) -> None:
    approve_takes(desk.workspace, QVAC, ["skeptic"])
    reply = desk.request("POST", f"/api/products/{QVAC}/drafts/skeptic/unapprove", {})
    assert reply.status == 200, reply.text
    assert reply.json["status"] == "draft" and reply.json["approved_by"] is None
    assert reply.json["unapproval"]["outcome"] == "unapproved"
    draft = DraftStore(desk.workspace).read(QVAC, "skeptic")
    assert draft is not None and draft.meta.approved_hash is None
    assert draft.quote == EXAMPLE_TAKES[QVAC]["skeptic"][1]


def test_cards_come_in_panel_order(desk: RunningDesk) -> None:
    def card_order() -> tuple[list[str], list[str]]:
        page = desk.request("GET", f"/products/{QVAC}").text
        return (re.findall(r'<article class="card[^"]*" id="card-([a-z]+)"', page),
                list(drafts_by_persona(desk)))

    assert card_order() == (REFERENCE_ORDER, REFERENCE_ORDER)
    path = desk.workspace.personas_dir / "creative.md"
    path.write_text(path.read_text(encoding="utf-8").replace("order: 5", "order: 0"),
                    encoding="utf-8")
    moved = ["creative", *REFERENCE_ORDER[:-1]]
    assert card_order() == (moved, moved)


def test_the_catalogue_does_not_count_an_edit_after_approval_as_approved(
        desk: RunningDesk) -> None:
    approve_takes(desk.workspace, QVAC, None)
    draft = DraftStore(desk.workspace).read(QVAC, "buyer")
    assert draft is not None
    edit_draft(draft, verdict="ship")
    row = next(r for r in desk.request("GET", "/api/products").json if r["slug"] == QVAC)
    assert (row["approved"], row["stage"], row["ship_percent"]) == (4, "in review", 80)


def test_the_chooser_names_each_take_that_blocks_publish(desk: RunningDesk) -> None:
    approve_takes(desk.workspace, QVAC, ["dx", "skeptic", "strategist", "buyer"])
    edit_draft(drafts_of(desk, "dx"), quote="Edited after approval, and TODO check this.")
    page = desk.request("GET", f"/compare?a={QVAC}").text
    assert re.search(r'data-action="publish"[^>]* disabled', page)
    assert f"<li>{QVAC} / creative: not approved</li>" in page
    assert f"<li>{QVAC} / dx: edited after approval; lint error, placeholder text" in page
    refused = desk.request("POST", "/api/publish", {"products": [QVAC]})
    assert refused.status == 409 and f"{QVAC} / dx" in refused.json["error"]


def test_approving_a_placeholder_quote_is_refused(desk: RunningDesk) -> None:
    dx = drafts_by_persona(desk)["dx"]
    saved = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx",
                         {"quote": "TODO write this", "verdict": "ship", "hash": dx["hash"]})
    reply = desk.request("POST", f"/api/products/{QVAC}/drafts/dx/approve",
                         {"hash": saved.json["hash"]})
    assert reply.status == 400 and "placeholder text" in reply.json["error"]
    card = desk.request("GET", f"/products/{QVAC}/cards/dx").text
    assert "Approval blocked by 1 lint error" in card and "placeholder text" in card
    assert re.search(r'data-action="approve"[^>]* disabled aria-describedby="blocked-dx"', card)


def test_a_draft_whose_history_was_deleted_still_opens(desk: RunningDesk) -> None:
    shutil.rmtree(desk.workspace.product_drafts_dir(QVAC) / "history")
    page = desk.request("GET", f"/products/{QVAC}")
    assert page.status == 200 and EXAMPLE_TAKES[QVAC]["dx"][1] in page.text


def test_products_list_counts_drafted_edited_approved(desk: RunningDesk) -> None:
    draft = DraftStore(desk.workspace).read(QVAC, "skeptic")
    assert draft is not None
    edit_draft(draft, quote="Shorter now, and mine.")
    approve_takes(desk.workspace, QVAC, ["dx", "buyer"])

    rows = {row["slug"]: row for row in desk.request("GET", "/api/products").json}

    assert rows[QVAC]["name"] == "Tether QVAC SDK"
    assert (rows[QVAC]["drafted"], rows[QVAC]["edited"], rows[QVAC]["approved"]) == (5, 1, 2)
    assert rows[QVAC]["ship_percent"] == 60 and rows[QVAC]["stage"] == "in review"
    assert rows[HAIKU]["drafted"] == 0 and rows[HAIKU]["stage"] == "undrafted"


def test_products_list_follows_files_changed_behind_the_desk(desk: RunningDesk) -> None:
    def qvac() -> dict[str, object]:
        rows = desk.request("GET", "/api/products").json
        return next(row for row in rows if row["slug"] == QVAC)

    assert (qvac()["edited"], qvac()["approved"]) == (0, 0)
    draft = DraftStore(desk.workspace).read(QVAC, "buyer")
    assert draft is not None
    edit_draft(draft, quote="Rewritten in an editor.")
    approve_takes(desk.workspace, QVAC, ["dx"])
    assert (qvac()["edited"], qvac()["approved"]) == (1, 1)
    (desk.workspace.products_dir / f"{HAIKU}.md").unlink()
    assert HAIKU not in [row["slug"] for row in desk.request("GET", "/api/products").json]


@pytest.mark.parametrize("query, shown", [
    ("", [HAIKU, QVAC]), ("?q=tether", [QVAC]), ("?q=HAIKU", [HAIKU]),
    ("?stage=undrafted", [HAIKU]), ("?stage=in+review&q=sdk", [QVAC]), ("?q=nothing", []),
], ids=["all", "by-name", "case-insensitive", "by-stage", "both", "none"])
def test_catalogue_page_filters_by_text_and_stage(desk: RunningDesk, query: str,
                                                  shown: list[str]) -> None:
    page = desk.request("GET", f"/{query}")
    assert page.status == 200
    assert [slug for slug in (HAIKU, QVAC) if f'href="/products/{slug}"' in page.text] == shown
    assert f"{len(shown)} shown" in page.text


def test_catalogue_warm_up_builds_every_row_before_the_first_request(
        workspace: Workspace) -> None:
    draft_panel(workspace, QVAC)
    desk = create_app(workspace, Guard(token="t", host="127.0.0.1", port=1)).state.desk
    desk.warm_up().join(30)
    assert (workspace.state_dir / "index.sqlite3").is_file()
    draft = DraftStore(workspace).read(QVAC, "dx")
    assert draft is not None
    edit_draft(draft, quote="Changed after the warm-up.")
    rows = {row.slug: row for row in catalogue_rows(workspace)}
    assert rows[QVAC].edited == 1 and rows[HAIKU].drafted == 0


def test_a_catalogue_read_during_the_warm_up_waits_for_it_and_derives_nothing_again(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from panelist.review.take_rows import TakeDeriver

    draft_panel(workspace, QVAC)
    derived: list[int] = []  # takes derived, per read that derived any
    release = threading.Event()
    original = TakeDeriver.derive

    def held(self: TakeDeriver, jobs: Any, kept: Any = None) -> Any:
        if not derived:
            release.wait(30)  # the warm-up is held until the page has been asked for
        derived.append(len(jobs))
        return original(self, jobs, kept)

    monkeypatch.setattr(TakeDeriver, "derive", held)
    desk = create_app(workspace, Guard(token="t", host="127.0.0.1", port=1)).state.desk
    desk.warm_up()
    threading.Timer(0.3, release.set).start()
    rows = {row.slug: row for row in catalogue_rows(desk.settled())}

    assert derived == [5]  # the warm-up's; the page read the index the warm-up wrote
    assert rows[QVAC].drafted == 5 and rows[HAIKU].drafted == 0


def test_new_product_is_validated_like_a_product_file(desk: RunningDesk) -> None:
    fields = {"slug": "new-tool", "name": "New Tool", "tagline": "Does a thing",
              "category": "Developer Tools", "pricing": "Cheap", "description": "It does it."}
    bad = desk.request("POST", "/api/products", fields)
    assert bad.status == 400 and "products/new-tool.md: field 'pricing'" in bad.json["error"]
    assert not (desk.workspace.products_dir / "new-tool.md").exists()

    good = desk.request("POST", "/api/products", {**fields, "pricing": "Free"})
    assert good.status == 201, good.text
    assert desk.workspace.load_product("new-tool").description == "It does it."
    again = desk.request("POST", "/api/products", {**fields, "pricing": "Free"})
    assert again.status == 400 and "already exists" in again.json["error"]


def test_publish_is_refused_until_every_take_is_approved(desk: RunningDesk) -> None:
    refused = desk.request("POST", "/api/publish", {"products": [QVAC]})
    assert refused.status == 409 and "Not approved yet" in refused.json["error"]
    assert not desk.workspace.site_dir.exists()

    approve_takes(desk.workspace, QVAC, None)
    published = desk.request("POST", "/api/publish", {"products": [QVAC]})
    assert published.status == 200, published.text
    assert published.json["paths"] == [f"site/{QVAC}.html", f"site/{QVAC}.md", f"site/{QVAC}.json"]


def test_publish_refuses_a_lint_error_even_in_an_approved_take(desk: RunningDesk) -> None:
    draft = drafts_of(desk, "buyer")
    edit_draft(draft, quote=draft.quote + " TODO check this.")
    approve_takes(desk.workspace, QVAC, None, allow_lint_errors=True)  # the CLI-only override

    refused = desk.request("POST", "/api/publish", {"products": [QVAC]})

    assert refused.status == 409, refused.text
    assert f"drafts/{QVAC}/buyer.md: placeholder text" in refused.json["error"]
    assert not desk.workspace.site_dir.exists()


def test_the_desk_imports_neither_typer_nor_rich() -> None:
    """The desk is a sibling adapter of the CLI, not a user of it."""
    code = ("import sys, panelist.desk.app, panelist.desk.server; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'rich'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_draft_the_panel_leaves_a_persona_whose_answer_is_due_in_a_batch(
        workspace: Workspace, claude_env: FakeMessagesAPI) -> None:
    runner = CliRunner()
    submitted = runner.invoke(app, ["draft", HAIKU, "--persona", "dx", "--batch",
                                    "--workspace", str(workspace.root)])
    assert submitted.exit_code == 0, submitted.output
    with running_desk(workspace) as desk:
        reply = desk.request("POST", f"/api/products/{HAIKU}/draft", {})
        assert reply.status == 202, reply.text
        run = desk.wait_for_run(reply.json["id"])

    assert run["state"] == "done", run
    assert sorted(p["persona"] for p in run["personas"]) == [
        "buyer", "creative", "skeptic", "strategist"]
    sent = [r for r in claude_env.requests if r["path"] == "/v1/messages"]
    assert len(sent) == 4, "dx waits for its batch; it is not drafted (and paid) twice"
    assert DraftStore(workspace).read(HAIKU, "dx") is None


def test_draft_the_panel_with_every_persona_drafted_says_redo_one(desk: RunningDesk) -> None:
    reply = desk.request("POST", f"/api/products/{QVAC}/draft", {})
    assert reply.status == 400
    assert reply.json["error"] == (f"Nothing to draft on {QVAC}'s panel: every persona has a "
                                   f"draft: redo one to draft a new take")


def test_draft_the_panel_with_the_rest_waiting_in_a_batch_names_the_batch(
        workspace: Workspace, claude_env: FakeMessagesAPI) -> None:
    draft_panel(workspace, HAIKU)
    (workspace.product_drafts_dir(HAIKU) / "dx.md").unlink()
    submitted = CliRunner().invoke(app, ["draft", HAIKU, "--batch",
                                         "--workspace", str(workspace.root)])
    assert submitted.exit_code == 0, submitted.output
    with running_desk(workspace) as desk:
        reply = desk.request("POST", f"/api/products/{HAIKU}/draft", {})

    assert reply.status == 400
    assert f"Nothing to draft on {HAIKU}'s panel: 1 persona(s) are waiting in batch msgbatch_" \
        in reply.json["error"]
    assert len(claude_env.batches) == 1, "nothing was drafted or submitted again"
