"""Messages API servers that are not Claude, as they really behaved.

Observed against llama-server built from llama.cpp vendored in llama-cpp-python 0.3.36
(0.5.0-dev, commit 0c1e570) with the bundled SmolLM2-135M-Instruct GGUF, and LiteLLM 1.108.7's
proxy in front of it, on 2026-11-26 (README "Any Messages API server" says how to repeat it).
llama-server's /v1/messages drops ``output_config``: the model wrote prose, to the token cap or
stopping early, and every persona failed. Through LiteLLM, /v1/messages became
/v1/chat/completions with the strict schema as ``response_format``, which llama-server enforced,
and the takes passed panelist's own validation. The lenient fake plays both servers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from fake_messages_api import FakeMessagesAPI, Fault
from helpers import invoke
from panelist.models import take_strict_token_cap
from panelist.store.drafts import DraftStore

PRODUCT = "tether-qvac-sdk"
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
README = Path(__file__).resolve().parents[1] / "README.md"




def messages(server: FakeMessagesAPI) -> list[dict[str, Any]]:
    return [r["json"] for r in server.requests if r["path"] == "/v1/messages"]


def use(monkeypatch: Any, server: FakeMessagesAPI) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
    monkeypatch.setenv("PANELIST_RETRY_SCALE", "0.01")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


def test_the_readme_llama_server_setup_fails_every_persona_as_ignored_structured_output(
        runner, workspace, monkeypatch):
    with FakeMessagesAPI(structured_output="dropped", served_model=GGUF) as server:
        use(monkeypatch, server)
        result = invoke(runner, workspace, "draft", PRODUCT, "--model", "local-gguf")

    assert result.exit_code == 1
    flat = " ".join(result.output.split())  # lines wrap at the terminal's width
    assert flat.count("ignored structured output") == 5 + 5  # live line + summary
    assert "shorter" not in result.output and "other drafts" not in result.output
    assert len(messages(server)) == 5  # prose is diagnosed at once, not re-asked
    assert DraftStore(workspace).read_all(PRODUCT) == {}


def test_prose_to_the_token_cap_says_the_server_ignored_structured_output(
        runner, workspace, monkeypatch):
    prose = Fault("take", text="Sure! Let me think about this product. " * 40,
                  stop_reason="max_tokens")
    with FakeMessagesAPI() as server:
        use(monkeypatch, server)
        server.script("dx", prose)
        result = invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx", "--model",
                        "smollm2")

    assert result.exit_code == 1
    assert "ignored structured output" in result.output and "shorter" not in result.output


def test_prose_that_stops_early_says_the_server_ignored_structured_output(
        runner, workspace, monkeypatch):
    with FakeMessagesAPI() as server:
        use(monkeypatch, server)
        server.script("dx", Fault("take", text="I think this SDK is great for developers."))
        result = invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx", "--model",
                        "smollm2")

    assert result.exit_code == 1
    assert "ignored structured output" in result.output
    assert "did not contain a JSON object" not in result.output


def test_no_batches_api_is_said_as_such(runner, workspace, monkeypatch):
    with FakeMessagesAPI(batches=False) as server:
        use(monkeypatch, server)
        result = invoke(runner, workspace, "draft", PRODUCT, "--batch", "--model", "smollm2")

    assert result.exit_code != 0
    assert "has no Message Batches API" in result.output and "model" not in result.output.split(
        "(404")[0].split("API")[0]


def test_the_readme_litellm_setup_drafts_a_panel_with_the_strict_schema(
        runner, workspace, monkeypatch):
    with FakeMessagesAPI() as server:
        use(monkeypatch, server)
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-panelist-local")
        result = invoke(runner, workspace, "draft", PRODUCT, "--model", "local-gguf")

    assert result.exit_code == 0, result.output
    sent = messages(server)
    assert len(sent) == 5 and {body["temperature"] for body in sent} == {0.6, 0.7, 0.85}
    quote = sent[0]["output_config"]["format"]["schema"]["properties"]["quote"]
    assert "pattern" in quote  # the strict schema, with the persona's word range
    assert not any("effort" in body["output_config"] or body.get("stream") for body in sent)


def test_the_readme_litellm_config_switches_to_chat_completions_globally():
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(), re.DOTALL)
    config = yaml.safe_load(next(b for b in blocks if "model_list" in b))

    # under litellm_params LiteLLM 1.108.7 ignored the switch and called /v1/responses
    assert config["litellm_settings"]["use_chat_completions_url_for_anthropic_messages"] is True
    assert config["general_settings"]["master_key"]
    assert "use_chat_completions_url_for_anthropic_messages" not in str(config["model_list"])


def test_a_proxy_error_over_several_lines_is_reported_on_one_line(runner, workspace, monkeypatch):
    # LiteLLM 1.108.7's answer while llama-server was down, as panelist received it
    message = ("litellm.InternalServerError: InternalServerError: OpenAIException - Connection "
               "error.\n\nLiteLLM: model group 'local-gguf' failed with the error above. No "
               "fallback was attempted.")
    down = Fault("status", status=500, body={"type": "error", "error": {
        "type": "api_error", "message": message}})
    with FakeMessagesAPI() as server:
        use(monkeypatch, server)
        server.script("dx", *[down] * 10)
        result = invoke(runner, workspace, "draft", PRODUCT, "--persona", "dx", "--model",
                        "local-gguf")

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any("Connection error. LiteLLM: model group" in line for line in lines)
    assert not any(line.startswith("LiteLLM:") for line in lines)


def longest_take(persona: str, params: dict[str, Any]) -> dict[str, Any]:
    """The longest answer the strict schema in ``params`` allows: every word at its longest."""
    schema = params["output_config"]["format"]["schema"]["properties"]
    words = int(re.search(r"\{\d+,(\d+)\}\$$", schema["quote"]["pattern"]).group(1)) + 1
    word = "Interoperability-minded" + "s"  # 24 characters, the longest word the pattern takes
    reason = " ".join([word] * 30)
    return {"verdict": "skip", "quote": " ".join([word] * words),
            "reasons": [reason, reason, reason]}


def test_a_server_enforcing_the_schema_gets_room_for_the_longest_answer_it_allows(
        runner, workspace, monkeypatch):
    with FakeMessagesAPI(take_factory=longest_take) as server:
        use(monkeypatch, server)
        result = invoke(runner, workspace, "draft", PRODUCT, "--model", "local-gguf")

    assert result.exit_code == 0, result.output
    sent = messages(server)
    # none was cut off at the cap and re-asked for "a shorter quote" (the quality gate may
    # re-ask a take of one repeated word, for its own reasons)
    assert "cut off" not in json.dumps(sent) and "shorter" not in result.output
    personas = workspace.load_personas()
    for body in sent[:5]:
        persona = personas[re.search(r'persona id="([^"]+)"', body["messages"][0]["content"])[1]]
        assert body["max_tokens"] == take_strict_token_cap(persona)
        assert body["max_tokens"] * 4 > len(json.dumps(longest_take(persona.id, body)))
    assert len(DraftStore(workspace).read_all(PRODUCT)) == 5


def test_estimate_gives_a_server_that_is_not_claude_no_thinking_room(
        runner, workspace, monkeypatch):
    with FakeMessagesAPI() as server:
        use(monkeypatch, server)
        result = invoke(runner, workspace, "estimate", PRODUCT, "--model", "local-gguf",
                        "--json")

    assert result.exit_code == 0, result.output
    row = json.loads(result.output)["products"][0]
    assert row["thinking_tokens_max"] == 0 and row["cost_usd"] is None  # unpriced, not $0
