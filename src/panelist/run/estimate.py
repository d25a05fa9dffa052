"""What a run would use and cost, worked out before making it. Every figure is an estimate.

Input tokens are counted where the backend can count them (Claude's token counting endpoint, a
local model's tokenizer) and from characters (about four per token) where it cannot, and each
row says which. Output tokens are expected from each persona's quote length. Prompt caching is
assumed per product: one persona writes the shared prefix and the others read it, when the
prefix reaches the model's minimum cacheable length (``data/prices.json``); below that minimum
nothing is cached and every input token is billed in full.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from panelist.backends import LOCAL_PREFIX, BackendPool, ModelChoice
from panelist.backends.base import LLMRequest, TokenCounter, TokenCounts
from panelist.errors import BackendError, ConfigError
from panelist.models import take_token_cap
from panelist.run.panel import Job, Panel, RunSettings, choose_model
from panelist.run.pricing import cost_usd, is_priced, min_cacheable_tokens, price_table
from panelist.store.workspace import Workspace

CHARS_PER_TOKEN = 4
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


async def estimate_jobs(workspace: Workspace, jobs: Sequence[Job], settings: RunSettings
                        ) -> list[JobEstimate]:
    """Count every job's request, a few at a time; no model is run."""
    panel = Panel(workspace, settings)
    gate = asyncio.Semaphore(max(1, settings.concurrency))

    async def estimate_one(job: Job) -> JobEstimate:
        choice = _choice_for(job, settings)
        request = panel.build_request(job, choice)
        async with gate:
            tokens, counted_by = await _count(panel.pool, choice, request)
        text = _chars(request)
        low, high = job.persona.quote_words
        return JobEstimate(
            product=job.product.slug, persona=job.persona.id, model=choice.model,
            backend=choice.backend, input_tokens=tokens,
            prefix_tokens=round(tokens * len(request.system) / max(text, 1)),
            output_tokens=round((low + high) / 2 * TOKENS_PER_WORD) + TAKE_OVERHEAD_TOKENS,
            counted_by=counted_by,
            thinking_tokens_max=max(request.max_tokens - take_token_cap(job.persona), 0))

    try:
        return list(await asyncio.gather(*(estimate_one(job) for job in jobs)))
    finally:
        await panel.pool.aclose()


def _choice_for(job: Job, settings: RunSettings) -> ModelChoice:
    try:
        return choose_model(job, settings)
    except ConfigError:
        spec = settings.model or job.persona.model or ""
        if spec == LOCAL_PREFIX or spec.startswith(LOCAL_PREFIX + ":"):
            return ModelChoice("local", spec)  # no local backend installed: counted by chars
        raise


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
        return counted, ("count_tokens endpoint" if choice.backend == "claude" else "tokenizer")
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
        minimum = min_cacheable_tokens(model) if backend == "claude" else None
        cached = minimum is not None and prefix >= minimum
        price_as = model if backend == "claude" else "local"
        priced = is_priced(price_as)
        # batches exist on Claude's API only (a server that is not Claude answers 404)
        batchable = priced and backend == "claude" and model.startswith("claude-")
        usage = [_tokens(e, prefix if cached else 0, first=index == 0)
                 for index, e in enumerate(group)]
        thinking = [TokenCounts(output_tokens=e.thinking_tokens_max) for e in group]
        rows.append({
            "product": product, "model": model, "backend": backend, "requests": len(group),
            "input_tokens": sum(e.input_tokens for e in group),
            "prefix_tokens": prefix, "min_cacheable_tokens": minimum, "cached": cached,
            "output_tokens": sum(e.output_tokens for e in group),
            "thinking_tokens_max": sum(e.thinking_tokens_max for e in group),
            "priced": priced,
            "cost_usd": round(sum(cost_usd(price_as, t) for t in usage), 6) if priced else None,
            "thinking_cost_usd_max": round(sum(cost_usd(price_as, t) for t in thinking), 6)
            if priced else None,
            "batch_cost_usd": round(sum(cost_usd(price_as, t, batch=True) for t in usage), 6)
            if batchable else None,
            "counted_by": ", ".join(sorted({e.counted_by for e in group})),
        })
    return rows


def _tokens(estimate: JobEstimate, cached_prefix: int, *, first: bool) -> TokenCounts:
    """The first persona of a product writes the cached prefix; the others read it."""
    return TokenCounts(input_tokens=estimate.input_tokens - cached_prefix,
                       output_tokens=estimate.output_tokens,
                       cache_write_tokens=cached_prefix if first else 0,
                       cache_read_tokens=0 if first else cached_prefix)


def totals(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Sums; a cost is None when any row has none (unpriced, or no batches there)."""
    summed: dict[str, Any] = {key: sum(row[key] for row in rows) for key in (
        "requests", "input_tokens", "output_tokens", "thinking_tokens_max")}
    for key in ("cost_usd", "batch_cost_usd", "thinking_cost_usd_max"):
        values = [row[key] for row in rows]
        summed[key] = None if None in values else round(sum(values), 6)
    summed["prices_as_of"] = price_table().get("as_of")
    return summed
