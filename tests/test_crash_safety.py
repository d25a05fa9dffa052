"""Killing panelist mid-run loses nothing, and two runs on one product never interleave."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from fake_messages_api import FakeMessagesAPI
from panelist.store import ledger
from panelist.store.drafts import DraftStore

PRODUCT = "tether-qvac-sdk"
PANEL = ["buyer", "creative", "dx", "skeptic", "strategist"]


def start_draft(workspace, server: FakeMessagesAPI, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL":
           server.base_url, "PANELIST_RETRY_SCALE": "0.01"}
    return subprocess.Popen(
        [sys.executable, "-m", "panelist", "draft", PRODUCT, "--concurrency", "2", *extra,
         "--workspace", str(workspace.root)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_consistent(workspace) -> dict:
    """Only complete drafts, every history file parses, every ledger line is whole."""
    store = DraftStore(workspace)
    drafts = store.read_all(PRODUCT)
    for persona_id, draft in drafts.items():
        history = store.history(PRODUCT, persona_id)
        assert draft.meta.take in [entry.take for entry in history]
        for entry in history:
            store.read_file(entry.path)
    lines = workspace.ledger_path.read_text().splitlines() if workspace.ledger_path.exists() else []
    assert len(ledger.read(workspace.ledger_path)) == len(lines)
    return drafts


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_run_leaves_complete_drafts_and_the_same_command_finishes(workspace, sig, seed):
    delay = random.Random(seed).uniform(0.3, 1.6)
    with FakeMessagesAPI(latency=0.3) as server:
        process = start_draft(workspace, server)
        time.sleep(delay)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=30)
        if sig == signal.SIGINT and process.returncode == 130:
            assert "run the same command again" in stderr
        assert "Traceback" not in stderr

        assert_consistent(workspace)
        finished = start_draft(workspace, server)
        _, stderr = finished.communicate(timeout=60)

    assert finished.returncode == 0, stderr
    assert sorted(assert_consistent(workspace)) == PANEL
    assert not list(workspace.drafts_dir.rglob("*.tmp"))


def test_a_second_run_on_the_same_product_is_refused(workspace):
    with FakeMessagesAPI(latency=2.0) as server:
        first = start_draft(workspace, server)
        deadline = time.monotonic() + 20
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        second = start_draft(workspace, server, "--force")
        _, second_err = second.communicate(timeout=30)
        first.communicate(timeout=60)

    assert second.returncode != 0
    assert "Another panelist run" in second_err and "Traceback" not in second_err
    assert first.returncode == 0
    assert sorted(assert_consistent(workspace)) == PANEL


def test_a_file_where_the_history_folder_should_be_stops_the_run_before_any_call(
        runner, workspace, claude_env):
    """A write the system would refuse is found before the calls are paid for (a refused
    write during a run: ``test_drafts.py::test_failed_write_leaves_the_previous_file_intact``)."""
    from panelist.cli.app import app

    args = ["draft", PRODUCT, "--workspace", str(workspace.root)]
    assert runner.invoke(app, [*args, "--persona", "dx"]).exit_code == 0
    folder = workspace.product_drafts_dir(PRODUCT)
    before = (folder / "dx.md").read_bytes()
    shutil.rmtree(folder / "history")
    (folder / "history").write_text("not a folder")
    calls = len(claude_env.requests)

    result = runner.invoke(app, [*args, "--force"])

    assert result.exit_code == 2
    assert f"drafts/{PRODUCT}/history is not a folder" in result.output
    assert "Traceback" not in result.output and len(claude_env.requests) == calls
    assert (folder / "dx.md").read_bytes() == before
    assert not list(folder.glob(".*.tmp"))
