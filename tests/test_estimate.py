"""panelist estimate: tokens and cost of a run before making it, labelled as an estimate."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from panelist.cli.app import app
from panelist.store.workspace import Workspace

PRODUCT = "tether-qvac-sdk"


def estimate(runner: CliRunner, workspace: Workspace, *args: str):
    return runner.invoke(app, ["estimate", *args, "--workspace", str(workspace.root)])


def test_estimate_counts_with_the_token_counting_endpoint_and_runs_no_model(
        runner, workspace, claude_env):
    result = estimate(runner, workspace, "--all", "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["estimate"] is True
    assert {r["path"] for r in claude_env.requests} == {"/v1/messages/count_tokens"}
    totals = report["totals"]
    assert totals["requests"] == 10 and totals["input_tokens"] > 0
    assert totals["batch_cost_usd"] < totals["cost_usd"]
    assert {row["counted_by"] for row in report["products"]} == {"count_tokens endpoint"}


def test_estimate_batch_prices_the_cache_write_at_the_one_hour_rate_a_batch_pays(
        runner, workspace, claude_env):
    report = json.loads(estimate(runner, workspace, PRODUCT, "--json").output)

    row = report["products"][0]  # Sonnet 5.5: writes $2.50 (5 min) or $4 (1 hour) a million
    assert row["cached"]
    one_hour_extra = row["prefix_tokens"] * (4.0 - 2.5) / 1e6
    assert row["batch_cost_usd"] == pytest.approx(row["cost_usd"] / 2 + one_hour_extra / 2,
                                                  abs=2e-6)


def test_estimate_says_when_the_shared_prefix_is_too_short_to_cache(runner, workspace,
                                                                    claude_env):
    result = estimate(runner, workspace, PRODUCT, "--model", "claude-sonnet-4-6")

    assert result.exit_code == 0, result.output
    assert "estimate" in result.output and "with --batch" in result.output
    assert "below claude-sonnet-4-6's 1,024-token minimum" in " ".join(result.output.split())


def test_estimate_skips_personas_already_drafted(runner, workspace, claude_env):
    runner.invoke(app, ["draft", PRODUCT, "--persona", "dx", "--workspace",
                        str(workspace.root)])

    report = json.loads(estimate(runner, workspace, PRODUCT, "--json").output)

    assert report["totals"]["requests"] == 4


def test_without_a_backend_to_count_the_heuristic_is_named(runner, workspace):
    result = estimate(runner, workspace, PRODUCT, "--model", "claude-sonnet-4-6", "--json")

    assert result.exit_code == 0, result.output
    row = json.loads(result.output)["products"][0]
    assert row["counted_by"] == "chars/4 heuristic" and row["input_tokens"] > 0


@pytest.mark.needs_llama_cpp
def test_a_local_model_is_estimated_as_free(runner, workspace):
    result = estimate(runner, workspace, PRODUCT, "--model", "local", "--json")

    assert result.exit_code == 0, result.output
    row = json.loads(result.output)["products"][0]
    assert row["cost_usd"] == 0 and row["batch_cost_usd"] is None  # no batches offline
    assert row["counted_by"] in {"tokenizer", "chars/4 heuristic"}
