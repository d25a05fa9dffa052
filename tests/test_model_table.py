"""The model table (data/models.json) is the one place that says which models exist, what they
cost and what they can do; a model it does not list is allowed and shown as unpriced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fake_messages_api import FakeMessagesAPI
from helpers import FAKE_KEY, invoke
from panelist.backends import BackendOptions, resolve_model
from panelist.backends.claude_models import default_model, has_effort
from panelist.backends.model_table import all_facts, facts_for

PRODUCT = "tether-qvac-sdk"
SOURCE = Path(__file__).resolve().parent.parent / "src" / "panelist"


def test_nothing_asks_the_sdk_which_models_exist():
    text = "\n".join(path.read_text(encoding="utf-8") for path in SOURCE.rglob("*.py"))

    assert not re.search(r"anthropic\.types import .*\bModel\b|types\.Model\b", text)
    assert "_NO_EFFORT" not in text


def test_the_default_model_is_the_tables_not_the_sdks():
    assert default_model() == "claude-sonnet-5-5"
    assert facts_for(default_model()) is not None


def test_every_row_says_what_panelist_needs_to_know():
    for facts in all_facts():
        assert facts.provider in ("anthropic", "local"), facts.id
        assert facts.status in ("active", "deprecated", "retired"), facts.id
        if facts.provider == "anthropic":
            assert facts.min_cacheable_tokens in (512, 1024, 2048, 4096), facts.id
            assert facts.batch, facts.id


@pytest.mark.parametrize(("model", "effort"), [
    ("claude-sonnet-5-5", True), ("claude-haiku-5-5", True), ("claude-opus-4-5", True),
    ("claude-haiku-4-5", False), ("claude-haiku-4-5-20251001", False),
    ("claude-sonnet-4-5", False), ("claude-opus-4-1", False), ("claude-sonnet-9", True),
    ("smollm2", False),
])
def test_effort_is_sent_where_the_table_says_the_model_takes_it(model, effort):
    assert has_effort(model) is effort


@pytest.mark.parametrize(("model", "notice"), [
    ("claude-opus-4-5", "claude-opus-4-5 retires on 2027-01-22; use claude-opus-5-5 instead"),
    ("claude-opus-4-1", "claude-opus-4-1 was retired on 2026-08-05"),
    ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5 was retired on 2026-11-30: the Claude API "
                                   "answers its requests with an error; use claude-sonnet-4-6"),
    ("claude-fable-5-2", "'claude-fable-5-2' is not in panelist's model table"),
    ("claude-sonnet-5-5", None),
], ids=["deprecated", "retired", "retired-dated-id", "unlisted", "active"])
def test_a_retired_deprecated_or_unlisted_model_gets_a_one_line_notice(monkeypatch, model,
                                                                       notice):
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)

    choice = resolve_model(model, BackendOptions())

    assert choice.model == model  # allowed, sent as given
    if notice is None:
        assert choice.notices == ()
    else:
        [line] = choice.notices
        assert line.startswith(notice) and "\n" not in line


def test_a_model_the_table_does_not_list_drafts_and_shows_unpriced_never_zero(
        runner, workspace, monkeypatch):
    with FakeMessagesAPI() as server:  # a server that is not Claude: its own model names
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        drafted = invoke(runner, workspace, "draft", PRODUCT, "--model", "smollm2")
        usage = invoke(runner, workspace, "usage")
        rows = json.loads(invoke(runner, workspace, "usage", "--json").output)

    assert drafted.exit_code == 0, drafted.output
    assert "cost unpriced" in drafted.output and "$0.0000" not in drafted.output
    assert "unpriced" in usage.output and "$0.0000" not in usage.output
    assert rows[0]["cost_usd"] is None and rows[0]["unpriced_calls"] == rows[0]["calls"] == 5


def test_a_run_mixing_priced_and_unpriced_calls_counts_the_unpriced_ones(
        runner, workspace, claude_env):
    persona = workspace.root / "personas" / "dx.md"
    persona.write_text(persona.read_text().replace("---\n", "---\nmodel: claude-fable-5-2\n", 1))

    drafted = invoke(runner, workspace, "draft", PRODUCT)

    assert drafted.exit_code == 0, drafted.output
    assert re.search(r"cost \$\d+\.\d{4} \+ 1 unpriced call;", drafted.output), drafted.output
    assert "'claude-fable-5-2' is not in panelist's model table" in drafted.output
