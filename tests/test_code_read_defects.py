"""Defects a careful read of the code found (issue 12), each pinned by a spec."""

from __future__ import annotations

import asyncio
import json

import pytest

from panelist.backends.claude import ClaudeBackend
from panelist.errors import BackendError


def test_a_programming_error_inside_a_claude_call_is_not_retried_as_not_json():
    backend = ClaudeBackend(api_key="sk-ant-test", base_url="http://127.0.0.1:9")

    async def buggy() -> None:
        raise ValueError("a bug in our own code")

    with pytest.raises(ValueError, match="a bug in our own code"):
        asyncio.run(backend._sdk_call(buggy, "claude-sonnet-5-5"))


def test_a_body_that_is_not_json_is_a_transient_backend_error():
    backend = ClaudeBackend(api_key="sk-ant-test", base_url="http://127.0.0.1:9")

    async def proxy_page() -> None:
        json.loads("<html>proxy error</html>")

    with pytest.raises(BackendError, match="not JSON") as raised:
        asyncio.run(backend._sdk_call(proxy_page, "claude-sonnet-5-5"))
    assert raised.value.retryable


def test_a_broken_reask_template_is_found_before_any_tokens_are_spent(cli, workspace,
                                                                      claude_env):
    (workspace.root / "prompts").mkdir(exist_ok=True)
    (workspace.root / "prompts" / "reask.j2").write_text("{{ persona.nope }", encoding="utf-8")

    result = cli("draft", "tether-qvac-sdk")

    assert result.exit_code == 2 and "reask.j2" in result.output
    assert not [r for r in claude_env.requests if r["path"] == "/v1/messages"]


def test_render_closes_the_backend_it_opened(cli, claude_env, monkeypatch):
    closed = []
    original = ClaudeBackend.aclose

    async def counting_close(self: ClaudeBackend) -> None:
        closed.append(self)
        await original(self)

    monkeypatch.setattr(ClaudeBackend, "aclose", counting_close)

    result = cli("render", "tether-qvac-sdk", "dx")

    assert result.exit_code == 0, result.output
    assert '"model"' in result.output and len(closed) == 1
