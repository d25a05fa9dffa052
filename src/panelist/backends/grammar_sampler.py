"""Grammar-constrained sampling that checks the grammar on the sampled token, not the vocabulary.

llama-cpp-python puts the grammar in its sampler chain ahead of top-k, so every token of the
answer runs the grammar over all ~49k entries of the vocabulary; measured on the bundled
SmolLM2-135M that costs more time than the model's own decoding. llama.cpp's own sampler
(``common_sampler_sample`` in common/sampling.cpp) avoids that: it samples with the grammar
left out, checks only the token it drew, and only if the grammar rejects it samples again with
the grammar applied to the whole vocabulary. The answer obeys the same grammar either way.
This module does the same for ``llama_cpp.Llama``, by standing in for its sampler chain: the
``Llama`` calls ``sample(ctx, idx)`` on it for every token (llama_cpp/llama.py, ``sample``).
Only ``local.py`` uses it, on a real ``Llama``; llama_cpp is passed in, never imported here.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import numpy as np

# llama_token_data: {int32 id; float logit; float p}, as llama_cpp.llama_token_data lays it out
_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)], align=True)


class GrammarCheckedSampler:
    """``chain`` (penalties, top-k, ..., dist; no grammar) with ``grammar`` checked after it."""

    def __init__(self, lib: Any, chain: Any, grammar: Any, n_vocab: int) -> None:
        self._lib = lib  # the llama_cpp.llama_cpp bindings
        self._chain = chain  # a llama_cpp._internals.LlamaSampler; it frees itself
        self._grammar = grammar  # a llama_sampler pointer, freed by close()
        self._n_vocab = n_vocab
        self._ids = np.arange(n_vocab, dtype=np.int32)
        self.resampled = 0  # tokens the grammar rejected, drawn again under it (for tests)

    def sample(self, ctx: Any, idx: int = -1) -> int:
        lib = self._lib
        logits = np.ctypeslib.as_array(lib.llama_get_logits_ith(ctx.ctx, idx),
                                       shape=(self._n_vocab,))
        token = self._draw(logits, with_grammar=False)
        if not self._grammar_allows(token):
            self.resampled += 1
            token = self._draw(logits, with_grammar=True)
        lib.llama_sampler_accept(self._grammar, token)
        lib.llama_sampler_accept(self._chain.sampler, token)
        return token

    def _draw(self, logits: Any, *, with_grammar: bool) -> int:
        data = np.empty(self._n_vocab, dtype=_TOKEN_DATA)
        data["id"] = self._ids
        data["logit"] = logits
        data["p"] = 0.0
        candidates = self._array(data)
        if with_grammar:
            self._lib.llama_sampler_apply(self._grammar, ctypes.byref(candidates))
        self._lib.llama_sampler_apply(self._chain.sampler, ctypes.byref(candidates))
        # the samplers may re-point ``data`` (top-k sorts and cuts in place); read through it
        return int(candidates.data[candidates.selected].id)

    def _grammar_allows(self, token: int) -> bool:
        one = np.array([(token, 1.0, 0.0)], dtype=_TOKEN_DATA)
        candidates = self._array(one)
        self._lib.llama_sampler_apply(self._grammar, ctypes.byref(candidates))
        return not math.isinf(float(candidates.data[0].logit))

    def _array(self, data: Any) -> Any:
        lib = self._lib
        return lib.llama_token_data_array(
            data=ctypes.cast(data.ctypes.data, ctypes.POINTER(lib.llama_token_data)),
            size=len(data), selected=-1, sorted=False)

    def close(self) -> None:
        if self._grammar is not None:
            self._lib.llama_sampler_free(self._grammar)
            self._grammar = None
        self._chain.close()

    def __del__(self) -> None:
        self.close()


def check_grammar_after_sampling(llm: Any, llama_cpp: Any) -> None:
    """Make ``llm`` (a ``llama_cpp.Llama``) sample grammar-constrained answers with a
    ``GrammarCheckedSampler``; answers without a grammar keep llama-cpp-python's own chain."""
    build_chain = llm._init_sampler

    def init_sampler(**settings: Any) -> Any:
        grammar = settings.pop("grammar", None)
        if grammar is None or settings.get("logits_processor") is not None:
            return build_chain(grammar=grammar, **settings)
        pointer = llama_cpp.llama_cpp.llama_sampler_init_grammar(
            llm._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        if not pointer:
            raise ValueError("llama.cpp could not parse the grammar")
        return GrammarCheckedSampler(llama_cpp.llama_cpp, build_chain(grammar=None, **settings),
                                     pointer, llm.n_vocab())

    llm._init_sampler = init_sampler
