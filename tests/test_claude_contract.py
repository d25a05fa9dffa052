"""The Claude path against the contract fake: what panelist sends, what it pays, how it fails."""

from __future__ import annotations

import json
from typing import Any

import anthropic
import pytest

from fake_messages_api import FakeMessagesAPI, Fault
from helpers import FAKE_KEY, invoke
from panelist.backends.base import ChatMessage, LLMRequest
from panelist.backends.claude import ClaudeBackend
from panelist.models import take_token_cap
from panelist.store import ledger

PRODUCT = "tether-qvac-sdk"
SONNET = "claude-sonnet-5-5"




def messages(server: FakeMessagesAPI) -> list[dict[str, Any]]:
    return [r["json"] for r in server.requests if r["path"] == "/v1/messages"]


def use(monkeypatch: pytest.MonkeyPatch, server: FakeMessagesAPI, key: str = FAKE_KEY) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", key)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
    monkeypatch.setenv("PANELIST_RETRY_SCALE", "0.01")


# ---- the fake keeps the contract (the real SDK as client) ---------------------------------

def sdk_call(server: FakeMessagesAPI, **params: Any) -> Any:
    body = {"model": SONNET, "max_tokens": 4096,
            "messages": [{"role": "user", "content": "Review it."}], **params}
    # the SDK has no sampling parameters any more: they go on the wire as extra body fields
    sampling = {name: body.pop(name) for name in ("temperature", "top_p", "top_k") if name in body}
    with anthropic.Anthropic(api_key=FAKE_KEY, base_url=server.base_url, max_retries=0) as client:
        return client.messages.create(**body, extra_body=sampling or None)


@pytest.mark.parametrize("params", [
    {"temperature": 0.7}, {"top_p": 0.9}, {"top_k": 40},
    {"thinking": {"type": "enabled", "budget_tokens": 2048}},
    {"thinking": {"type": "disabled"}},
    {"messages": [{"role": "user", "content": "Review it."},
                  {"role": "assistant", "content": "{"}]},
    {"output_config": {"format": {"type": "json_schema", "schema": {
        "type": "object", "additionalProperties": False, "required": ["reasons"],
        "properties": {"reasons": {"type": "array", "minItems": 2,
                                   "items": {"type": "string"}}}}}}},
], ids=["temperature", "top_p", "top_k", "thinking-budget", "thinking-disabled", "prefill",
        "schema-minItems-2"])
def test_sonnet_5_5_rejects_what_its_migration_guide_lists(fake_api, params):
    with pytest.raises(anthropic.BadRequestError) as caught:
        sdk_call(fake_api, **params)

    assert caught.value.body["error"]["type"] == "invalid_request_error"


def test_haiku_4_5_takes_temperature_and_does_not_think_by_default(fake_api):
    message = sdk_call(fake_api, model="claude-haiku-4-5", temperature=0.5)

    assert [block.type for block in message.content] == ["text"]
    assert message.usage.output_tokens_details.thinking_tokens == 0


def test_thinking_comes_first_counts_as_output_and_scales_with_effort(fake_api):
    low, high = (sdk_call(fake_api, output_config={"effort": effort}) for effort in ("low", "high"))

    assert [block.type for block in low.content] == ["thinking", "text"]
    thinking = [m.usage.output_tokens_details.thinking_tokens for m in (low, high)]
    assert 0 < thinking[0] < thinking[1]
    assert low.usage.output_tokens > thinking[0]


def test_thinking_that_fills_max_tokens_leaves_no_answer(fake_api):
    message = sdk_call(fake_api, max_tokens=1000)  # default effort high thinks 3,000 tokens

    assert message.stop_reason == "max_tokens"
    assert [block.type for block in message.content] == ["thinking"]
    assert message.usage.output_tokens == 1000


def test_a_server_that_is_not_claude_is_lenient(fake_api):
    message = sdk_call(fake_api, model="smollm2", temperature=0.7, top_k=40)

    assert message.stop_reason == "end_turn"


# ---- what panelist sends -----------------------------------------------------------------

@pytest.mark.parametrize("base_url", [None, "http://127.0.0.1:9"], ids=["api", "base-url"])
def test_no_sampling_parameter_goes_to_a_claude_model(monkeypatch, base_url):
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    request = LLMRequest(model=SONNET, system="rules", messages=(ChatMessage("user", "hi"),),
                         max_tokens=3072, temperature=0.7, effort="low")

    body = ClaudeBackend(base_url=base_url).describe_request(request)

    assert not {"temperature", "top_p", "top_k", "thinking"} & body.keys()
    assert body["output_config"]["effort"] == "low"


def test_a_server_that_is_not_claude_gets_temperature_and_the_strict_schema(monkeypatch):
    strict = {"type": "object", "properties": {"quote": {"type": "string", "pattern": "^a$"}}}
    request = LLMRequest(model="smollm2", system="rules", messages=(ChatMessage("user", "hi"),),
                         max_tokens=1024, temperature=0.7, effort="low", schema={"type": "object"},
                         strict_schema=strict)

    body = ClaudeBackend(base_url="http://127.0.0.1:9").describe_request(request)

    assert body["temperature"] == 0.7
    assert body["output_config"] == {"format": {"type": "json_schema", "schema": strict}}


def test_default_model_panel_drafts_all_five_without_sampling_parameters(
        runner, workspace, claude_env):
    result = invoke(runner, workspace, "draft", PRODUCT)

    assert result.exit_code == 0, result.output
    sent = messages(claude_env)
    assert len(sent) == 5 and {body["model"] for body in sent} == {SONNET}
    assert not any({"temperature", "top_p", "top_k"} & body.keys() for body in sent)
    assert all(body["output_config"]["effort"] == "low" for body in sent)
    caps = {take_token_cap(persona) for persona in workspace.load_personas().values()}
    assert {body["max_tokens"] - 2048 for body in sent} == caps  # the answer's cap + thinking


def test_a_panel_pays_one_cache_write_and_four_reads(runner, workspace, monkeypatch):
    with FakeMessagesAPI(latency=0.5, time_to_first_token=0.1) as server:
        use(monkeypatch, server)
        result = invoke(runner, workspace, "draft", PRODUCT)

    assert result.exit_code == 0, result.output
    reads = [u["cache_read_input_tokens"] for u in server.usages]
    assert server.cache_writes() == 1 and sum(1 for r in reads if r) == 4
    first, *rest = messages(server)
    assert first.get("stream") is True and not any(body.get("stream") for body in rest)


def test_thinking_tokens_reach_the_ledger_and_usage(runner, workspace, claude_env):
    invoke(runner, workspace, "draft", PRODUCT)

    records = ledger.read(workspace.ledger_path)
    assert len(records) == 5 and all(r.thinking_tokens == 200 for r in records)
    assert all(r.output_tokens > r.thinking_tokens for r in records)
    rows = json.loads(invoke(runner, workspace, "usage", "--json").output)
    assert rows[0]["thinking_tokens"] == 1000


def test_thinking_that_eats_the_budget_fails_without_a_shorter_quote_reask(
        runner, workspace, monkeypatch):
    with FakeMessagesAPI(thinking={"low": 5000}) as server:
        use(monkeypatch, server)
        result = invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")

    assert result.exit_code == 1
    budget = take_token_cap(workspace.load_personas()["dx"]) + 2048
    assert f"thinking used {budget} of the {budget} output tokens" in result.output
    assert "shorter" not in result.output
    # at effort low there is no lower effort: the message says what the editor can do
    assert "raise the persona's answer cap" in result.output
    assert "choose a model that does not think unasked (--model claude-sonnet-4-6" \
        in result.output
    assert "lower --effort" not in result.output
    assert len(messages(server)) == 1  # no re-ask
    [record] = ledger.read(workspace.ledger_path)
    assert record.outcome == "failed" and record.output_tokens == budget and record.cost_usd > 0
    assert "no draft was written" in result.output
    assert f"{budget:,} out" in result.output  # the summary counts the failed call, as the ledger


def test_thinking_that_eats_the_budget_at_effort_medium_may_also_lower_the_effort(
        runner, workspace, monkeypatch):
    with FakeMessagesAPI(thinking={"medium": 9000}) as server:
        use(monkeypatch, server)
        result = invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx",
                        "--effort", "medium")

    assert result.exit_code == 1
    assert "lower --effort or the persona's 'effort', raise the persona's answer cap" \
        in " ".join(result.output.split())


def test_a_refused_call_is_billed_in_the_ledger(runner, workspace, claude_env):
    claude_env.script("dx", Fault("take", text="", stop_reason="refusal"))

    result = invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx")

    assert result.exit_code == 1 and "refused" in result.output
    [record] = ledger.read(workspace.ledger_path)
    assert record.outcome == "failed" and record.input_tokens > 0 and record.cost_usd > 0


def test_batches_ask_for_the_one_hour_cache(runner, workspace, claude_env):
    result = invoke(runner, workspace, "draft", PRODUCT, "--batch")

    assert result.exit_code == 0, result.output
    batch = next(r["json"] for r in claude_env.requests if r["path"] == "/v1/messages/batches")
    ttls = {entry["params"]["system"][-1]["cache_control"].get("ttl")
            for entry in batch["requests"]}
    assert ttls == {"1h"}


# ---- estimate ----------------------------------------------------------------------------

def test_estimate_with_a_bad_key_is_an_error(runner, workspace, monkeypatch):
    with FakeMessagesAPI(api_key="sk-ant-the-right-one") as server:
        use(monkeypatch, server, key="sk-ant-a-wrong-one")
        result = invoke(runner, workspace, "estimate", PRODUCT)

    assert result.exit_code == 2
    assert "check ANTHROPIC_API_KEY" in result.output and "heuristic" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_estimate_caches_a_sonnet_5_5_prefix_and_bounds_thinking(runner, workspace, claude_env):
    result = invoke(runner, workspace, "estimate", PRODUCT, "--json")

    row = json.loads(result.output)["products"][0]
    assert row["min_cacheable_tokens"] == 512 and row["cached"]
    assert row["thinking_tokens_max"] == 5 * 2048 and row["thinking_cost_usd_max"] > 0


def test_estimate_calls_an_unknown_model_unpriced(runner, workspace, claude_env):
    result = invoke(runner, workspace, "estimate", PRODUCT, "--model", "smollm2")

    assert result.exit_code == 0, result.output
    assert "unpriced" in result.output
