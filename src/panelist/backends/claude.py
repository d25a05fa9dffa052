"""Claude through the official anthropic SDK (async), or any server speaking the Messages API.

The SDK's own retries are off: ``panelist.retry`` is the only retry layer. SDK exceptions are
translated here and nowhere else. The SDK is imported only when a client is built, so commands
that make no model call stay fast.
"""

from __future__ import annotations

import os
import re
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from panelist.backends.base import BackendName, LLMRequest, LLMResponse, RetryHook, TokenCounts
from panelist.errors import BackendError, ConfigError
from panelist.retry import RetryPolicy, TransientError, call_with_retries

if TYPE_CHECKING:
    import anthropic

DEFAULT_TIMEOUT_S = 120.0
API_KEY_ENV = "ANTHROPIC_API_KEY"
BASE_URL_ENV = "ANTHROPIC_BASE_URL"
NO_KEY_MESSAGE = (
    "No API key: set ANTHROPIC_API_KEY (export ANTHROPIC_API_KEY=sk-ant-...), or point "
    "--base-url / ANTHROPIC_BASE_URL at a Messages API server (llama-server, Ollama, vLLM, "
    "LiteLLM), or draft offline with --model local")
_SONNET = re.compile(r"^claude-sonnet-(\d+)(?:-(\d{1,2}))?$")


def known_models() -> list[str]:
    """The model ids of the installed SDK."""
    from typing import get_args

    from anthropic.types import Model

    return [m for m in get_args(get_args(Model)[0])]


def default_model() -> str:
    """The newest Sonnet alias in the installed SDK's model list."""
    sonnets = [(int(m.group(1)), int(m.group(2) or 0), name) for name in known_models()
               if (m := _SONNET.match(name))]
    return max(sonnets)[2]


def check_model(model: str, *, custom_server: bool) -> None:
    if custom_server or model in known_models():
        return
    close = [m for m in known_models() if m.startswith(model.split("-")[0])][:6]
    raise ConfigError(f"Unknown Claude model '{model}' (known: {', '.join(close)}; "
                      f"with --base-url any model name is passed through)")


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
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
    return str(getattr(exc, "message", exc))[:300]


class ClaudeBackend:
    name: BackendName = "claude"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None,
                 policy: RetryPolicy | None = None, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.base_url = base_url or os.environ.get(BASE_URL_ENV) or None
        key = api_key or os.environ.get(API_KEY_ENV)
        if not key:
            if not self.base_url:
                raise ConfigError(NO_KEY_MESSAGE)
            key = "no-key-needed"  # local Messages API servers ignore the key
        self._api_key = key
        self.policy = policy or RetryPolicy()
        self.timeout_s = timeout_s
        self._client: anthropic.AsyncAnthropic | None = None

    @property
    def client(self) -> anthropic.AsyncAnthropic:
        if self._client is None:
            import anthropic

            self._client = anthropic.AsyncAnthropic(
                api_key=self._api_key, base_url=self.base_url, max_retries=0,
                timeout=self.timeout_s)
        return self._client

    def describe_request(self, request: LLMRequest) -> dict[str, Any]:
        """The Messages API body; the cache breakpoint closes the shared (system) prefix."""
        body: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens,
            "system": [{"type": "text", "text": request.system,
                        "cache_control": {"type": "ephemeral"}}],
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        }
        if request.schema:
            body["output_config"] = {"format": {"type": "json_schema", "schema": request.schema}}
        if self.base_url:
            # Claude's current models fix their own sampling (the SDK has no temperature);
            # Messages API servers such as llama-server still honour it.
            body["temperature"] = request.temperature
        return body

    async def complete(self, request: LLMRequest, on_retry: RetryHook | None = None
                       ) -> LLMResponse:
        body = self.describe_request(request)
        extra_body = {"temperature": body.pop("temperature")} if "temperature" in body else None
        started = time.perf_counter()

        async def attempt() -> Any:
            import anthropic

            try:
                return await self.client.messages.create(**body, extra_body=extra_body)
            except anthropic.AnthropicError as exc:
                raise translate_error(exc, request.model) from exc
            except ValueError as exc:  # a 2xx body that is not JSON (a proxy's error page)
                raise TransientError(f"the server's answer is not JSON: {exc}") from exc

        message, attempts = await call_with_retries(self.policy, attempt, on_retry)
        return message_to_response(message, started, attempts)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()


def message_to_response(message: Any, started: float, attempts: int = 1) -> LLMResponse:
    """Turn an SDK ``Message`` (interactive or from a batch) into our response."""
    if message.stop_reason == "refusal":
        raise BackendError("the model refused to review this product (stop_reason: refusal); "
                           "check the description, or try another model")
    text = "".join(block.text for block in message.content if block.type == "text")
    usage = message.usage
    tokens = TokenCounts(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cache_read_tokens=usage.cache_read_input_tokens or 0,
        cache_write_tokens=usage.cache_creation_input_tokens or 0,
    )
    return LLMResponse(text=text, model=message.model, stop_reason=message.stop_reason,
                       tokens=tokens, latency_s=time.perf_counter() - started, attempts=attempts)
