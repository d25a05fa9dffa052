"""What a run would use and cost, worked out before making it. Every figure is an estimate.

Input tokens are counted where the backend can count them (Claude's token counting endpoint, a
local model's tokenizer) and from characters (about four per token) where it cannot, and each
row says which. Output tokens are expected from each persona's quote length. Prompt caching is
assumed per product: one persona writes the shared prefix and the others read it, when the
prefix reaches the model's minimum cacheable length (the model table); below that minimum
nothing is cached and every input token is billed in full. A batch writes its cache with the
1-hour TTL (``ClaudeBackend.submit_batch``), so its estimate prices the write at that rate.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from panelist.backends import BackendPool, ModelChoice
from panelist.backends.base import CHARS_PER_TOKEN, LLMRequest, TokenCounter, TokenCounts
from panelist.backends.pricing import cost_usd, is_priced, rates_for
from panelist.errors import BackendError, ConfigError
from panelist.run.jobs import PlannedJob
from panelist.run.plan import Plan, answer_cap

TOKENS_PER_WORD = 1.3
TAKE_OVERHEAD_TOKENS = 75  # the verdict, two or three reasons and the JSON around the quote
HEURISTIC = "chars/4 heuristic"


@dataclass(frozen=True)
class JobEstimate:
    product: str
    persona: str
    model: str
    backend: str
    input_tokens: int
    prefix_tokens: int  # the shared part (instructions + product), cacheable across the panel
    output_tokens: int
    counted_by: str
    thinking_tokens_max: int = 0  # the request's room for thinking: billed as output if used
    min_cacheable_tokens: int | None = None  # the provider's cache minimum (None: no cache)
    price_key: str = ""  # the model table's row its calls are priced by
    batches: bool = False  # the provider has a batch API


async def estimate_plan(plan: Plan) -> list[JobEstimate]:
    """Count every planned request, a few at a time; no model is run."""
    gate = asyncio.Semaphore(max(1, plan.settings.concurrency))

    async def estimate_one(pool: BackendPool, planned: PlannedJob) -> JobEstimate:
        job, choice, request = planned.job, planned.choice, planned.request
        async with gate:
            tokens, counted_by = await _count(pool, choice, request)
        text = _chars(request)
        low, high = job.persona.quote_words
        return JobEstimate(
            product=job.product.slug, persona=job.persona.id, model=choice.model,
            backend=choice.backend, input_tokens=tokens,
            prefix_tokens=round(tokens * len(request.system) / max(text, 1)),
            output_tokens=round((low + high) / 2 * TOKENS_PER_WORD) + TAKE_OVERHEAD_TOKENS,
            counted_by=counted_by,
            thinking_tokens_max=max(request.max_tokens - answer_cap(job.persona, choice), 0),
            min_cacheable_tokens=choice.min_cacheable_tokens, price_key=choice.price_key,
            batches=choice.batches)

    async with BackendPool(plan.settings.backend, plan.settings.concurrency) as pool:
        return list(await asyncio.gather(*(estimate_one(pool, p) for p in plan.jobs)))


async def _count(pool: BackendPool, choice: ModelChoice, request: LLMRequest) -> tuple[int, str]:
    try:
        backend: Any = pool.get(choice)
    except ConfigError:  # no API key, or no local model here
        backend = None
    if isinstance(backend, TokenCounter):
        try:
            counted = await backend.count_tokens(request)
        except BackendError as error:
            if error.status in (401, 403):  # a bad key fails the run too: say so now
                raise ConfigError(f"estimate could not count tokens: {error}") from None
            # a Messages API server without the counting endpoint
            return _chars(request) // CHARS_PER_TOKEN, f"{HEURISTIC} (the server cannot count)"
        return counted, backend.counted_by
    return _chars(request) // CHARS_PER_TOKEN, HEURISTIC


def _chars(request: LLMRequest) -> int:
    return (len(request.system) + sum(len(m.content) for m in request.messages)
            + len(json.dumps(request.schema)))


def product_rows(estimates: Sequence[JobEstimate]) -> list[dict[str, Any]]:
    """One row per product and model, priced interactively and as a batch."""
    groups: dict[tuple[str, str, str], list[JobEstimate]] = {}
    for estimate in estimates:
        groups.setdefault((estimate.product, estimate.model, estimate.backend), []).append(
            estimate)
    rows = []
    for (product, model, backend), group in groups.items():
        prefix = min(e.prefix_tokens for e in group)
        minimum = group[0].min_cacheable_tokens
        cached = minimum is not None and prefix >= minimum
        price_as = group[0].price_key
        priced = is_priced(price_as)
        batchable = priced and group[0].batches  # a server that is not Claude answers 404
        usage = [_tokens(e, prefix if cached else 0, first=index == 0)
                 for index, e in enumerate(group)]
        batch_usage = [_tokens(e, prefix if cached else 0, first=index == 0, ttl="1h")
                       for index, e in enumerate(group)]
        thinking = [TokenCounts(output_tokens=e.thinking_tokens_max) for e in group]
        rows.append({
            "product": product, "model": model, "backend": backend, "requests": len(group),
            "input_tokens": sum(e.input_tokens for e in group),
            "prefix_tokens": prefix, "min_cacheable_tokens": minimum, "cached": cached,
            "output_tokens": sum(e.output_tokens for e in group),
            "thinking_tokens_max": sum(e.thinking_tokens_max for e in group),
            "priced": priced,
            "cost_usd": _dollars(price_as, usage) if priced else None,
            "thinking_cost_usd_max": _dollars(price_as, thinking) if priced else None,
            "batch_cost_usd": _dollars(price_as, batch_usage, batch=True) if batchable else None,
            "prices_as_of": rates.as_of if (rates := rates_for(price_as)) else None,
            "counted_by": ", ".join(sorted({e.counted_by for e in group})),
        })
    return rows


def _dollars(price_as: str, usage: Sequence[TokenCounts], *, batch: bool = False) -> float:
    return round(sum(cost_usd(price_as, tokens, batch=batch) or 0.0 for tokens in usage), 6)


def _tokens(estimate: JobEstimate, cached_prefix: int, *, first: bool, ttl: str = "5m"
            ) -> TokenCounts:
    """The first persona of a product writes the cached prefix (with ``ttl``); the others
    read it."""
    written = cached_prefix if first else 0
    return TokenCounts(input_tokens=estimate.input_tokens - cached_prefix,
                       output_tokens=estimate.output_tokens,
                       cache_write_tokens=written,
                       cache_write_1h_tokens=written if ttl == "1h" else 0,
                       cache_read_tokens=0 if first else cached_prefix)


def totals(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Sums; a cost is None when any row has none (unpriced, or no batches there)."""
    summed: dict[str, Any] = {key: sum(row[key] for row in rows) for key in (
        "requests", "input_tokens", "output_tokens", "thinking_tokens_max")}
    for key in ("cost_usd", "batch_cost_usd", "thinking_cost_usd_max"):
        values = [row[key] for row in rows]
        summed[key] = None if None in values else round(sum(values), 6)
    dates = sorted({row["prices_as_of"] for row in rows if row["prices_as_of"]})
    summed["prices_as_of"] = ", ".join(dates) or None
    return summed


@dataclass(frozen=True)
class EstimateReport:
    """A plan's estimate: one row per product and model, and their totals."""

    rows: list[dict[str, Any]]
    totals: dict[str, Any]


async def estimate_report(plan: Plan) -> EstimateReport:
    rows = product_rows(await estimate_plan(plan))
    return EstimateReport(rows, totals(rows))
