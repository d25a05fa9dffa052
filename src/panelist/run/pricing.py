"""Cost of a call from the dated price table in ``data/prices.json`` (data, not code)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from panelist.backends.base import TokenCounts


@cache
def price_table() -> dict[str, Any]:
    text = (resources.files("panelist") / "data" / "prices.json").read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


def _family(table: dict[str, Any], model: str) -> Any:
    """The entry of the longest model-family prefix that ``model`` starts with, or None."""
    matches = [key for key in table if model == key or model.startswith(key + "-")]
    return table[max(matches, key=len)] if matches else None


def rates_for(model: str) -> dict[str, float] | None:
    rates: dict[str, float] | None = _family(price_table()["models"], model)
    return rates


def min_cacheable_tokens(model: str) -> int | None:
    """The shortest prefix the model's prompt cache takes; None when unknown (not Claude)."""
    minimum = _family(price_table().get("min_cacheable_tokens", {}), model)
    return int(minimum) if minimum is not None else None


def cost_usd(model: str, tokens: TokenCounts, *, batch: bool = False) -> float:
    """Dollars for one call; cache writes and reads are priced at their own multipliers.

    ``input_tokens`` excludes cached tokens, as the Messages API reports them.
    """
    rates = rates_for(model)
    if rates is None:
        return 0.0
    table = price_table()
    per_token_in = rates["input"] / 1e6
    dollars = (tokens.input_tokens * per_token_in
               + tokens.cache_write_tokens * per_token_in * table["cache_write_multiplier"]
               + tokens.cache_read_tokens * per_token_in * table["cache_read_multiplier"]
               + tokens.output_tokens * rates["output"] / 1e6)
    if batch:
        dollars *= table["batch_multiplier"]
    return round(float(dollars), 6)
