"""Drafting many products at once: one shared pool, paced by the rate limit, resumable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from rich.console import Console

from fake_messages_api import FakeMessagesAPI, Fault
from helpers import invoke
from panelist.cli.progress import LiveProgress
from panelist.models import Usage
from panelist.run.jobs import Job
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace

PANEL = ["buyer", "creative", "dx", "skeptic", "strategist"]
SOURCE = "tether-qvac-sdk"


def add_products(workspace: Workspace, count: int) -> list[str]:
    """``count`` more products, copies of the example under new names."""
    text = (workspace.products_dir / f"{SOURCE}.md").read_text(encoding="utf-8")
    slugs = [f"tool-{index:02d}" for index in range(count)]
    for index, slug in enumerate(slugs):
        body = text.replace("name: Tether QVAC SDK", f"name: Tool {index:02d}")
        (workspace.products_dir / f"{slug}.md").write_text(body, encoding="utf-8")
    return slugs




def use_server(monkeypatch, server: FakeMessagesAPI) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
    monkeypatch.setenv("PANELIST_RETRY_SCALE", "0.01")


def all_drafts(workspace: Workspace) -> dict[str, list[str]]:
    store = DraftStore(workspace)
    return {slug: sorted(store.read_all(slug)) for slug in workspace.product_slugs()}


def test_draft_all_shares_one_pool_across_products(runner, workspace, monkeypatch):
    add_products(workspace, 2)
    with FakeMessagesAPI(latency=0.2) as server:
        use_server(monkeypatch, server)
        result = invoke(runner, workspace, "draft", "--all", "--concurrency", "4")
        sent = sorted((r["time"], r["json"]["system"][0]["text"]) for r in server.requests)

    assert result.exit_code == 0, result.output
    assert all(personas == PANEL for personas in all_drafts(workspace).values())
    assert len(sent) == 4 * 5
    in_flight = max(sum(1 for t, _ in sent if start <= t < start + 0.2) for start, _ in sent)
    assert in_flight <= 4, "--concurrency caps the calls of every product together"
    first_batch = {system for _, system in sent[:4]}
    assert len(first_batch) == 1, "products run in order, one panel after another"
    assert sent[-1][0] - sent[0][0] < 20 / 4 * 0.2 + 0.5, "the pool never idles between products"


def test_draft_without_products_or_all_says_what_to_pass(runner, workspace, claude_env):
    result = invoke(runner, workspace, "draft")

    assert result.exit_code == 2
    assert "--all" in result.output


def test_a_rate_limited_catalogue_run_is_paced_instead_of_refused(runner, workspace,
                                                                  monkeypatch):
    add_products(workspace, 1)
    with FakeMessagesAPI(rpm_limit=6, window=0.5) as server:
        use_server(monkeypatch, server)
        result = invoke(runner, workspace, "draft", "--all", "--concurrency", "5")
        sent = sorted(r["time"] for r in server.requests)
        refused = server.count(429)

    assert result.exit_code == 0, result.output
    assert sum(len(p) for p in all_drafts(workspace).values()) == 15
    assert refused <= 1, "the anthropic-ratelimit-* headers keep calls out of the 429 wall"
    assert sent[-1] - sent[0] >= 0.95, "15 calls at 6 per half second need three windows"


def test_failed_personas_of_a_catalogue_run_are_drafted_by_the_same_command(runner, workspace,
                                                                            claude_env):
    add_products(workspace, 1)
    claude_env.script("skeptic", Fault("status", status=401))

    first = invoke(runner, workspace, "draft", "--all")
    requests_before = len(claude_env.requests)
    second = invoke(runner, workspace, "draft", "--all")

    assert first.exit_code == 1 and "1 persona(s) failed" in first.output
    assert second.exit_code == 0, second.output
    assert len(claude_env.requests) - requests_before == 1, "only the failed persona again"
    assert all(personas == PANEL for personas in all_drafts(workspace).values())


def test_ctrl_c_keeps_finished_drafts_and_the_same_command_finishes(runner, workspace,
                                                                    monkeypatch):
    add_products(workspace, 2)
    with FakeMessagesAPI(latency=0.4) as server:
        env = {**os.environ, "ANTHROPIC_API_KEY": "sk-ant-test",
               "ANTHROPIC_BASE_URL": server.base_url, "PANELIST_RETRY_SCALE": "0.01"}
        process = subprocess.Popen(
            [sys.executable, "-m", "panelist", "draft", "--all", "--concurrency", "3",
             "--workspace", str(workspace.root)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while sum(map(len, all_drafts(workspace).values())) < 4:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        kept = sum(map(len, all_drafts(workspace).values()))
        leftovers = list(workspace.drafts_dir.rglob("*.tmp"))

        use_server(monkeypatch, server)
        before = len(server.requests)
        finished = invoke(runner, workspace, "draft", "--all")
        redrafted = len(server.requests) - before

    assert process.returncode == 130 and "run the same command again" in stderr
    assert "Traceback" not in stderr and not leftovers
    assert 4 <= kept < 20
    assert finished.exit_code == 0, finished.output
    assert redrafted == 20 - kept, "the finished drafts were kept, the rest drafted once"
    assert all(personas == PANEL for personas in all_drafts(workspace).values())


def test_progress_shows_run_totals_and_folds_finished_products(workspace):
    personas = workspace.load_personas()
    products = [workspace.load_product(slug) for slug in workspace.product_slugs()]
    jobs = [Job(product, persona) for product in products for persona in personas.values()]
    console = Console(record=True, width=140, force_terminal=False)
    progress = LiveProgress(console, "drafting 2 products")
    for job in jobs:
        progress.update(job, "waiting")
    for job in jobs[:5]:
        progress.update(job, "done", "ship, take 1")
        progress.spent(job, Usage(input_tokens=100, cache_read_tokens=400, output_tokens=50,
                                  cost_usd=0.01))
    progress.update(jobs[5], "retrying", "attempt 2 in 1.0s (rate limited)")
    progress.update(jobs[6], "failed", "check ANTHROPIC_API_KEY")

    console.print(progress.render())
    shown = console.export_text()

    assert "5/10 done, 1 failed, 1 retrying, 4 remaining" in shown
    assert "2,500 tokens in (2,000 cached), 250 out | $0.0500" in shown
    assert products[1].slug in shown and "1 product(s) finished" in shown
    assert "[5/10] " in shown and "check ANTHROPIC_API_KEY" in shown


def test_usage_ledger_counts_a_reasked_call_once(runner, workspace, claude_env):
    claude_env.script("dx", Fault("take", text='{"verdict": "maybe"}'))

    invoke(runner, workspace, "draft", SOURCE, "--persona", "dx")

    lines = [json.loads(line) for line in workspace.ledger_path.read_text().splitlines()]
    assert [line["outcome"] for line in lines] == ["invalid", "ok"]
