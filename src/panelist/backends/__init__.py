"""Choosing a backend for a model spec, and opening it. No provider SDK is imported here."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from panelist.backends.base import Backend, BackendName
from panelist.errors import ConfigError
from panelist.retry import RetryPolicy

LOCAL_PREFIX = "local"


@dataclass(frozen=True)
class ModelChoice:
    backend: BackendName
    model: str  # the id sent to the API, or the GGUF file name for local models
    path: Path | None = None  # the GGUF file, for local models


@dataclass(frozen=True)
class BackendOptions:
    base_url: str | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy.from_env)
    timeout_s: float = 120.0  # one request's time limit; a timeout is retried


def resolve_model(spec: str | None, options: BackendOptions) -> ModelChoice:
    """``--model`` (or a persona's model) to a backend and model; None means the default."""
    if spec is None:
        from panelist.backends.claude import API_KEY_ENV, NO_KEY_MESSAGE, default_model

        if os.environ.get(API_KEY_ENV) or options.base_url or os.environ.get("ANTHROPIC_BASE_URL"):
            return ModelChoice("claude", default_model())
        raise ConfigError(NO_KEY_MESSAGE)
    if spec == LOCAL_PREFIX or spec.startswith(LOCAL_PREFIX + ":"):
        raise ConfigError("The local backend is not available in this version of panelist")
    from panelist.backends.claude import check_model

    check_model(spec, custom_server=bool(options.base_url or os.environ.get("ANTHROPIC_BASE_URL")))
    return ModelChoice("claude", spec)


def open_backend(choice: ModelChoice, options: BackendOptions) -> Backend:
    if choice.backend == "claude":
        from panelist.backends.claude import ClaudeBackend

        return ClaudeBackend(base_url=options.base_url, policy=options.policy,
                             timeout_s=options.timeout_s)
    raise ConfigError(f"No backend named '{choice.backend}'")


class BackendPool:
    """One backend instance per kind for a whole run (one client, one loaded local model)."""

    def __init__(self, options: BackendOptions) -> None:
        self.options = options
        self._open: dict[tuple[BackendName, Path | None], Backend] = {}

    def get(self, choice: ModelChoice) -> Backend:
        key = (choice.backend, choice.path)
        if key not in self._open:
            self._open[key] = open_backend(choice, self.options)
        return self._open[key]

    async def aclose(self) -> None:
        for backend in self._open.values():
            await backend.aclose()
        self._open.clear()
