"""The model table (``data/models.json``): every model id panelist knows, what it costs and what
it can do. The one place that says which models exist; nothing asks the SDK's ``Model`` list.

A model id missing from the table is allowed (new models appear before the table knows them):
it is sent as given and its calls are unpriced, never guessed from a family name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from panelist.errors import ConfigError

Status = Literal["active", "deprecated", "retired"]
TABLE_FILE = "models.json"


@dataclass(frozen=True)
class Rates:
    """USD per million tokens, as read on ``as_of`` from ``source``."""

    input: float
    output: float
    write_5m: float
    write_1h: float
    read: float
    source: str
    as_of: str
    long_prompt_above: int | None = None  # prompts longer than this many tokens pay ``long``
    long: Rates | None = None


@dataclass(frozen=True)
class ModelFacts:
    id: str
    provider: str
    rates: Rates | None  # None: listed, but no official price was found
    min_cacheable_tokens: int | None  # the shortest prefix the prompt cache takes
    thinks_by_default: bool  # thinks when the request says nothing about thinking
    effort: bool  # takes output_config.effort
    batch: bool  # has a discounted batch API
    status: Status = "active"
    lifecycle_date: str | None = None  # retirement date (deprecated) or when it was retired
    replacement: str | None = None

    def notice(self) -> str | None:
        """One line for a deprecated or retired model; None for an active one."""
        instead = f"; use {self.replacement} instead" if self.replacement else ""
        if self.status == "retired":
            since = f" on {self.lifecycle_date}" if self.lifecycle_date else ""
            return (f"{self.id} was retired{since}: the Claude API answers its requests with an "
                    f"error{instead}")
        if self.status == "deprecated":
            when = f"retires on {self.lifecycle_date}" if self.lifecycle_date else "is deprecated"
            return f"{self.id} {when}{instead}"
        return None


@cache
def _table() -> dict[str, Any]:
    text = (resources.files("panelist") / "data" / TABLE_FILE).read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


@cache
def _models() -> dict[str, ModelFacts]:
    """Every id and alias -> its facts; a malformed row is an error naming it."""
    models: dict[str, ModelFacts] = {}
    for model_id, row in _table()["models"].items():
        try:
            facts = _facts(model_id, row)
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"src/panelist/data/{TABLE_FILE}: model '{model_id}': bad or "
                              f"missing field {exc}") from None
        for name in (model_id, *row.get("aliases", [])):
            models[name] = facts
    return models


def _facts(model_id: str, row: dict[str, Any]) -> ModelFacts:
    lifecycle = row.get("lifecycle") or {}
    status = lifecycle.get("status", "active")
    if status not in ("active", "deprecated", "retired"):
        raise ValueError(f"lifecycle.status '{status}'")
    return ModelFacts(
        id=model_id, provider=str(row["provider"]), rates=_rates(row["prices"]),
        min_cacheable_tokens=row["min_cacheable_tokens"],
        thinks_by_default=bool(row["thinks_by_default"]), effort=bool(row["effort"]),
        batch=bool(row["batch"]), status=status,
        lifecycle_date=lifecycle.get("retires") or lifecycle.get("since"),
        replacement=lifecycle.get("replacement"))


def _rates(prices: dict[str, Any] | None) -> Rates | None:
    if prices is None:
        return None
    long = prices.get("long_prompt")
    return _rate_row(prices, str(prices["source"]), str(prices["as_of"]),
                     long_prompt_above=int(long["above_tokens"]) if long else None,
                     long=_rate_row(long, str(prices["source"]), str(prices["as_of"]))
                     if long else None)


def _rate_row(prices: dict[str, Any], source: str, as_of: str, *,
              long_prompt_above: int | None = None, long: Rates | None = None) -> Rates:
    return Rates(input=float(prices["input"]), output=float(prices["output"]),
                 write_5m=float(prices["write_5m"]), write_1h=float(prices["write_1h"]),
                 read=float(prices["read"]), source=source, as_of=as_of,
                 long_prompt_above=long_prompt_above, long=long)


def facts_for(model: str) -> ModelFacts | None:
    """The table's row for a model id or alias; None for an id the table does not list."""
    return _models().get(model)


def known_models(provider: str = "anthropic") -> list[str]:
    """The canonical ids of one provider's models, in the table's order."""
    return [model_id for model_id, row in _table()["models"].items()
            if row["provider"] == provider]


def default_model() -> str:
    """The model drafts use when neither --model nor a persona names one."""
    return str(_table()["default_model"])


def batch_multiplier() -> float:
    return float(_table()["batch_multiplier"])


def all_facts() -> list[ModelFacts]:
    """One entry per listed model (aliases folded)."""
    return list({facts.id: facts for facts in _models().values()}.values())
