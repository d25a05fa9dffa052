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
