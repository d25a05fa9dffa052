"""Prove the fake Messages API speaks the wire format the REAL anthropic SDK expects.

Why: every panelist test/benchmark that relies on the fake is only meaningful if the
SDK parses its replies and maps its faults to the same exceptions as production.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import anthropic
import pytest

try:
    from fake_messages_api import FakeMessagesAPI, Fault
except ImportError:  # tests/ imported as a package
    from tests.fake_messages_api import FakeMessagesAPI, Fault

MODEL = "claude-sonnet-4-6"  # any non-deprecated id: the SDK warns (=error here) on deprecated ones
SYSTEM = [{"type": "text", "text": "You are a panel of reviewers. " * 200,  # > 1,024 tokens
           "cache_control": {"type": "ephemeral"}}]


def _params(persona: str) -> dict[str, Any]:
    block = {"type": "text", "text": f'<persona id="{persona}"/> Review it.'}
    return {"model": MODEL, "max_tokens": 512, "system": SYSTEM,
            "messages": [{"role": "user", "content": [block]}]}


def _client(fake: FakeMessagesAPI, **kw: Any) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(api_key="sk-ant-test", base_url=fake.base_url, max_retries=0,
                                    **kw)


def _text(msg: anthropic.types.Message) -> str:
    blocks = [block for block in msg.content if isinstance(block, anthropic.types.TextBlock)]
    assert blocks, msg.content
    return blocks[0].text


@pytest.fixture
def fake() -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI() as f:
        yield f


def test_normal_create_returns_json_take_and_cache_usage(fake: FakeMessagesAPI) -> None:
    """Default reply is a parsed Message whose text is the JSON take; system caching is reported."""
    async def go() -> list[anthropic.types.Message]:
        async with _client(fake) as c:
            return [await c.messages.create(**_params("skeptic")) for _ in range(2)]

    first, second = asyncio.run(go())
    take = json.loads(_text(first))
    assert take["verdict"] in ("ship", "skip") and "skeptic" in take["quote"]
    assert len(take["reasons"]) == 2
    assert first.model == MODEL and first.stop_reason == "end_turn"
    assert first.usage.cache_creation_input_tokens and not first.usage.cache_read_input_tokens
    assert second.usage.cache_read_input_tokens == first.usage.cache_creation_input_tokens
    assert fake.requests[0]["persona"] == "skeptic"
    assert "anthropic-version" in fake.requests[0]["headers"]
    assert fake.count(200) == 2


def test_scripted_faults_map_to_sdk_exceptions(fake: FakeMessagesAPI) -> None:
    """429 keeps retry-after visible to the caller; reset surfaces as a connection error."""
    fake.script("p1", Fault("status", 429, headers={"retry-after": "7"}), Fault("reset"),
                Fault("take", text="not json", stop_reason="max_tokens"))

    Out = tuple[anthropic.RateLimitError, anthropic.APIConnectionError, anthropic.types.Message]

    async def go() -> Out:
        async with _client(fake) as c:
            with pytest.raises(anthropic.RateLimitError) as rl:
                await c.messages.create(**_params("p1"))
            with pytest.raises(anthropic.APIConnectionError) as conn:
                await c.messages.create(**_params("p1"))
            return rl.value, conn.value, await c.messages.create(**_params("p1"))

    rl, conn, take = asyncio.run(go())
    assert rl.response.headers["retry-after"] == "7"
    assert isinstance(rl.body, dict) and rl.body["error"]["type"] == "rate_limit_error"
    assert not isinstance(conn, anthropic.APITimeoutError)
    assert _text(take) == "not json" and take.stop_reason == "max_tokens"
    assert fake.responses == [429, 200]  # the reset was never answered


def test_raw_529_and_hang_timeout(fake: FakeMessagesAPI) -> None:
    """Non-JSON error bodies still map by status; a hang hits the read timeout, others go on."""
    fake.script("p", Fault("raw", 529, body="<html>overloaded</html>"), Fault("hang", delay=5))

    async def go() -> None:
        async with _client(fake, timeout=0.5) as c:
            with pytest.raises(anthropic.InternalServerError) as e:
                await c.messages.create(**_params("p"))
            assert e.value.status_code == 529
            t0 = time.monotonic()
            hung, ok = await asyncio.gather(c.messages.create(**_params("p")),
                                            c.messages.create(**_params("q")),
                                            return_exceptions=True)
            assert isinstance(hung, anthropic.APITimeoutError)
            assert isinstance(ok, anthropic.types.Message)
            assert time.monotonic() - t0 < 3

    asyncio.run(go())


def test_rpm_limit_sliding_window() -> None:
    """Excess requests in the window get 429 + retry-after/ratelimit headers; the window slides."""
    with FakeMessagesAPI(rpm_limit=2, window=1.0) as fake:
        async def go() -> None:
            async with _client(fake) as c:
                for _ in range(2):
                    raw = await c.messages.with_raw_response.create(**_params("a"))
                    assert raw.headers["anthropic-ratelimit-requests-limit"] == "2"
                with pytest.raises(anthropic.RateLimitError) as e:
                    await c.messages.create(**_params("b"))
                assert e.value.response.headers["retry-after"] == "1"
                assert e.value.response.headers["anthropic-ratelimit-requests-remaining"] == "0"
                await asyncio.sleep(1.05)
                await c.messages.create(**_params("b"))

        asyncio.run(go())
        assert fake.responses == [200, 200, 429, 200]


def test_count_tokens_and_unknown_path(fake: FakeMessagesAPI) -> None:
    async def go() -> None:
        async with _client(fake) as c:
            msgs: Any = [{"role": "user", "content": "x" * 400}]
            n = await c.messages.count_tokens(model=MODEL, messages=msgs)
            assert n.input_tokens == 100
            with pytest.raises(anthropic.NotFoundError):
                await c.models.retrieve("nope")

    asyncio.run(go())


def test_batch_round_trip() -> None:
    """create -> retrieve (in_progress, then ended) -> results: succeeded/errored/expired lines."""
    with FakeMessagesAPI(batch_delay=0.3) as fake:
        fake.script("bad", Fault("status", 500))
        fake.script("late", Fault("status", 0))

        async def go() -> list[anthropic.types.messages.MessageBatchIndividualResponse]:
            async with _client(fake) as c:
                ids = ("ok", "bad", "late")
                reqs: Any = [{"custom_id": f"r-{p}", "params": _params(p)} for p in ids]
                batch = await c.messages.batches.create(requests=reqs)
                assert batch.processing_status == "in_progress"
                assert batch.request_counts.processing == 3
                await asyncio.sleep(0.35)
                done = await c.messages.batches.retrieve(batch.id)
                assert done.processing_status == "ended" and done.results_url and done.ended_at
                assert (done.request_counts.succeeded, done.request_counts.errored,
                        done.request_counts.expired) == (1, 1, 1)
                return [line async for line in await c.messages.batches.results(batch.id)]

        by_id = {r.custom_id: r.result for r in asyncio.run(go())}
    ok = by_id["r-ok"]
    assert ok.type == "succeeded" and ok.message.usage.service_tier == "batch"
    assert json.loads(_text(ok.message))["verdict"] in ("ship", "skip")
    assert by_id["r-bad"].type == "errored" and by_id["r-bad"].error.error.type == "api_error"
    assert by_id["r-late"].type == "expired"


def test_concurrent_fan_out_is_served_in_parallel() -> None:
    """A panel fans out many requests at once; the fake must accept and serve them concurrently."""
    with FakeMessagesAPI(latency=1.0) as fake:
        async def go() -> None:
            async with _client(fake) as c:
                await asyncio.gather(*(c.messages.create(**_params(f"p{i}")) for i in range(60)))

        asyncio.run(go())
        arrivals = sorted(request["time"] for request in fake.requests)
        # a server answering one at a time would see the next request only after the first
        # answer (1 s); served concurrently, many arrive while the first is still waiting
        assert fake.count(200) == 60
        assert sum(arrival < arrivals[0] + 1.0 for arrival in arrivals) >= 10
