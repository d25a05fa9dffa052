"""Claude through the official anthropic SDK (async), or any server speaking the Messages API.

The SDK's own retries are off: ``backends.retry`` is the only retry layer. SDK exceptions are
translated here and nowhere else. The SDK is imported only when a client is built, so commands
that make no model call stay fast.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, TypeVar

from panelist.backends.base import (
    CHARS_PER_TOKEN,
    BackendName,
    BatchItem,
    BatchStatus,
    LLMRequest,
    LLMResponse,
    RetryHook,
)
from panelist.backends.claude_answers import batch_item_of, batch_status_of, message_to_response
from panelist.backends.claude_models import check_model, default_model, has_effort, is_claude_model
from panelist.backends.pricing import min_cacheable_tokens
from panelist.backends.ratelimit import RateLimiter, RateLimitInfo
from panelist.backends.retry import RetryPolicy, TransientError, call_with_retries
from panelist.errors import BackendError, ConfigError

if TYPE_CHECKING:
    import anthropic

__all__ = ["ClaudeBackend", "check_model", "default_model", "is_claude_model",
           "message_to_response", "translate_error"]
T = TypeVar("T")
DEFAULT_TIMEOUT_S = 120.0
API_KEY_ENV = "ANTHROPIC_API_KEY"
BASE_URL_ENV = "ANTHROPIC_BASE_URL"
NO_KEY_MESSAGE = (
    "No API key: set ANTHROPIC_API_KEY (export ANTHROPIC_API_KEY=sk-ant-...), or point "
    "--base-url / ANTHROPIC_BASE_URL at a Messages API server (llama-server, Ollama, vLLM, "
    "LiteLLM), or draft offline with --model local")
def _retry_after(headers: Any) -> float | None:
    if headers is None:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        try:
            return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return None


def translate_error(exc: Exception, model: str) -> BackendError:
    """Map an SDK exception to ours: transient ones are retried, the rest fail at once."""
    import anthropic

    if isinstance(exc, anthropic.APITimeoutError):
        return TransientError("request timed out")
    if isinstance(exc, anthropic.APIConnectionError):
        return TransientError(f"connection failed: {exc.__cause__ or exc}")
    if isinstance(exc, anthropic.APIStatusError):
        status = exc.status_code
        detail = _error_detail(exc)
        if status == 429 or status == 408 or status >= 500:
            label = {429: "rate limited", 529: "overloaded"}.get(status, "server error")
            return TransientError(f"{label} ({status}): {detail}", status=status,
                                  retry_after=_retry_after(exc.response.headers))
        fixes = {
            401: "check ANTHROPIC_API_KEY",
            403: "the key has no access to this model or workspace",
            404: f"model '{model}' or endpoint not found; check --model and --base-url",
            400: "the request was rejected",
        }
        return BackendError(f"{fixes.get(status, 'request failed')} ({status}): {detail}",
                            status=status)
    if isinstance(exc, anthropic.APIResponseValidationError):
        return TransientError(f"unreadable response from the server: {exc}")
    return BackendError(f"Claude call failed: {exc}")


def _error_detail(exc: Any) -> str:
    """The server's error message on one line (LiteLLM's span several), at most 300 chars."""
    body = getattr(exc, "body", None)
    message = getattr(exc, "message", exc)
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            message = error["message"]
    return " ".join(str(message).split())[:300]


class ClaudeBackend:
    name: BackendName = "claude"
    draws = 1  # one call; an invalid answer gets one re-ask carrying its problem
    counted_by = "count_tokens endpoint"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None,
                 policy: RetryPolicy | None = None, timeout_s: float = DEFAULT_TIMEOUT_S,
                 concurrency: int = 5) -> None:
        self.base_url = base_url or os.environ.get(BASE_URL_ENV) or None
        key = api_key or os.environ.get(API_KEY_ENV)
        if not key:
            if not self.base_url:
                raise ConfigError(NO_KEY_MESSAGE)
            key = "no-key-needed"  # local Messages API servers ignore the key
        self._api_key = key
        self.policy = policy or RetryPolicy()
        self.timeout_s = timeout_s
        self.limiter = RateLimiter(concurrency, time_scale=self.policy.time_scale)
        self._client: anthropic.AsyncAnthropic | None = None
        self._warming: dict[str, asyncio.Event] = {}

    @property
    def client(self) -> anthropic.AsyncAnthropic:
        if self._client is None:
            import anthropic

            self._client = anthropic.AsyncAnthropic(
                api_key=self._api_key, base_url=self.base_url, max_retries=0,
                timeout=self.timeout_s)
        return self._client

    def describe_request(self, request: LLMRequest, *, cache_ttl: str | None = None
                         ) -> dict[str, Any]:
        """The Messages API body; the cache breakpoint closes the shared (system) prefix.

        A Claude model id gets no sampling parameter (the 5-series answer 400) and, where the
        model has the effort control, ``output_config.effort``. Any other model id is a server
        that is not Claude (llama-server, Ollama, LiteLLM): it gets ``temperature`` and the
        strict schema, whose length bounds a grammar can enforce.
        """
        cache_control: dict[str, str] = {"type": "ephemeral"}
        if cache_ttl:
            cache_control["ttl"] = cache_ttl
        body: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens,
            "system": [{"type": "text", "text": request.system, "cache_control": cache_control}],
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        }
        claude = is_claude_model(request.model)
        schema = request.schema if claude else (request.strict_schema or request.schema)
        output_config: dict[str, Any] = {}
        if schema:
            output_config["format"] = {"type": "json_schema", "schema": schema}
        if claude and request.effort and has_effort(request.model):
            output_config["effort"] = request.effort
        if output_config:
            body["output_config"] = output_config
        if not claude:
            body["temperature"] = request.temperature
        return body

    async def complete(self, request: LLMRequest, on_retry: RetryHook | None = None
                       ) -> LLMResponse:
        """One answer. When the prefix is long enough for the model's prompt cache, the first
        call with it is streamed and calls sharing it wait until its response has begun: the
        cache entry is readable only then, so a panel pays one cache write and N-1 reads
        instead of N writes. A shorter prefix is never cached, so every call goes at once."""
        body = self.describe_request(request)
        extra_body = {"temperature": body.pop("temperature")} if "temperature" in body else None
        started = time.perf_counter()
        warm, first = self._warm_up(body)
        if first:
            try:
                message, attempts = await call_with_retries(
                    self.policy, lambda: self._send_limited(body, extra_body, request.model,
                                                            on_start=warm.set), on_retry)
            finally:
                warm.set()  # a failed first call frees the others (each then writes the cache)
        else:
            await warm.wait()
            message, attempts = await call_with_retries(
                self.policy, lambda: self._send_limited(body, extra_body, request.model),
                on_retry)
        return message_to_response(message, started, attempts, effort=request.effort)

    def _warm_up(self, body: dict[str, Any]) -> tuple[asyncio.Event, bool]:
        """The event set once the first response for this model + cached prefix has begun,
        and whether this call is that first one. Calls that would not be cached (a server that
        is not Claude, a prefix below the model's minimum) never wait."""
        if not self.warms_cache(body):
            ready = asyncio.Event()
            ready.set()
            return ready, False
        key = json.dumps([body["model"], body["system"]], sort_keys=True)
        if key in self._warming:
            return self._warming[key], False
        self._warming[key] = asyncio.Event()
        return self._warming[key], True

    @staticmethod
    def warms_cache(body: dict[str, Any]) -> bool:
        """Whether the shared prefix reaches the model's minimum cacheable length (from the
        model table; a Claude id it does not list is assumed to cache). The prefix is measured
        in characters: a prefix the model would cache after all costs N-1 extra writes, not
        a failure."""
        model = str(body["model"])
        if not is_claude_model(model):
            return False
        minimum = min_cacheable_tokens(model)
        prefix = sum(len(block.get("text", "")) for block in body["system"])
        return minimum is None or prefix // CHARS_PER_TOKEN >= minimum

    async def _send_limited(self, body: dict[str, Any], extra_body: dict[str, Any] | None,
                            model: str, on_start: Callable[[], None] | None = None) -> Any:
        """One attempt in a rate-limiter slot; every answer's rate-limit headers feed it.
        With ``on_start`` the answer is streamed and ``on_start`` runs at ``message_start``."""
        async with self.limiter.slot() as ticket:
            def report_status(status: int, headers: Any) -> None:
                ticket.report(rate_limit_info(headers), throttled=status in THROTTLED)

            if on_start is None:
                raw = await self._sdk_call(
                    lambda: self.client.messages.with_raw_response.create(
                        **body, extra_body=extra_body), model, on_status=report_status)
                message = await self._sdk_call(raw.parse, model)
                headers = raw.headers
            else:
                message, headers = await self._sdk_call(
                    lambda: self._stream(body, extra_body, on_start), model,
                    on_status=report_status)
            usage = message.usage
            ticket.report(rate_limit_info(headers),
                          tokens=(usage.input_tokens or 0) + (usage.output_tokens or 0))
            return message

    async def _stream(self, body: dict[str, Any], extra_body: dict[str, Any] | None,
                      on_start: Callable[[], None]) -> tuple[Any, Any]:
        async with self.client.messages.stream(**body, extra_body=extra_body) as stream:
            started = False
            async for event in stream:
                if event.type == "message_start":
                    started = True
                    on_start()
            if not started:  # a 200 that is not an event stream (a proxy's error page)
                kind = stream.response.headers.get("content-type", "no content-type")
                raise TransientError(f"the server's answer is not a message stream ({kind})")
            return await stream.get_final_message(), stream.response.headers

    async def _sdk_call(self, call: Callable[[], Awaitable[T]], model: str,
                        on_status: Callable[[int, Any], None] | None = None) -> T:
        """Await an SDK call; its exceptions leave as ours (``on_status`` sees HTTP errors)."""
        import anthropic

        try:
            return await call()
        except anthropic.APIStatusError as exc:
            if on_status is not None:
                on_status(exc.status_code, exc.response.headers)
            raise translate_error(exc, model) from exc
        except anthropic.AnthropicError as exc:
            raise translate_error(exc, model) from exc
        except json.JSONDecodeError as exc:  # a 2xx body that is not JSON (a proxy's error page)
            raise TransientError(f"the server's answer is not JSON: {exc}") from exc

    async def count_tokens(self, request: LLMRequest) -> int:
        """Input tokens of a request, from the token counting endpoint (free, no generation)."""
        body = self.describe_request(request)
        params = {key: body[key] for key in ("model", "system", "messages", "output_config")
                  if key in body}

        async def attempt() -> Any:
            return await self._sdk_call(lambda: self.client.messages.count_tokens(**params),
                                        request.model)

        counted, _ = await call_with_retries(self.policy, attempt)
        return int(counted.input_tokens)

    async def submit_batch(self, items: Sequence[tuple[str, LLMRequest]]) -> BatchStatus:
        """Send requests as one Message Batch (half price, answered within 24 hours)."""
        # Cache hits inside a batch are best-effort and may come long after the first request:
        # the batch-processing docs recommend the 1-hour TTL there (as the issue quotes them;
        # its writes cost 2x input, 1.6x the 5-minute ones).
        requests: list[Any] = [{"custom_id": custom_id,
                                "params": self.describe_request(request, cache_ttl="1h")}
                               for custom_id, request in items]
        model = items[0][1].model if items else ""

        async def attempt() -> Any:
            try:
                return await self._sdk_call(
                    lambda: self.client.messages.batches.create(requests=requests), model)
            except BackendError as error:
                if error.status == 404:
                    raise BackendError(
                        f"the server at {self.base_url or 'api.anthropic.com'} has no Message "
                        f"Batches API (404 on /v1/messages/batches); draft without --batch",
                        status=404) from None
                if not isinstance(error, TransientError) or error.status is not None:
                    raise  # refused outright: nothing was created
                # A timeout or dropped connection may come after the batch was created, and
                # batches have no idempotency key: sending again could pay for it twice.
                raise BackendError(
                    f"the batch submission was interrupted ({error}); it may have been "
                    f"created anyway: check the Batches page of the Claude Console before "
                    f"submitting again") from None

        batch, _ = await call_with_retries(self.policy, attempt)
        return batch_status_of(batch)

    async def batch_status(self, batch_id: str) -> BatchStatus:
        async def attempt() -> Any:
            return await self._sdk_call(
                lambda: self.client.messages.batches.retrieve(batch_id), "")

        batch, _ = await call_with_retries(self.policy, attempt)
        return batch_status_of(batch)

    async def batch_results(self, batch_id: str) -> list[BatchItem]:
        """Every request's outcome; only for a batch that has ended."""
        async def attempt() -> list[Any]:
            async def read_all() -> list[Any]:
                return [line async for line in await self.client.messages.batches.results(
                    batch_id)]

            return list(await self._sdk_call(read_all, ""))

        lines, _ = await call_with_retries(self.policy, attempt)
        return [batch_item_of(line) for line in lines]

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()


THROTTLED = frozenset({429, 529})


def _reset_in(value: str | None) -> float | None:
    """Seconds until an RFC 3339 reset time (anthropic-ratelimit-*-reset)."""
    if not value:
        return None
    try:
        return max(datetime.fromisoformat(value).timestamp() - time.time(), 0.0)
    except ValueError:
        return None


def _int_header(headers: Any, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def rate_limit_info(headers: Any) -> RateLimitInfo:
    """The anthropic-ratelimit-* and retry-after headers of one answer, for the rate limiter."""
    if headers is None:
        return RateLimitInfo()
    prefix = "anthropic-ratelimit-"
    token_budgets = [(remaining, _reset_in(headers.get(f"{prefix}{kind}-reset")))
                     for kind in ("tokens", "input-tokens", "output-tokens")
                     if (remaining := _int_header(headers, f"{prefix}{kind}-remaining"))
                     is not None]
    tokens_remaining, tokens_reset_in = min(token_budgets, default=(None, None),
                                            key=lambda budget: budget[0] or 0)
    return RateLimitInfo(
        requests_limit=_int_header(headers, f"{prefix}requests-limit"),
        requests_remaining=_int_header(headers, f"{prefix}requests-remaining"),
        requests_reset_in=_reset_in(headers.get(f"{prefix}requests-reset")),
        tokens_remaining=tokens_remaining, tokens_reset_in=tokens_reset_in,
        retry_after=_retry_after(headers))
