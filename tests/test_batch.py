"""Batch mode: submit, exit, and collect later (from another process) under the draft rules."""

from __future__ import annotations

import json
import os
import re
import socketserver
import subprocess
import sys
import threading
import time

import pytest

from fake_messages_api import FakeMessagesAPI, Fault
from helpers import invoke
from panel_helpers import edit_draft
from panelist.backends.base import TokenCounts
from panelist.backends.pricing import cost_usd
from panelist.store import ledger
from panelist.store.batches import BatchStore
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

PRODUCTS = ["claude-haiku-open-weights", "tether-qvac-sdk"]
PANEL = ["buyer", "creative", "dx", "skeptic", "strategist"]




def panelist(workspace: Workspace, server: FakeMessagesAPI, *args: str
             ) -> subprocess.CompletedProcess[str]:
    """A fresh ``python -m panelist`` process, as an editor would run it later."""
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test",
           "ANTHROPIC_BASE_URL": server.base_url, "PANELIST_RETRY_SCALE": "0.01"}
    return subprocess.run([sys.executable, "-m", "panelist", *args, "--workspace",
                           str(workspace.root)], env=env, capture_output=True, text=True,
                          timeout=60)


def panelist_started(workspace: Workspace, server: FakeMessagesAPI, *args: str
                     ) -> subprocess.Popen[str]:
    env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test",
           "ANTHROPIC_BASE_URL": server.base_url, "PANELIST_RETRY_SCALE": "0.01"}
    return subprocess.Popen([sys.executable, "-m", "panelist", *args, "--workspace",
                             str(workspace.root)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_batch_submit_exit_status_and_collect_each_in_a_new_process(workspace):
    # the batch stays "processing" until the test ends it, however slowly a loaded machine
    # starts the processes (a fixed 8 s window was too short at load 5)
    with FakeMessagesAPI(batch_delay=None) as server:
        server.script("dx", Fault("status", status=0))  # the first dx request expires
        server.script("skeptic", Fault("take", text="Not JSON, sorry."))  # needs a re-ask

        submitted = panelist(workspace, server, "draft", "--all", "--batch")
        batch_id = re.search(r"msgbatch_\w+", submitted.stdout).group(0)
        waiting = panelist(workspace, server, "batch", "status", "--json")
        looked = len(server.requests)
        collecting = panelist_started(workspace, server, "batch", "collect", "--wait",
                                      "--poll", "0.2")
        while len(server.requests) == looked and collecting.poll() is None:
            time.sleep(0.05)  # collect --wait has seen the batch still processing
        server.end_batches()
        out, err = collecting.communicate(timeout=60)
        collected = subprocess.CompletedProcess(collecting.args, collecting.returncode, out, err)
        done = panelist(workspace, server, "batch", "status", batch_id, "--json")
        messages = [r for r in server.requests if r["path"] == "/v1/messages"]

    assert submitted.returncode == 0, submitted.stderr
    assert (workspace.batches_dir / f"{batch_id}.json").is_file()
    row = json.loads(waiting.stdout)[0]
    assert row["batch"] == batch_id and row["requests"] == 10 and row["pending"] == 10
    assert row["api"].startswith("processing")

    assert collected.returncode == 1, "an expired request is a failure to report"
    assert "claude-haiku-open-weights/dx: expired" in collected.stdout
    assert "panelist draft claude-haiku-open-weights --persona dx" in collected.stdout
    store = DraftStore(workspace)
    assert sorted(store.read_all(PRODUCTS[0])) == ["buyer", "creative", "skeptic", "strategist"]
    assert sorted(store.read_all(PRODUCTS[1])) == PANEL
    assert len(messages) == 1 and messages[0]["persona"] == "skeptic", "the re-ask is live"
    row = json.loads(done.stdout)[0]
    assert (row["pending"], row["written"], row["failed"], row["api"]) == (0, 9, 1, "collected")


def test_collected_answers_are_priced_at_the_batch_rate_and_the_reask_at_full(
        runner, workspace, claude_env):
    claude_env.script("skeptic", Fault("take", text="Not JSON."))

    invoke(runner, workspace, "draft", PRODUCTS[1], "--batch")
    result = invoke(runner, workspace, "batch", "collect")

    assert result.exit_code == 0, result.output
    records = ledger.read(workspace.ledger_path)
    assert sum(r.batch for r in records) == 5 and len(records) == 6
    for record in records:
        tokens = TokenCounts(**record.token_counts())
        assert record.cost_usd == cost_usd(record.model, tokens, batch=record.batch)
    reask = next(r for r in records if not r.batch)
    assert reask.persona == "skeptic" and reask.outcome == "ok"
    skeptic = DraftStore(workspace).read(PRODUCTS[1], "skeptic")
    assert skeptic is not None and skeptic.meta.usage.cost_usd == reask.cost_usd  # the kept take
    discarded = skeptic.meta.discarded_usage  # the batch answer the re-ask replaced
    assert discarded is not None and round(skeptic.meta.usage.cost_usd + discarded.cost_usd,
                                           6) == round(sum(r.cost_usd for r in records
                                                           if r.persona == "skeptic"), 6)


def test_a_refused_batch_answer_is_billed_at_the_batch_price(runner, workspace, claude_env):
    claude_env.script("dx", Fault("take", text="", stop_reason="refusal"))

    invoke(runner, workspace, "draft", PRODUCTS[1], "--batch")
    result = invoke(runner, workspace, "batch", "collect")

    assert result.exit_code == 1 and "refused" in result.output
    [refused] = [r for r in ledger.read(workspace.ledger_path) if r.persona == "dx"]
    tokens = TokenCounts(**refused.token_counts())
    assert refused.outcome == "failed" and refused.batch and refused.input_tokens > 0
    assert refused.cost_usd == cost_usd(refused.model, tokens, batch=True) > 0
    assert not [r for r in claude_env.requests if r["path"] == "/v1/messages"], "no re-ask"


def test_a_batch_answer_cut_off_by_thinking_is_billed_at_the_batch_price(
        runner, workspace, monkeypatch):
    with FakeMessagesAPI(thinking={"low": 5000}) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        invoke(runner, workspace, "draft", PRODUCTS[1], "--batch")
        result = invoke(runner, workspace, "batch", "collect")

    assert result.exit_code == 1 and "thinking used" in result.output
    records = ledger.read(workspace.ledger_path)
    assert len(records) == 5 and all(r.batch and r.outcome == "failed" for r in records)
    assert all(r.output_tokens == r.thinking_tokens > 0 and r.cost_usd > 0 for r in records)
    assert sum(r.output_tokens for r in records) == json.loads(invoke(
        runner, workspace, "usage", "--json").output)[0]["output_tokens"]


def test_draft_skips_personas_whose_answer_is_due_in_a_batch(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCTS[1], "--persona", "dx", "--batch")

    result = invoke(runner, workspace, "draft", PRODUCTS[1])

    assert result.exit_code == 0, result.output
    assert "waiting in batch" in result.output
    assert len([r for r in claude_env.requests if r["path"] == "/v1/messages"]) == 4
    again = invoke(runner, workspace, "draft", PRODUCTS[1], "--batch")
    assert "nothing to do" in again.output or "skipped" in again.output
    assert len(claude_env.batches) == 1, "nothing was submitted twice"


def test_collect_never_overwrites_a_draft_edited_while_the_batch_ran(runner, workspace,
                                                                      claude_env):
    invoke(runner, workspace, "draft", PRODUCTS[1], "--persona", "dx")
    invoke(runner, workspace, "draft", PRODUCTS[1], "--persona", "dx", "--batch", "--force")
    store = DraftStore(workspace)
    edit_draft(store.read(PRODUCTS[1], "dx"), quote="The editor's own words, kept.")

    result = invoke(runner, workspace, "batch", "collect")

    assert result.exit_code == 1
    assert "changed while drafting" in result.output
    current = store.read(PRODUCTS[1], "dx")
    assert current is not None and current.quote == "The editor's own words, kept."
    assert [e.take for e in store.history(PRODUCTS[1], "dx")] == [1, 2], "new take in history"


def test_collect_before_the_batch_ends_writes_nothing_and_says_so(runner, workspace,
                                                                   monkeypatch):
    with FakeMessagesAPI(batch_delay=60) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        invoke(runner, workspace, "draft", PRODUCTS[1], "--batch")

        result = invoke(runner, workspace, "batch", "collect")

    assert result.exit_code == 0, result.output
    assert "still processing (5 of 5 answers due)" in result.output
    assert DraftStore(workspace).read_all(PRODUCTS[1]) == {}
    assert [e.state for e in BatchStore(workspace).all()[0].entries] == ["pending"] * 5


def test_errored_requests_are_reported_per_persona_and_redrafted_by_draft(runner, workspace,
                                                                          claude_env):
    claude_env.script("buyer", Fault("status", status=500))

    invoke(runner, workspace, "draft", PRODUCTS[1], "--batch")
    collected = invoke(runner, workspace, "batch", "collect")
    redrafted = invoke(runner, workspace, "draft", PRODUCTS[1])

    assert collected.exit_code == 1
    assert "tether-qvac-sdk/buyer: errored in batch" in collected.output.replace("\n", " ")
    assert redrafted.exit_code == 0, redrafted.output
    assert [r["persona"] for r in claude_env.requests if r["path"] == "/v1/messages"] == ["buyer"]
    assert sorted(DraftStore(workspace).read_all(PRODUCTS[1])) == PANEL


def test_batch_status_with_an_unknown_id_lists_the_known_ones(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCTS[1], "--batch")
    known = BatchStore(workspace).all()[0].id

    result = invoke(runner, workspace, "batch", "status", "msgbatch_nope")

    assert result.exit_code == 2
    assert "No batch 'msgbatch_nope'" in result.output and known in result.output


def test_a_dropped_submission_is_not_sent_twice(runner, workspace, monkeypatch):
    """A dropped connection may come after the batch was created: never submit it again."""
    connections = []

    class DropEverything(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            connections.append(1)
            self.request.recv(65536)  # read the request, then hang up without answering

    with socketserver.TCPServer(("127.0.0.1", 0), DropEverything) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}")
        monkeypatch.setenv("PANELIST_RETRY_SCALE", "0.01")
        result = invoke(runner, workspace, "draft", PRODUCTS[1], "--batch")
        server.shutdown()

    assert result.exit_code == 1
    assert "may have been created anyway" in result.output
    assert len(connections) == 1
    assert BatchStore(workspace).all() == []


@pytest.mark.needs_llama_cpp
def test_batch_with_a_backend_that_has_no_batch_api_is_refused_before_sending(runner,
                                                                              workspace):
    result = invoke(runner, workspace, "draft", PRODUCTS[1], "--batch", "--model", "local")

    assert result.exit_code == 2
    assert "needs a model served by a batch API" in result.output and "local" in result.output
    assert not workspace.batches_dir.exists() or not list(workspace.batches_dir.iterdir())
    assert not DraftStore(workspace).read_all(PRODUCTS[1])
