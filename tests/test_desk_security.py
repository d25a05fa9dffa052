"""The desk is a web server on an editor's laptop: token, Host, Origin, CSP, paths, secrets."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from desk_helpers import RunningDesk, running_desk
from fake_messages_api import FakeMessagesAPI
from helpers import FAKE_KEY, build_file_tree
from panel_helpers import EVIL_PRODUCT, QVAC, XSS_SCRIPT, draft_panel
from panelist.desk.security import MAX_SESSIONS, Guard
from panelist.desk.server import non_loopback_warning
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

PAGES = ["/", f"/products/{QVAC}", "/products/evil-tool", "/compare",
         f"/compare?a=evil-tool&b={QVAC}", "/products/new", f"/preview?a=evil-tool&b={QVAC}",
         f"/products/{QVAC}/cards/dx", "/trials", "/calibration"]
APIS = ["/api/products", f"/api/products/{QVAC}/drafts", "/api/products/evil-tool/drafts"]


@pytest.fixture
def desk(workspace: Workspace) -> Iterator[RunningDesk]:
    build_file_tree(workspace.root, {"products/evil-tool.md": EVIL_PRODUCT})
    draft_panel(workspace, QVAC)
    draft_panel(workspace, "evil-tool", {"dx": ("ship", f"Fast. {XSS_SCRIPT}")})
    with running_desk(workspace) as running:
        yield running


@pytest.mark.parametrize("path", ["/", "/api/products", "/static/desk.js", f"/products/{QVAC}"])
def test_every_request_without_the_token_is_refused(desk: RunningDesk, path: str) -> None:
    assert desk.request("GET", path, token=False).status == 401
    wrong = desk.request("GET", path, headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status == 401
    assert desk.request("GET", f"{path}?token=not-the-token", token=False).status == 401


def test_first_visit_token_becomes_a_strict_httponly_session_cookie(desk: RunningDesk) -> None:
    first = desk.request("GET", f"/products/{QVAC}?token={desk.token}", token=False)
    assert first.status == 303 and first.headers["location"] == f"/products/{QVAC}"
    cookie = first.headers["set-cookie"]
    name, value = cookie.split(";")[0].split("=", 1)
    assert name == f"panelist_desk_{desk.port}"  # named for the port: one per desk
    assert value != desk.token and desk.token not in cookie and len(value) >= 40
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie

    again = desk.request("GET", f"/products/{QVAC}", token=False,
                         headers={"Cookie": f"{name}={value}"})
    assert again.status == 200 and "Tether QVAC SDK" in again.text
    for forged in ("guess", desk.token):  # the token itself is no session
        refused = desk.request("GET", "/", token=False, headers={"Cookie": f"{name}={forged}"})
        assert refused.status == 401


def test_two_desks_on_one_machine_keep_their_own_sessions(workspace: Workspace,
                                                          desk: RunningDesk) -> None:
    with running_desk(workspace) as other:
        cookies = {running.port: running.session_cookie() for running in (desk, other)}
        both = "; ".join(cookies.values())  # a browser sends every port's cookies to each
        for running in (desk, other):
            reply = running.request("GET", "/api/products", token=False,
                                    headers={"Cookie": both})
            assert reply.status == 200
        borrowed = other.request("GET", "/", token=False, headers={"Cookie": cookies[desk.port]
                                                                  .replace(str(desk.port),
                                                                           str(other.port))})
        assert borrowed.status == 401  # a session of one desk is nothing to the other


def test_a_write_cannot_carry_the_token_in_the_url(desk: RunningDesk) -> None:
    reply = desk.request("POST", f"/api/products/{QVAC}/drafts/dx/approve?token={desk.token}",
                         {}, token=False)
    assert reply.status == 401


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1",
                                  "192.168.1.10:{port}", ""])
def test_a_foreign_host_header_is_refused(desk: RunningDesk, host: str) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host."""
    reply = desk.request("GET", "/api/products", headers={"Host": host.format(port=desk.port)})
    assert reply.status == 400 and "Host" in reply.json["error"]


def test_localhost_names_the_same_desk(desk: RunningDesk) -> None:
    reply = desk.request("GET", "/api/products", headers={"Host": f"localhost:{desk.port}"})
    assert reply.status == 200


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1:1"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
], ids=["other-site", "null-origin", "other-port", "cross-site", "same-site"])
def test_cross_origin_writes_are_refused(desk: RunningDesk, headers: dict[str, str]) -> None:
    before = DraftStore(desk.workspace).read(QVAC, "dx")
    reply = desk.request("POST", f"/api/products/{QVAC}/drafts/dx/approve", {},
                         headers={"Cookie": desk.session_cookie(), **headers})
    assert reply.status == 403
    assert DraftStore(desk.workspace).read(QVAC, "dx") == before


def test_same_origin_writes_are_accepted(desk: RunningDesk) -> None:
    reply = desk.request("POST", f"/api/products/{QVAC}/drafts/dx/approve", {},
                         headers={"Origin": desk.origin, "Sec-Fetch-Site": "same-origin"})
    assert reply.status == 200


class Markup(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_script = False
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script = True


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_a_strict_csp_no_inline_script_and_inert_vendor_text(
        desk: RunningDesk, path: str) -> None:
    reply = desk.request("GET", path)
    assert reply.status == 200, reply.text
    csp = reply.headers["content-security-policy"]
    if path.startswith("/preview"):
        assert "script-src" not in csp and "default-src 'none'" in csp
        assert "frame-ancestors 'self'" in csp
    else:
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
    markup = Markup(reply.text)
    assert not markup.inline_script
    scripts = [attrs.get("src") for tag, attrs in markup.tags if tag == "script"]
    assert scripts in ([], ["/static/desk.js"])
    for tag, attrs in markup.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert tag != "img"
    assert "<script>document.title" not in reply.text


@pytest.mark.parametrize("path, status", [
    ("/api/products/Bad_Slug/drafts", 400),
    ("/api/products/..%2F..%2Fetc/drafts", 404),
    ("/products/nope", 404),
    ("/preview?a=..%2Fpersonas%2Fdx", 400),
    ("/compare?a=..", 400),
    ("/trials/20261206T080000Z-nope", 404),
    ("/trials/..%2F..%2Fpersonas", 404),
])
def test_slugs_and_persona_ids_are_checked_before_any_path(desk: RunningDesk, path: str,
                                                           status: int) -> None:
    assert desk.request("GET", path).status == status


@pytest.mark.parametrize("persona", ["..", "dx.md", "%2E%2E", "d%00x"])
def test_bad_persona_id_in_a_write_is_refused(desk: RunningDesk, persona: str) -> None:
    reply = desk.request("PUT", f"/api/products/{QVAC}/drafts/{persona}", {"quote": "x",
                         "verdict": "ship", "hash": "sha256:0"})
    assert reply.status == 400 and "not a valid persona name" in reply.json["error"]


def test_the_api_key_never_appears_in_a_page_or_response(
        desk: RunningDesk, claude_env: FakeMessagesAPI) -> None:
    redo = desk.request("POST", f"/api/products/{QVAC}/drafts/buyer/redo", {"note": "x"})
    desk.wait_for_run(redo.json["id"])
    for path in [*PAGES, *APIS, f"/api/runs/{redo.json['id']}", "/static/desk.js"]:
        reply = desk.request("GET", path)
        assert FAKE_KEY not in reply.text and FAKE_KEY not in str(reply.headers), path


def test_request_bodies_over_a_megabyte_are_refused(desk: RunningDesk) -> None:
    reply = desk.request("PUT", f"/api/products/{QVAC}/drafts/dx", "x" * 1_100_000)
    assert reply.status == 413


def test_a_desk_bound_to_every_interface_answers_only_to_this_machines_names() -> None:
    guard = Guard(token="t", host="0.0.0.0", port=8765)
    allowed = guard.allowed_hosts()
    assert {"127.0.0.1:8765", "localhost:8765", f"{socket.gethostname().lower()}:8765"} <= allowed
    assert "evil.example:8765" not in allowed and "127.0.0.1:1" not in allowed


def test_non_loopback_host_is_warned_about() -> None:
    assert non_loopback_warning("127.0.0.1") is None
    assert non_loopback_warning("localhost") is None
    warning = non_loopback_warning("0.0.0.0")
    assert warning is not None and "reachable from other machines" in warning


def test_desk_command_prints_one_url_with_a_fresh_token(workspace: Workspace) -> None:
    env = {**os.environ, "PANELIST_WORKSPACE": str(workspace.root)}
    command = [str(Path(sys.executable).parent / "panelist"), "desk", "--port", "0",
               "--no-browser"]
    tokens = []
    for _ in range(2):
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env, cwd=Path(workspace.root)) as process:
            try:
                line = process.stdout.readline() if process.stdout else ""
                match = re.fullmatch(
                    r"panelist desk: http://127\.0\.0\.1:(\d+)/\?token=(\S+)\n", line)
                assert match, line
                port, token = int(match.group(1)), match.group(2)
                tokens.append(token)
                running = RunningDesk(workspace, "127.0.0.1", port, token)
                assert running.request("GET", "/api/products").status == 200
                assert running.request("GET", "/api/products", token=False).status == 401
            finally:
                process.terminate()
    assert tokens[0] != tokens[1] and len(tokens[0]) >= 40


def test_ctrl_c_stops_the_desk_and_says_so(workspace: Workspace) -> None:
    env = {**os.environ, "PANELIST_WORKSPACE": str(workspace.root)}
    command = [str(Path(sys.executable).parent / "panelist"), "desk", "--port", "0",
               "--no-browser"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env, cwd=Path(workspace.root)) as process:
        line = process.stdout.readline() if process.stdout else ""
        match = re.fullmatch(r"panelist desk: http://127\.0\.0\.1:(\d+)/\?token=(\S+)\n", line)
        assert match, line
        running = RunningDesk(workspace, "127.0.0.1", int(match.group(1)), match.group(2))
        assert running.request("GET", "/").status == 200  # serving
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)

    assert process.returncode == 0
    assert out == "panelist desk: stopped\n" and err == ""


def test_sessions_are_bounded_and_the_oldest_signs_in_again() -> None:
    guard = Guard(token="t", host="127.0.0.1", port=8765)
    first = guard.new_session()
    later = [guard.new_session() for _ in range(MAX_SESSIONS)]
    assert not guard.session_matches(first)
    assert all(guard.session_matches(session) for session in later)
    assert len(guard.sessions) == MAX_SESSIONS and not guard.session_matches("t")
