"""Which model ids are Claude, which one is the default, and what each accepts.

Imports the SDK only inside ``known_models``, so deciding whether a model is Claude is free.
"""

from __future__ import annotations

import re

from panelist.errors import ConfigError

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


def is_claude_model(model: str) -> bool:
    """Claude's model ids; anything else is served by a server that is not Claude."""
    return model.startswith("claude-")


# Claude models without the effort control: it arrived with Opus 4.5, after these (our reading
# of https://platform.claude.com/docs/en/build-with-claude/effort, not re-read for issue 9)
_NO_EFFORT = re.compile(r"^claude-(haiku-4-5|sonnet-4-5|sonnet-4|opus-4-1|opus-4)(-\d{8})?$")


def has_effort(model: str) -> bool:
    return is_claude_model(model) and not _NO_EFFORT.match(model)


def check_model(model: str, *, custom_server: bool) -> None:
    if custom_server or model in known_models():
        return
    close = [m for m in known_models() if m.startswith(model.split("-")[0])][:6]
    raise ConfigError(f"Unknown Claude model '{model}' (known: {', '.join(close)}; "
                      f"with --base-url any model name is passed through)")


