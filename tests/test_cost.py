"""Cost from the price table: cache writes and reads at their own rates, batches at half."""

from __future__ import annotations

import json

import pytest

from panelist.backends.base import TokenCounts
from panelist.backends.pricing import cost_usd, min_cacheable_tokens

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


# (input, output, 5-minute write, 1-hour write, cache read) in $ per million tokens, typed from
# the English pages on platform.claude.com (read on 2026-11-26, re-read on 2026-12-06 where
# data/models.json says so), not from the model table.
PRICING = "https://platform.claude.com/docs/en/about-claude/pricing"
DOCUMENTED = {
    # migration guide: "same prices as Claude Sonnet 5, except for prompt cache reads, which
    # cost $0.10 USD per million tokens, half the Claude Sonnet 5 rate"
    "claude-sonnet-5-5": (2.0, 10.0, 2.5, 4.0, 0.10),
    "claude-sonnet-5": (2.0, 10.0, 2.5, 4.0, 0.20),  # models/sonnet-5/overview
    "claude-opus-5-5": (4.0, 20.0, 5.0, 8.0, 0.20),  # models/opus-5-5/overview
    "claude-opus-5": (5.0, 25.0, 6.25, 10.0, 0.50),  # models/opus-5/overview
    "claude-fable-5-1": (10.0, 50.0, 12.5, 20.0, 0.25),  # PRICING
    "claude-mythos-5-1": (10.0, 50.0, 12.5, 20.0, 0.25),  # PRICING
    "claude-fable-5": (10.0, 50.0, 12.5, 20.0, 1.0),  # PRICING
    "claude-mythos-5": (10.0, 50.0, 12.5, 20.0, 1.0),  # PRICING
    "claude-opus-4-8": (5.0, 25.0, 6.25, 10.0, 0.50),  # PRICING
    "claude-opus-4-7": (5.0, 25.0, 6.25, 10.0, 0.50),  # PRICING
    "claude-opus-4-6": (5.0, 25.0, 6.25, 10.0, 0.50),  # PRICING
    "claude-opus-4-5": (5.0, 25.0, 6.25, 10.0, 0.50),  # PRICING
    "claude-opus-4-1": (15.0, 75.0, 18.75, 30.0, 1.50),  # PRICING
    "claude-opus-4": (15.0, 75.0, 18.75, 30.0, 1.50),  # PRICING
    "claude-sonnet-4-6": (3.0, 15.0, 3.75, 6.0, 0.30),  # PRICING
    "claude-sonnet-4-5": (3.0, 15.0, 3.75, 6.0, 0.30),  # PRICING
    "claude-haiku-4-5": (1.0, 5.0, 1.25, 2.0, 0.10),  # PRICING
    # models/haiku-5-5/overview, prompts up to 100,000 tokens (read in its zh-CN copy)
    "claude-haiku-5-5": (0.10, 0.50, 0.125, 0.20, 0.01),
}


@pytest.mark.parametrize("model", sorted(DOCUMENTED))
def test_price_from_the_table_equals_the_documented_one(model):
    tokens = 100_000  # a tenth of the unit: Haiku 5.5 charges more above 100,000 tokens
    kinds = [TokenCounts(input_tokens=tokens), TokenCounts(output_tokens=tokens),
             TokenCounts(cache_write_tokens=tokens),
             TokenCounts(cache_write_tokens=tokens, cache_write_1h_tokens=tokens),
             TokenCounts(cache_read_tokens=tokens)]

    per_million = [10 * (cost_usd(model, kind) or 0.0) for kind in kinds]
    assert per_million == pytest.approx(DOCUMENTED[model])


def test_every_priced_model_names_its_source_and_date():
    from panelist.backends.model_table import all_facts

    for facts in all_facts():
        if facts.rates is None:
            continue
        assert facts.rates.as_of in ("2026-11-26", "2026-12-06"), facts.id
        assert facts.id == "local" or facts.rates.source.startswith(
            "https://platform.claude.com/docs/"), facts.id


@pytest.mark.parametrize(("model", "priced"), [
    ("claude-opus-4-5-20251101", True), ("claude-haiku-4-5-20251001", True),
    ("claude-haiku-5-5", True), ("claude-sonnet-4", False), ("claude-fable-5-2", False),
    ("claude-sonnet-9", False), ("some-model-on-a-local-server", False),
], ids=["dated-opus-4.5", "dated-haiku-4.5", "haiku-5.5", "retired-sonnet-4-no-price",
        "fable-5.2", "future", "local-server"])
def test_a_model_missing_from_the_table_is_unpriced_not_guessed(model, priced):
    from panelist.backends.pricing import is_priced

    assert is_priced(model) is priced
    assert (cost_usd(model, TokenCounts(input_tokens=1000)) is None) is not priced


def test_haiku_5_5_bills_a_prompt_over_100k_tokens_at_five_times_the_rate():
    short = TokenCounts(input_tokens=100_000, output_tokens=1000)
    long = TokenCounts(input_tokens=60_000, cache_read_tokens=40_001, output_tokens=1000)

    assert cost_usd("claude-haiku-5-5", short) == pytest.approx(0.0105)
    assert cost_usd("claude-haiku-5-5", long) == pytest.approx(
        (60_000 * 0.5 + 40_001 * 0.05 + 1000 * 2.5) / 1e6, abs=1e-6)


def test_batch_with_one_hour_cache_writes_prices_them_at_twice_input_then_halves():
    tokens = TokenCounts(cache_write_tokens=1_000_000, cache_write_1h_tokens=1_000_000)

    assert cost_usd("claude-sonnet-5-5", tokens, batch=True) == pytest.approx(2.0)


@pytest.mark.parametrize(("model", "minimum"), [
    ("claude-sonnet-5-5", 512), ("claude-sonnet-4-5", 1024), ("claude-opus-4-6", 4096),
    ("claude-haiku-4-5", 4096), ("local", None),
], ids=["sonnet-5.5", "sonnet-4.5", "opus-4.6", "haiku-4.5", "local"])
def test_minimum_cacheable_prompt_length_per_model(model, minimum):
    assert min_cacheable_tokens(model) == minimum


def test_usage_by_model_sums_ledger_costs_with_cache_tokens(runner, workspace, claude_env):
    from panelist.cli.app import app

    runner.invoke(app, ["draft", "tether-qvac-sdk", "--workspace", str(workspace.root)])
    rows = json.loads(runner.invoke(app, ["usage", "--by", "model", "--json", "--workspace",
                                          str(workspace.root)]).output)

    row = rows[0]
    tokens = TokenCounts(**{name: row[name] for name in ("input_tokens", "output_tokens",
                                                         "cache_read_tokens",
                                                         "cache_write_tokens")})
    assert row["cache_read_tokens"] > 0 and row["cache_write_tokens"] > 0
    assert row["cost_usd"] == pytest.approx(cost_usd(row["key"], tokens), abs=1e-5)
