"""Choosing a backend for a model spec, and opening it. No provider SDK is imported here."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from panelist.backends.base import Backend, BackendName
from panelist.backends.retry import RetryPolicy
from panelist.errors import ConfigError

LOCAL_PREFIX = "local"
LOCAL_MODEL_ENV = "PANELIST_LOCAL_MODEL"  # a GGUF used instead of the bundled local model


@dataclass(frozen=True)
class ModelChoice:
    """A model and the backend that runs it, with what the rest of panelist must know about
    the provider: asked here, so no shared module branches on the backend's name."""

    backend: BackendName
    model: str  # the id sent to the API, or the GGUF file name for local models
    path: Path | None = None  # the GGUF file, for local models
    notices: tuple[str, ...] = ()  # told to the user once per run (stderr) when this is used

    @property
    def is_claude(self) -> bool:
        """A Claude model (by its id), not merely a server speaking the Messages API."""
        from panelist.backends.claude_models import is_claude_model

        return self.backend == "claude" and is_claude_model(self.model)

    @property
    def price_key(self) -> str:
        """The model table's row this model's calls are priced by."""
        return self.model if self.backend == "claude" else "local"

    @property
    def serial(self) -> bool:
        """One call at a time: a local model serves one persona while the others wait."""
        return self.backend == "local"

    @property
    def thinks(self) -> bool:
        """Thinking comes out of max_tokens, so the request needs room for it (the table says
        which models think unasked; a Claude id it does not list is assumed to)."""
        from panelist.backends.claude_models import thinks_by_default

        return self.backend == "claude" and thinks_by_default(self.model)

    @property
    def batches(self) -> bool:
        """The provider has a discounted batch API (Claude's Message Batches)."""
        return self.is_claude

    @property
    def enforces_schema_by_grammar(self) -> bool:
        """A server that is not Claude: it gets the strict schema, whose bounds a grammar
        enforces while decoding (so the answer's token cap must cover its longest answer)."""
        return self.backend == "claude" and not self.is_claude

    @property
    def min_cacheable_tokens(self) -> int | None:
        """The shortest prefix the provider's prompt cache keeps (None: no such cache)."""
        from panelist.backends.pricing import min_cacheable_tokens

        return min_cacheable_tokens(self.model) if self.backend == "claude" else None


def is_local_spec(spec: str) -> bool:
    """``local`` or ``local:/path/to/model.gguf``."""
    return spec == LOCAL_PREFIX or spec.startswith(LOCAL_PREFIX + ":")


@dataclass(frozen=True)
class BackendOptions:
    base_url: str | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy.from_env)
    # one request's time limit (Claude retries it; local draws again); None: Claude's default,
    # and on the local backend a limit derived from the take's token cap and measured speed
    timeout_s: float | None = None


def resolve_model(spec: str | None, options: BackendOptions) -> ModelChoice:
    """``--model`` (or a persona's model) to a backend and model; None means the default."""
    if spec is None:
        from panelist.backends.claude import API_KEY_ENV, NO_KEY_MESSAGE, default_model

        if os.environ.get(API_KEY_ENV) or options.base_url or os.environ.get("ANTHROPIC_BASE_URL"):
            from panelist.backends.claude_models import model_notices

            model = default_model()
            return ModelChoice("claude", model, notices=model_notices(model, custom_server=True))
        from panelist.backends.local import INSTALL_COMMAND, llama_cpp_installed

        if not llama_cpp_installed():
            raise ConfigError(f"{NO_KEY_MESSAGE} (install it first: {INSTALL_COMMAND})")
        return _local_choice(None, no_key=API_KEY_ENV)
    if is_local_spec(spec):
        return _local_choice(spec.removeprefix(LOCAL_PREFIX).removeprefix(":") or None)
    from panelist.backends.claude_models import check_model, model_notices

    custom_server = bool(options.base_url or os.environ.get("ANTHROPIC_BASE_URL"))
    check_model(spec, custom_server=custom_server)
    return ModelChoice("claude", spec, notices=model_notices(spec, custom_server=custom_server))


def _local_choice(path_text: str | None, *, no_key: str | None = None) -> ModelChoice:
    """``local[:PATH]``: that GGUF, else PANELIST_LOCAL_MODEL's, else the bundled model.
    ``no_key`` names the missing key when this is the default, for the notice saying so."""
    from panelist.backends import local

    if not local.llama_cpp_installed():
        raise ConfigError(local.MISSING_EXTRA_MESSAGE)
    path_text = path_text or os.environ.get(LOCAL_MODEL_ENV) or None
    path = Path(path_text).expanduser().resolve() if path_text else local.bundled_model()
    local.check_gguf(path)
    bundled = path_text is None
    notices = [local.BUNDLED_NOTE] if bundled else []
    if no_key:
        model = local.describe_model(path, bundled=bundled)
        notices.insert(0, f"No {no_key}: drafting with {model}; set {no_key} or pass --model "
                          f"to switch")
    return ModelChoice("local", path.name, path, notices=tuple(notices))


def open_backend(choice: ModelChoice, options: BackendOptions, concurrency: int = 5) -> Backend:
    """``concurrency``: calls in flight at most, the ceiling of Claude's adaptive rate limiter."""
    if choice.backend == "claude":
        from panelist.backends.claude import DEFAULT_TIMEOUT_S, ClaudeBackend

        return ClaudeBackend(base_url=options.base_url, policy=options.policy,
                             timeout_s=options.timeout_s or DEFAULT_TIMEOUT_S,
                             concurrency=concurrency)
    if choice.backend == "local" and choice.path is not None:
        from panelist.backends.local import LocalBackend

        return LocalBackend(choice.path, timeout_s=options.timeout_s)
    raise ConfigError(f"No backend named '{choice.backend}'")


class BackendPool:
    """One backend instance per kind for a whole run (one client, one loaded local model).

    Whoever opens a pool closes it: ``async with BackendPool(options) as pool: ...``.
    """

    def __init__(self, options: BackendOptions, concurrency: int = 5) -> None:
        self.options = options
        self.concurrency = concurrency
        self._open: dict[tuple[BackendName, Path | None], Backend] = {}

    async def __aenter__(self) -> BackendPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def get(self, choice: ModelChoice) -> Backend:
        key = (choice.backend, choice.path)
        if key not in self._open:
            self._open[key] = open_backend(choice, self.options, self.concurrency)
        return self._open[key]

    async def aclose(self) -> None:
        for backend in self._open.values():
            await backend.aclose()
        self._open.clear()
