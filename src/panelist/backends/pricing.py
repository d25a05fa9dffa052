"""Cost of a call from the model table's dated prices (``data/models.json``: data, not code).

Every model is priced by its exact id (or a listed alias); a model missing from the table is
unpriced, never guessed from a family name, and its cost is ``None``, never $0.
"""

from __future__ import annotations

from panelist.backends.base import TokenCounts
from panelist.backends.model_table import Rates, batch_multiplier, facts_for


def rates_for(model: str) -> Rates | None:
    facts = facts_for(model)
    return facts.rates if facts is not None else None


def is_priced(model: str) -> bool:
    return rates_for(model) is not None


def min_cacheable_tokens(model: str) -> int | None:
    """The shortest prefix the model's prompt cache takes; None when unknown (not in the table,
    or a provider without such a cache)."""
    facts = facts_for(model)
    return facts.min_cacheable_tokens if facts is not None else None


def cost_usd(model: str, tokens: TokenCounts, *, batch: bool = False) -> float | None:
    """Dollars for one call; None for an unpriced model.

    ``input_tokens`` excludes cached tokens, as the Messages API reports them;
    ``cache_write_tokens`` counts both TTLs, ``cache_write_1h_tokens`` the 1-hour part of it;
    thinking tokens are inside ``output_tokens`` and billed as output. A model priced by prompt
    length (Haiku 5.5) bills the whole call at the long-prompt rates once the prompt (input,
    cache reads and writes) passes the threshold.
    """
    rates = rates_for(model)
    if rates is None:
        return None
    prompt = tokens.input_tokens + tokens.cache_read_tokens + tokens.cache_write_tokens
    if rates.long is not None and rates.long_prompt_above is not None \
            and prompt > rates.long_prompt_above:
        rates = rates.long
    writes_1h = min(tokens.cache_write_1h_tokens, tokens.cache_write_tokens)
    dollars = (tokens.input_tokens * rates.input
               + (tokens.cache_write_tokens - writes_1h) * rates.write_5m
               + writes_1h * rates.write_1h
               + tokens.cache_read_tokens * rates.read
               + tokens.output_tokens * rates.output) / 1e6
    if batch:
        dollars *= batch_multiplier()
    return round(float(dollars), 6)
