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


def rates_for(model: str) -> dict[str, float] | None:
    """The longest model-family prefix in the table that ``model`` starts with."""
    models: dict[str, dict[str, float]] = price_table()["models"]
    matches = [key for key in models if model == key or model.startswith(key + "-")]
    return models[max(matches, key=len)] if matches else None


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
