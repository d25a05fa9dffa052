"""Which model ids are Claude, which one is the default, and what each accepts: all asked of the
model table (``backends.model_table``), never of the installed SDK's model list."""

from __future__ import annotations

from panelist.backends import model_table
from panelist.errors import ConfigError


def default_model() -> str:
    """The model table's default (the current Sonnet)."""
    return model_table.default_model()


def is_claude_model(model: str) -> bool:
    """Claude's model ids; anything else is served by a server that is not Claude."""
    return model.startswith("claude-")


def has_effort(model: str) -> bool:
    """Whether to send ``output_config.effort``: the table says; a Claude id it does not list
    gets it (every Claude model since Opus 4.5 takes it)."""
    if not is_claude_model(model):
        return False
    facts = model_table.facts_for(model)
    return facts.effort if facts is not None else True


def thinks_by_default(model: str) -> bool:
    """Thinking comes out of max_tokens; an unlisted Claude id is assumed to think, so its
    request gets room for it."""
    facts = model_table.facts_for(model)
    return facts.thinks_by_default if facts is not None else is_claude_model(model)


def check_model(model: str, *, custom_server: bool) -> None:
    """Any Claude id is allowed (the table may not know it yet); a model id that is not Claude's
    needs a server of its own."""
    if not custom_server and not is_claude_model(model):
        raise ConfigError(f"'{model}' is not a Claude model id (known: "
                          f"{', '.join(model_table.known_models()[:6])}, ...); a model of another "
                          f"server needs --base-url or ANTHROPIC_BASE_URL")


def model_notices(model: str, *, custom_server: bool) -> tuple[str, ...]:
    """One line for a model the editor should hear about: retired, deprecated, or a Claude id
    the table does not list (sent as given, unpriced). Any id is allowed."""
    facts = model_table.facts_for(model)
    if facts is not None:
        notice = facts.notice()
        return (notice,) if notice else ()
    if custom_server and not is_claude_model(model):
        return ()  # a model of the server's own: its name means nothing to the table
    family = model.split("-")[1] if model.count("-") >= 1 else model
    close = [m for m in model_table.known_models() if family in m][:6] \
        or model_table.known_models()[:6]
    return (f"'{model}' is not in panelist's model table (known: {', '.join(close)}): it is sent "
            f"as given and its cost shows as unpriced",)
