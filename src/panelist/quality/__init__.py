"""The quality gate: cheap, deterministic checks that a take reads as a reviewer's prose.

Every take passes through ``assess_take`` (the panel's draws, the re-ask). One finding per
failed check, on the quote and then on the reasons:

- form (``form``): ``control-chars``, ``truncated``, ``leak``, ``all-caps``, ``number-salad``;
- language (``babble``): ``babble`` (not English words, foreign, or real words without
  English's rhythm), ``repetition``;
- voice (``voice``): ``chat-wrapper``, ``maker-voice``, ``reader-address``, ``prompt-echo``;
- substance (``substance``): ``filler``, ``unsupported-fact``; and whether the take is about
  this product at all (``elsewhere``, and ``borrowed`` with the catalogue's facts):
  ``wrong-product``;
- stance (``stance``, reading the calls of ``calls``): ``contradiction``; and ``verdict`` when it
  is neither ship nor skip.

No network and no language model: word lists (wordfreq), a sentiment lexicon (VADER) and two
learned readings (``learned``: logistic regressions over a quote's words, for the call it argues
and for filler, heard only where the rules leave the question open). Every check
reads its text once, and at most ``Text.LIMIT`` characters of it word by word. The thresholds
were set on the reference page's quotes (all pass), on babble the bundled model really wrote
(tests/fixtures/quality/) and on tests/data/quality_labelled.jsonl
(benchmarks/quality_bench.py prints the figures).

The package's names are imported when first asked for: reading the gate's version
(``version``) loads no check.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from panelist.quality.assess import (
        Assessment,
        assess_quote,
        assess_take,
        load_word_lists,
        summarize,
    )
    from panelist.quality.context import CatalogueFacts, GateContext, context_for, product_text
    from panelist.quality.described import product_facts
    from panelist.quality.findings import Check, Finding
    from panelist.quality.words import is_real_word, known_words

_MODULE_OF = {
    "Assessment": "assess", "assess_quote": "assess", "assess_take": "assess",
    "load_word_lists": "assess", "summarize": "assess",
    "CatalogueFacts": "context", "GateContext": "context", "context_for": "context",
    "product_facts": "described", "product_text": "context",
    "Check": "findings", "Finding": "findings",
    "is_real_word": "words", "known_words": "words",
}

__all__ = ["Assessment", "CatalogueFacts", "Check", "Finding", "GateContext", "assess_quote",
           "assess_take", "context_for", "is_real_word", "known_words", "load_word_lists",
           "product_facts", "product_text", "summarize"]


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    globals()[name] = value  # asked once: later look-ups find it here
    return value
