"""The cache warm-up: the first call streamed and the rest released at its message_start, only
when the shared prefix is long enough for the model's prompt cache (the model table's minimum).

The timing target (a panel below the minimum takes about one call's time) is measured in
benchmarks/warmup_bench.py; these specs assert the order of the requests, not seconds.
"""

from __future__ import annotations

import pytest

from fake_messages_api import FakeMessagesAPI
from helpers import FAKE_KEY, invoke
from panelist.backends.claude import ClaudeBackend

PRODUCT = "tether-qvac-sdk"  # its shared prefix is ~700 tokens: above 512, below 1,024
LATENCY = 2.0


def drafted_with(runner, workspace, monkeypatch, model: str) -> FakeMessagesAPI:
    with FakeMessagesAPI(latency=LATENCY, time_to_first_token=0.2) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        result = invoke(runner, workspace, "draft", PRODUCT, "--model", model)
    assert result.exit_code == 0, result.output
    return server


def test_below_the_minimum_every_persona_goes_out_at_once(runner, workspace, monkeypatch):
    server = drafted_with(runner, workspace, monkeypatch, "claude-sonnet-4-6")  # minimum 1,024

    sent = [r for r in server.requests if r["path"] == "/v1/messages"]
    arrivals = sorted(r["time"] for r in sent)
    assert len(sent) == 5 and not any(r["json"].get("stream") for r in sent)
    assert arrivals[-1] - arrivals[0] < LATENCY / 2  # all five in flight before any answers
    assert server.cache_writes() == 0


def test_at_the_minimum_the_first_streams_and_the_rest_wait_for_its_start(
        runner, workspace, monkeypatch):
    server = drafted_with(runner, workspace, monkeypatch, "claude-sonnet-5-5")  # minimum 512

    first, *rest = sorted((r for r in server.requests if r["path"] == "/v1/messages"),
                          key=lambda r: r["time"])
    assert first["json"].get("stream") is True and not any(r["json"].get("stream") for r in rest)
    assert all(r["time"] - first["time"] >= 0.2 for r in rest)  # after its message_start
    assert all(r["time"] - first["time"] < LATENCY for r in rest)  # not after its answer
    assert server.cache_writes() == 1


def system_of(tokens: int) -> list[dict[str, object]]:
    return [{"type": "text", "text": "word " * (tokens * 4 // 5),
             "cache_control": {"type": "ephemeral"}}]


@pytest.mark.parametrize(("model", "prefix_tokens", "warms"), [
    ("claude-sonnet-5-5", 600, True), ("claude-sonnet-5-5", 400, False),
    ("claude-haiku-4-5", 4000, False), ("claude-haiku-4-5-20251001", 4200, True),
    ("claude-sonnet-9", 10, True), ("smollm2", 9000, False),
], ids=["sonnet-5.5-above-512", "sonnet-5.5-below-512", "haiku-4.5-below-4096",
        "dated-haiku-4.5-above", "unlisted-claude-id-assumed", "not-claude"])
def test_warm_up_follows_the_model_tables_minimum(model, prefix_tokens, warms):
    assert ClaudeBackend.warms_cache({"model": model, "system": system_of(prefix_tokens)}) \
        is warms
