"""What current Claude models do with a Messages API request, rule by rule, keyed by model id.

The loopback fake (``fake_messages_api``) applies these rules to every request whose model id
starts with ``claude-``; other model ids get its lenient mode (llama-server, Ollama, LiteLLM
accept what they do not understand). Each rule cites the English page on the official docs site
it models, read through the docs search on 2026-11-26; where only another copy could be read,
the comment says which. Token counts are the fake's (four
characters a token; thinking per effort from ``THINKING_TOKENS``): the mechanism is the
documented one, the numbers are not Claude's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from panelist.backends.model_table import facts_for

Json = dict[str, Any]
SAMPLING = ("temperature", "top_p", "top_k")
# Thinking tokens the fake spends per effort level: a model of "effort scales thinking",
# not a measurement of Claude.
THINKING_TOKENS = {"low": 200, "medium": 900, "high": 3000, "xhigh": 6000, "max": 12000}


@dataclass(frozen=True)
class Contract:
    """One model's documented behaviour."""

    rejects_sampling: bool  # temperature / top_p / top_k -> 400
    thinks_by_default: bool  # adaptive thinking when the request has no ``thinking``
    default_effort: str | None  # what ``output_config.effort`` defaults to
    thinking_off: tuple[str, ...]  # ``thinking.type`` values that switch up-front thinking off
    rejects_prefill: bool  # a last assistant turn -> 400
    min_cacheable_tokens: int  # shorter cached prefixes are billed as input, no error


# Sources, per model:
# - Sonnet 5.5: https://platform.claude.com/docs/en/models/sonnet-5-5/migration-guide ("leaves
#   out five settings that return a 400 error: thinking budgets, sampling parameters, assistant
#   prefill, forced tool choice, and thinking: {"type": "disabled"}"); adaptive thinking on by
#   default at effort high, up-front thinking off with ``between_tools``:
#   https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5
# - Sonnet 5: https://platform.claude.com/docs/en/models/sonnet-5/overview (adaptive thinking on
#   by default; manual extended thinking returns 400; non-default sampling parameters return 400;
#   read in the zh-CN copy of that page)
# - Opus 5: https://platform.claude.com/docs/en/models/opus-5/overview (thinking on by default,
#   can be disabled at effort high or below)
# - Opus 5.5: https://platform.claude.com/docs/en/models/opus-5-5/overview (thinking cannot be
#   disabled; default effort medium; read in the zh-CN and es copies)
# - Haiku 5.5: https://platform.claude.com/docs/en/models/haiku-5-5/overview (adaptive
#   thinking, default effort medium)
# - Haiku 4.5: the comparison table on https://platform.claude.com/docs/en/models/opus-5/overview
#   (thinking "Extended", no default effort: it thinks only when asked)
# Whether a model thinks unasked and its minimum cacheable prefix are panelist's model table's
# (src/panelist/data/models.json, with its sources): the fake and panelist read one table.
# The request rules per model: (rejects_sampling, default_effort, thinking_off, rejects_prefill)
RULES: dict[str, tuple[bool, str | None, tuple[str, ...], bool]] = {
    "claude-sonnet-5-5": (True, "high", ("between_tools",), True),
    "claude-sonnet-5": (True, "high", ("disabled",), False),
    "claude-opus-5-5": (True, "medium", (), True),
    "claude-opus-5": (True, "high", ("disabled",), True),
    "claude-haiku-5-5": (True, "medium", (), True),  # the 5-series rules; effort medium
    "claude-haiku-4-5": (False, None, ("disabled",), False),
    "claude-sonnet-4-6": (False, None, ("disabled",), False),
}
# Claude ids with no rules above behave like their generation: the 5-series as Sonnet 5.5, older
# ones as a 4.x model that thinks only when asked.
FIVE_SERIES = Contract(True, True, "high", (), True, 512)
FOUR_SERIES = Contract(False, False, None, ("disabled",), False, 1024)
_DATED = re.compile(r"-\d{8}$")
_GENERATION = re.compile(r"^claude-[a-z]+-(\d+)")


def contract_for(model: str) -> Contract | None:
    """The model's contract; None for a model id that is not Claude (the lenient mode)."""
    if not model.startswith("claude-"):
        return None
    facts = facts_for(model)
    model = facts.id if facts is not None else _DATED.sub("", model)
    generation = _GENERATION.match(model)
    base = FIVE_SERIES if generation and int(generation.group(1)) >= 5 else FOUR_SERIES
    if model in RULES:
        sampling, effort, off, prefill = RULES[model]
        base = replace(base, rejects_sampling=sampling, default_effort=effort,
                       thinking_off=off, rejects_prefill=prefill)
    if facts is None:
        return base
    return replace(base, thinks_by_default=facts.thinks_by_default,
                   min_cacheable_tokens=facts.min_cacheable_tokens or base.min_cacheable_tokens)


def request_problem(contract: Contract, params: Json) -> str | None:
    """Why Claude would answer 400 ``invalid_request_error``, or None."""
    if contract.rejects_sampling:
        for name in SAMPLING:
            if name in params:
                return f"{name}: Extra inputs are not permitted"
    thinking = params.get("thinking")
    if isinstance(thinking, dict):
        kind = thinking.get("type")
        if kind == "enabled" or "budget_tokens" in thinking:
            if contract.thinks_by_default:  # adaptive only: budgets are gone
                return "thinking.type: 'enabled' is not supported for this model; use 'adaptive'"
        elif kind not in ("adaptive", *contract.thinking_off):
            return f"thinking.type: '{kind}' is not supported for this model"
    messages = params.get("messages") or []
    if contract.rejects_prefill and messages and isinstance(messages[-1], dict) \
            and messages[-1].get("role") == "assistant":
        return ("This model does not support assistant message prefill. The conversation must "
                "end with a user message.")
    schema = ((params.get("output_config") or {}).get("format") or {}).get("schema")
    if isinstance(schema, dict):
        return schema_problem(schema)
    return None


# Modelled on https://platform.claude.com/docs/en/build-with-claude/structured-outputs ("JSON
# Schema limitations"): numeric and string-length constraints are not supported, arrays take
# minItems 0 or 1 only, and objects must set additionalProperties to false. The page's text was
# not reachable through the docs search here: this list is from our reading of it before, and
# from the issue ("schema keywords structured outputs do not support").
_UNSUPPORTED = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
                "minLength", "maxLength", "maxItems")


def schema_problem(schema: Json, path: str = "schema") -> str | None:
    for keyword in _UNSUPPORTED:
        if keyword in schema:
            return f"output_config.format.{path}: '{keyword}' is not supported"
    if schema.get("minItems", 0) not in (0, 1):
        return f"output_config.format.{path}: minItems values other than 0 or 1 are not supported"
    if schema.get("type") == "object" and schema.get("additionalProperties", True) is not False:
        return f"output_config.format.{path}: additionalProperties must be false"
    for name, child in (schema.get("properties") or {}).items():
        if isinstance(child, dict) and (problem := schema_problem(child, f"{path}.{name}")):
            return problem
    items = schema.get("items")
    if isinstance(items, dict):
        return schema_problem(items, f"{path}.items")
    return None


def thinking_tokens(contract: Contract, params: Json, per_effort: dict[str, int] | None = None
                    ) -> int:
    """Thinking tokens before the text: adaptive thinking unless switched off, scaled by effort.

    The what's-new page of Sonnet 5.5 (above): adaptive thinking on by default, effort controls
    its depth. That thinking is billed inside ``output_tokens`` is the SDK's own documentation
    of ``usage.output_tokens_details.thinking_tokens`` (anthropic 2.14); that it counts against
    ``max_tokens`` is the issue's reading of the docs.
    """
    thinking = params.get("thinking")
    kind = thinking.get("type") if isinstance(thinking, dict) else None
    if kind in contract.thinking_off or (kind is None and not contract.thinks_by_default):
        return 0
    effort = (params.get("output_config") or {}).get("effort") or contract.default_effort
    table = per_effort or THINKING_TOKENS
    return table.get(str(effort), table.get("high", THINKING_TOKENS["high"]))
