"""Cost of a call from the dated price table in ``data/prices.json`` (data, not code).

Every model is priced by its exact id (or a listed alias); a model missing from the table is
unpriced, never guessed from a family name.
"""

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


def _model_id(model: str) -> str:
    return str(price_table().get("aliases", {}).get(model, model))


def rates_for(model: str) -> dict[str, Any] | None:
    """The model's row (input, output, write_5m, write_1h, read, source, as_of), or None."""
    rates: dict[str, Any] | None = price_table()["models"].get(_model_id(model))
    return rates


def is_priced(model: str) -> bool:
    return rates_for(model) is not None


def min_cacheable_tokens(model: str) -> int | None:
    """The shortest prefix the model's prompt cache takes; None when unknown (not Claude)."""
    minimum = price_table().get("min_cacheable_tokens", {}).get(_model_id(model))
    return int(minimum) if minimum is not None else None


def cost_usd(model: str, tokens: TokenCounts, *, batch: bool = False) -> float:
    """Dollars for one call (0.0 for an unpriced model: check ``is_priced`` to tell them apart).

    ``input_tokens`` excludes cached tokens, as the Messages API reports them;
    ``cache_write_tokens`` counts both TTLs, ``cache_write_1h_tokens`` the 1-hour part of it;
    thinking tokens are inside ``output_tokens`` and billed as output.
    """
    rates = rates_for(model)
    if rates is None:
        return 0.0
    writes_1h = min(tokens.cache_write_1h_tokens, tokens.cache_write_tokens)
    dollars = (tokens.input_tokens * rates["input"]
               + (tokens.cache_write_tokens - writes_1h) * rates["write_5m"]
               + writes_1h * rates["write_1h"]
               + tokens.cache_read_tokens * rates["read"]
               + tokens.output_tokens * rates["output"]) / 1e6
    if batch:
        dollars *= price_table()["batch_multiplier"]
    return round(float(dollars), 6)
