"""What a Messages API answer means for a take: text, billed tokens, and the answers that cannot
hold a take (a refusal, thinking that used the budget, prose from a server that ignored the
schema). Batch results are read here too, as the same kind of answer."""

from __future__ import annotations

import time
from typing import Any

from panelist.backends.base import BatchItem, BatchStatus, BilledCallError, LLMResponse, TokenCounts
from panelist.backends.claude_models import is_claude_model
from panelist.backends.model_table import all_facts
from panelist.models import TOKENS_PER_WORD


def batch_status_of(batch: Any) -> BatchStatus:
    counts = batch.request_counts
    return BatchStatus(
        id=batch.id, ended=batch.processing_status == "ended",
        counts={name: int(getattr(counts, name)) for name in
                ("processing", "succeeded", "errored", "canceled", "expired")},
        expires_at=batch.expires_at.isoformat() if batch.expires_at else None)


def batch_item_of(line: Any) -> BatchItem:
    result = line.result
    if result.type == "succeeded":
        try:
            response = message_to_response(result.message, time.perf_counter(), batch=True)
        except BilledCallError as error:  # a refusal, or thinking that used the budget: billed
            return BatchItem(line.custom_id, "errored", detail=str(error), billed=error.response)
        return BatchItem(line.custom_id, "succeeded", response)
    if result.type == "errored":
        failure = getattr(result.error, "error", None)
        detail = f"{getattr(failure, 'type', 'error')}: {getattr(failure, 'message', '')}"
        return BatchItem(line.custom_id, "errored", detail=detail)
    detail = {"expired": "not processed within 24 hours",
              "canceled": "the batch was canceled"}.get(result.type, result.type)
    return BatchItem(line.custom_id, result.type, detail=detail)


def message_to_response(message: Any, started: float, attempts: int = 1, *,
                        batch: bool = False, effort: str | None = None) -> LLMResponse:
    """Turn an SDK ``Message`` (interactive or from a batch) into our response.

    Answers that cannot hold a take raise ``BilledCallError``, which carries the tokens the
    call was billed for: a refusal, a ``max_tokens`` stop where thinking used most of the
    budget (asking again for "a shorter quote" would not help: the quote was never written),
    and prose from a server that is not Claude and ignored the schema.
    """
    text = "".join(block.text for block in message.content if block.type == "text")
    response = LLMResponse(text=text, model=message.model, stop_reason=message.stop_reason,
                           tokens=token_counts(message.usage),
                           latency_s=time.perf_counter() - started, attempts=attempts,
                           batch=batch)
    if message.stop_reason == "refusal":
        raise BilledCallError("the model refused to review this product (stop_reason: "
                              "refusal); check the description, or try another model", response)
    tokens = response.tokens
    if message.stop_reason == "max_tokens" and tokens.thinking_tokens * 2 >= tokens.output_tokens:
        raise BilledCallError(
            f"thinking used {tokens.thinking_tokens} of the {tokens.output_tokens} output "
            f"tokens and the answer was cut off (stop_reason: max_tokens); "
            f"{_thinking_fixes(effort)}", response)
    if not is_claude_model(message.model or "") and ignored_the_schema(text, message.stop_reason):
        until = " until the token cap" if message.stop_reason == "max_tokens" else ""
        raise BilledCallError(
            f"the server ignored structured output (output_config.format) and the model wrote "
            f"prose{until}; use a server that enforces the schema (see README: LiteLLM in front "
            f"of llama-server) or a model that follows the instruction", response)
    return response


def _thinking_fixes(effort: str | None) -> str:
    """What the editor can do when thinking leaves no room for the answer. At effort low there
    is no lower effort to ask for."""
    quiet = [facts.id for facts in all_facts() if facts.provider == "anthropic"
             and not facts.thinks_by_default and facts.status == "active"]
    examples = [next((m for m in quiet if family in m), None) for family in ("sonnet", "haiku")]
    models = " or ".join(m for m in examples if m) or "one the model table lists as not thinking"
    lower = "" if effort == "low" else "lower --effort or the persona's 'effort', "
    return (f"{lower}raise the persona's answer cap (the upper bound of 'quote_words' in its "
            f"persona file: {TOKENS_PER_WORD} tokens a word) or choose a model that does not "
            f"think unasked (--model {models})")


def ignored_the_schema(text: str, stop_reason: str | None) -> bool:
    """Whether an answer cannot have come from a server enforcing the take's JSON schema: no
    JSON object at all, or a cut-off answer that does not open with one.

    Observed against llama-server (llama.cpp vendored in llama-cpp-python 0.3.36) with the
    bundled SmolLM2-135M on 2026-11-26: its /v1/messages drops output_config, and the model
    either wrote prose to the 1,024-token cap or stopped early with prose and no JSON; a re-ask
    got prose again.
    """
    if "{" not in text:
        return True
    return stop_reason == "max_tokens" and not text.lstrip().startswith("{")


def token_counts(usage: Any) -> TokenCounts:
    """The Messages API ``usage``: cache writes by TTL, thinking inside output tokens."""
    creation = getattr(usage, "cache_creation", None)
    details = getattr(usage, "output_tokens_details", None)
    return TokenCounts(
        input_tokens=usage.input_tokens or 0,
        output_tokens=usage.output_tokens or 0,
        cache_read_tokens=usage.cache_read_input_tokens or 0,
        cache_write_tokens=usage.cache_creation_input_tokens or 0,
        cache_write_1h_tokens=(creation.ephemeral_1h_input_tokens or 0) if creation else 0,
        thinking_tokens=(details.thinking_tokens or 0) if details else 0,
    )
