"""What the desk accepts as a body, and the store's one text rule for every writer: a body over
the cap however it is sent, text a file must not hold, JSON that would crash a parser. Each is a
4xx naming the problem, never a 500, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desk_helpers import RunningDesk, running_desk
from panel_helpers import QVAC, draft_panel
from panelist.cli.app import app
from panelist.errors import FileFormatError
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

DX = f"/api/products/{QVAC}/drafts/dx"
# JSON text with the escapes as JSON writes them: json.dumps would refuse a lone surrogate.
HOSTILE = {"nul": ("Fine\\u0000words", "NUL"),
           "lone-surrogate": ("Fine \\ud800 words", "lone surrogate"),
           "escape-sequence": ("Fine \\u001b[31mred\\u001b[0m words", "escape character"),
           "bell": ("Fine \\u0007 words", "control character"),
           "c1-control": ("Fine \\u009b31m words", "control character")}
PRODUCT = {"slug": "pocket-notes", "name": "Pocket Notes", "tagline": "Notes that sum up",
           "category": "Productivity", "pricing": "Freemium"}


@pytest.fixture
def desk(workspace: Workspace) -> Iterator[RunningDesk]:
    draft_panel(workspace, QVAC)
    with running_desk(workspace) as running:
        yield running


def dx_file(desk: RunningDesk) -> bytes:
    return (desk.workspace.drafts_dir / QVAC / "dx.md").read_bytes()


def dx_hash(desk: RunningDesk) -> str:
    reply = desk.request("GET", f"/api/products/{QVAC}/drafts")
    return str(next(d["hash"] for d in reply.json if d["persona"] == "dx"))


def still_readable(desk: RunningDesk, slug: str = QVAC) -> None:
    """The product reads in the CLI (``status``) and in the desk (its drafts, its page)."""
    result = CliRunner().invoke(app, ["status", slug, "--json", "--workspace",
                                      str(desk.workspace.root)])
    assert result.exit_code == 0, result.output
    assert desk.request("GET", f"/api/products/{slug}/drafts").status == 200
    assert desk.request("GET", f"/products/{slug}").status == 200


def test_a_chunked_2mb_put_is_refused_with_413_and_the_file_is_unchanged(
        desk: RunningDesk) -> None:
    before = dx_file(desk)
    quote = "word " * 400_000  # 2 MB, sent in 64 KB chunks with no Content-Length
    body = json.dumps({"quote": quote, "verdict": "ship", "hash": dx_hash(desk)}).encode()
    chunks = [body[i:i + 65536] for i in range(0, len(body), 65536)]

    reply = desk.send_chunked("PUT", DX, chunks)

    assert reply.status == 413 and "too large" in reply.json["error"]
    assert dx_file(desk) == before
    still_readable(desk)


def test_a_small_chunked_put_is_read_whole_and_saved(desk: RunningDesk) -> None:
    body = json.dumps({"quote": "Short and fine, sent in chunks.", "verdict": "skip",
                       "hash": dx_hash(desk)}).encode()
    reply = desk.send_chunked("PUT", DX, [body[:10], body[10:]])
    assert reply.status == 200, reply.text
    draft = DraftStore(desk.workspace).read(QVAC, "dx")
    assert draft is not None and draft.quote == "Short and fine, sent in chunks."


def test_a_content_length_over_the_cap_is_refused_before_the_body_is_read(
        desk: RunningDesk) -> None:
    reply = desk.request("PUT", DX, "{}", headers={"Content-Length": "5000000"})
    assert reply.status == 413


@pytest.mark.parametrize("text, named", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_quote_the_file_cannot_hold_is_refused_naming_the_field_and_nothing_is_written(
        desk: RunningDesk, text: str, named: str) -> None:
    before = dx_file(desk)
    body = f'{{"quote": "{text}", "verdict": "ship", "hash": "{dx_hash(desk)}"}}'

    reply = desk.request("PUT", DX, body)

    assert reply.status == 400, reply.text
    assert "field 'quote'" in reply.json["error"] and named in reply.json["error"]
    assert dx_file(desk) == before
    still_readable(desk)


@pytest.mark.parametrize("text, named", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_new_product_with_such_a_description_is_refused_and_no_file_is_created(
        desk: RunningDesk, text: str, named: str) -> None:
    fields = json.dumps(PRODUCT)[:-1] + f', "description": "{text}"}}'

    reply = desk.request("POST", "/api/products", fields)

    assert reply.status == 400, reply.text
    assert "field 'description'" in reply.json["error"] and named in reply.json["error"]
    assert "description" in reply.json["fields"]
    assert not (desk.workspace.products_dir / "pocket-notes.md").exists()
    retry = desk.request("POST", "/api/products", {**PRODUCT, "description": "Clean words."})
    assert retry.status == 201, retry.text  # no half-made file stands in the way
    still_readable(desk, "pocket-notes")


def test_a_note_with_an_escape_sequence_is_refused_before_any_run(desk: RunningDesk) -> None:
    reply = desk.request("POST", f"{DX}/redo", '{"note": "x \\u001b[2J"}')
    assert reply.status == 400 and "field 'note'" in reply.json["error"]


def test_a_quote_over_the_maximum_is_refused_naming_the_field(desk: RunningDesk) -> None:
    before = dx_file(desk)
    reply = desk.request("PUT", DX, {"quote": "a" * 20_001, "verdict": "ship",
                                     "hash": dx_hash(desk)})
    assert reply.status == 400 and "field 'quote'" in reply.json["error"]
    assert "20,001 characters" in reply.json["error"]
    assert dx_file(desk) == before


def test_windows_line_ends_are_text_not_control_characters(desk: RunningDesk) -> None:
    reply = desk.request("PUT", DX, {"quote": "First line.\r\nSecond line.", "verdict": "ship",
                                     "hash": dx_hash(desk)})
    assert reply.status == 200, reply.text
    assert b"\r" not in dx_file(desk)


@pytest.mark.parametrize("body", [
    "[" * 100_000 + "]" * 100_000,
    '{"quote": ' + "[" * 100_000 + "]" * 100_000 + "}",
], ids=["nested-array", "nested-in-a-field"])
def test_deeply_nested_json_is_a_400_not_a_crash(desk: RunningDesk, body: str) -> None:
    reply = desk.request("PUT", DX, body)
    assert reply.status == 400 and "nested too deeply" in reply.json["error"]


@pytest.mark.parametrize("body", ['{"\\ud800": 1}', b'{"quote": "\xff\xfe"}'.decode("latin-1")],
                         ids=["surrogate-key", "not-utf8"])
def test_odd_bytes_in_a_body_are_a_400(desk: RunningDesk, body: str) -> None:
    reply = desk.request("PUT", DX, body)
    assert reply.status == 400, reply.text


@pytest.mark.parametrize("path", [
    "/api/products/a%00b/drafts", "/api/products/x%00.md/drafts", "/products/x%00.md",
    f"/api/products/{QVAC}/drafts/d%00x", "/compare?a=x%00", "/preview?a=x%00.md",
    f"/products/{QVAC}/cards/d%00x", "/products/%FF", "/api/products/%ED%A0%80/drafts",
    "/compare?a=%FF%00", "/preview/site/%00.html", f"/api/products/{QVAC}/drafts/%FF"])
def test_a_nul_or_odd_bytes_in_a_slug_or_id_are_a_4xx_not_a_500(desk: RunningDesk,
                                                                 path: str) -> None:
    method = "PUT" if path.startswith(f"/api/products/{QVAC}/drafts/") else "GET"
    reply = desk.request(method, path, {"quote": "x", "verdict": "ship", "hash": "h"}
                         if method == "PUT" else None)
    assert reply.status in (400, 404), (reply.status, reply.text)


def test_the_store_refuses_such_text_from_any_writer(workspace: Workspace) -> None:
    """The CLI's writes (a model's take, an approval) go through the same rule as the desk's."""
    draft_panel(workspace, QVAC)
    store = DraftStore(workspace)
    draft = store.read(QVAC, "dx")
    assert draft is not None
    path = Path(draft.path)
    before = path.read_bytes()
    with pytest.raises(FileFormatError, match=r"field 'quote'.*escape character"):
        store.save_generated(draft.meta.model_copy(update={"take": 2}), "Hi \x1b[31m there")
    with pytest.raises(FileFormatError, match=r"field 'reasons\[1\]'.*NUL"):
        store.update_meta(draft, draft.meta.model_copy(update={"reasons": ["ok", "b\x00d"]}))
    assert path.read_bytes() == before
    assert [entry.take for entry in store.history(QVAC, "dx")] == [1]
