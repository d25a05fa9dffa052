"""Cost from the price table: cache writes and reads at their own rates, batches at half."""

from __future__ import annotations

import json

import pytest

from panelist.backends.base import TokenCounts
from panelist.run.pricing import cost_usd, min_cacheable_tokens

SONNET = "claude-sonnet-4-6"  # $3 in, $15 out per million tokens


@pytest.mark.parametrize(("tokens", "dollars"), [
    (TokenCounts(input_tokens=1_000_000), 3.0),
    (TokenCounts(output_tokens=1_000_000), 15.0),
    (TokenCounts(cache_write_tokens=1_000_000), 3.75),
    (TokenCounts(cache_read_tokens=1_000_000), 0.30),
    (TokenCounts(input_tokens=1000, output_tokens=500, cache_write_tokens=2000,
                 cache_read_tokens=10_000), 0.021),
], ids=["input", "output", "cache-write-1.25x", "cache-read-0.1x", "mixed"])
def test_cost_prices_each_kind_of_token_at_its_rate(tokens, dollars):
    assert cost_usd(SONNET, tokens) == pytest.approx(dollars)


def test_batch_halves_every_rate_including_cache_tokens():
    tokens = TokenCounts(input_tokens=1000, output_tokens=500, cache_write_tokens=2000,
                         cache_read_tokens=10_000)

    assert cost_usd(SONNET, tokens, batch=True) == pytest.approx(0.0105)


@pytest.mark.parametrize(("model", "rates"), [
    ("claude-opus-4-1", (15.0, 75.0)),
    ("claude-opus-4-5-20251101", (5.0, 25.0)),
    ("claude-haiku-4-5-20251001", (1.0, 5.0)),
    ("local", (0.0, 0.0)),
    ("some-model-on-a-local-server", (0.0, 0.0)),
], ids=["opus-4.1", "dated-opus-4.5", "dated-haiku-4.5", "local", "unknown"])
def test_the_longest_model_family_prefix_sets_the_rate(model, rates):
    cost = cost_usd(model, TokenCounts(input_tokens=1_000_000, output_tokens=1_000_000))

    assert cost == pytest.approx(sum(rates))


@pytest.mark.parametrize(("model", "minimum"), [
    ("claude-sonnet-4-5", 1024), ("claude-opus-4-6", 4096), ("claude-haiku-4-5", 4096),
    ("local", None),
], ids=["sonnet-4.5", "opus-4.6", "haiku-4.5", "local"])
def test_minimum_cacheable_prompt_length_per_model(model, minimum):
    assert min_cacheable_tokens(model) == minimum


def test_usage_by_model_sums_ledger_costs_with_cache_tokens(runner, workspace, claude_env):
    from panelist.cli.app import app

    runner.invoke(app, ["draft", "tether-qvac-sdk", "--workspace", str(workspace.root)])
    rows = json.loads(runner.invoke(app, ["usage", "--by", "model", "--json", "--workspace",
                                          str(workspace.root)]).output)

    row = rows[0]
    tokens = TokenCounts(row["input_tokens"], row["output_tokens"], row["cache_read_tokens"],
                         row["cache_write_tokens"])
    assert row["cache_read_tokens"] > 0 and row["cache_write_tokens"] > 0
    assert row["cost_usd"] == pytest.approx(cost_usd(row["key"], tokens), abs=1e-5)
