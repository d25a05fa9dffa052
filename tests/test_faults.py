"""Fault suite: one fault injected for one persona of a five-persona panel.

Every fault ends in a valid draft after retries or re-ask, or in a clear per-persona failure;
the other four drafts are written either way and every file on disk parses.
"""

from __future__ import annotations

import json
import socket

import pytest
from typer.testing import CliRunner

from fake_messages_api import FakeMessagesAPI, Fault
from panelist.cli.app import app
from panelist.store.drafts import DraftStore

PRODUCT = "tether-qvac-sdk"
PANEL = ["buyer", "creative", "dx", "skeptic", "strategist"]
VALID = json.dumps({"verdict": "skip", "quote": " ".join(["solid"] * 60),
                    "reasons": ["first", "second"]})

RECOVERS = {
    "429-retry-after": [Fault("status", status=429, headers={"retry-after": "1"})],
    "429-no-retry-after": [Fault("status", status=429)],
    "529-overloaded": [Fault("status", status=529)],
    "500": [Fault("status", status=500)],
    "502": [Fault("status", status=502, body="<html>Bad gateway</html>")],
    "503": [Fault("status", status=503)],
    "504": [Fault("status", status=504)],
    "reset-mid-response": [Fault("reset")],
    "read-timeout": [Fault("hang", delay=3.0)],
    "body-not-json": [Fault("raw", status=200, body="<html>proxy error</html>",
                            headers={"content-type": "application/json"})],
    "take-not-json": [Fault("take", text="Ship it! Great product, ten out of ten.")],
    "truncated-max-tokens": [Fault("take", text=VALID[:40], stop_reason="max_tokens")],
    "empty-content": [Fault("take", text="")],
    "burst-of-5xx": [Fault("status", status=503), Fault("status", status=500),
                     Fault("status", status=529)],
}

FAILS = {
    "schema-fails-twice": ([Fault("take", text='{"verdict": "maybe"}'),
                            Fault("take", text='{"verdict": "perhaps"}')],
                           "no valid take after a re-ask"),
    "refusal": ([Fault("take", text="", stop_reason="refusal")], "refused"),
    "400-bad-request": ([Fault("status", status=400)], "rejected (400)"),
    "403-forbidden": ([Fault("status", status=403)], "(403)"),
    "404-not-found": ([Fault("status", status=404)], "(404)"),
    "429-forever": ([Fault("status", status=429)] * 10, "gave up after retries"),
}


def run_panel(runner: CliRunner, workspace, *extra: str):
    return runner.invoke(app, ["draft", PRODUCT, "--timeout", "1", *extra,
                               "--workspace", str(workspace.root)])


def assert_every_file_parses(workspace) -> None:
    store = DraftStore(workspace)
    for path in workspace.drafts_dir.rglob("*"):
        if path.is_file():
            assert not path.name.endswith(".tmp"), f"temp file left behind: {path}"
            store.read_file(path)


@pytest.mark.parametrize("faults", RECOVERS.values(), ids=RECOVERS.keys())
def test_fault_on_one_persona_recovers(runner, workspace, claude_env, faults):
    claude_env.script("dx", *faults)

    result = run_panel(runner, workspace)

    assert result.exit_code == 0, result.output
    assert sorted(DraftStore(workspace).read_all(PRODUCT)) == PANEL
    assert_every_file_parses(workspace)


@pytest.mark.parametrize(("faults", "message"), FAILS.values(), ids=FAILS.keys())
def test_fault_on_one_persona_fails_only_that_persona(runner, workspace, claude_env, faults,
                                                      message):
    claude_env.script("dx", *faults)

    result = run_panel(runner, workspace)

    assert result.exit_code == 1
    assert message in result.output and "dx" in result.output
    assert "Traceback" not in result.output
    assert sorted(DraftStore(workspace).read_all(PRODUCT)) == [p for p in PANEL if p != "dx"]
    assert_every_file_parses(workspace)


def test_server_ignoring_structured_output_still_drafts(runner, workspace, monkeypatch):
    with FakeMessagesAPI(honor_structured_output=False) as prose_server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", prose_server.base_url)
        result = run_panel(runner, workspace)

    assert result.exit_code == 0, result.output
    assert sorted(DraftStore(workspace).read_all(PRODUCT)) == PANEL


def test_connection_refused_fails_cleanly_and_writes_nothing(runner, workspace, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{closed_port}")
    monkeypatch.setenv("PANELIST_RETRY_SCALE", "0.001")

    result = run_panel(runner, workspace)

    assert result.exit_code == 1
    assert "connection failed" in result.output
    assert "Traceback" not in result.output
    assert DraftStore(workspace).read_all(PRODUCT) == {}
