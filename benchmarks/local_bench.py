"""Benchmark of the local backend (issue 3): the bundled model drafting the example product.

    python benchmarks/local_bench.py              # 3 runs of the panel, about five minutes
    python benchmarks/local_bench.py --repeat 1   # one run, to check it works
    python benchmarks/local_bench.py --quality    # bounds, quality gate, grammar cost (issue 10)
    python benchmarks/local_bench.py --quality --grammar   # the grammar's cost only, ~2 min

Prints, each a median over the runs:

1. model load time (the bundled SmolLM2-135M-Instruct GGUF);
2. per persona: prompt tokens evaluated / prompt tokens, prompt-eval tokens/s, generation
   tokens/s (wall time after prompt evaluation, so sampling and the grammar count);
3. prompt-eval time of persona 2..N / persona 1's (target <= 0.3 with prefix reuse);
4. panelist's generation tokens/s / plain llama-cpp-python's on the same prompts and settings
   in the same run (target >= 0.9).

Each run opens a fresh model, so persona 1 starts cold, as in a real ``panelist draft``. The
plain baseline calls ``llama_cpp.Llama.create_chat_completion`` directly with the same messages,
sampling settings, grammar and seed, so both sides generate the same tokens; the two sides
alternate which goes first. It loads the model the same way panelist does (extra weight
buffers off on AMX CPUs, where llama.cpp's AMX kernels segfault), and like panelist it runs on
a thread of its own that ends with the pass: llama.cpp keeps an OpenMP team per calling thread,
and a second live team halves generation speed on a 2-core machine. Not a test: the figures
depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from panelist.backends import resolve_model
from panelist.backends.base import LLMRequest
from panelist.backends.local import (
    SAMPLING,
    CallTimings,
    LocalBackend,
    answer_cap,
    load_llama,
    without_amx_buffers,
)
from panelist.run.jobs import Job, RunSettings
from panelist.run.plan import make_plan
from panelist.store.workspace import Workspace, init_workspace

T = TypeVar("T")
PROMPT_RATIO_TARGET = 0.3
GENERATION_RATIO_TARGET = 0.9


@dataclass(frozen=True)
class Call:
    persona: str
    timings: CallTimings
    text: str


def build_requests(product: str) -> list[tuple[str, LLMRequest]]:
    """The panel's real requests for ``product``, from a fresh default workspace."""
    root = Path(tempfile.mkdtemp(prefix="panelist-bench-")) / "ws"
    init_workspace(root)
    workspace = Workspace(root)
    loaded = workspace.load_product(product)
    jobs = [Job(loaded, persona) for persona in workspace.load_personas().values()]
    plan = make_plan(workspace, jobs, RunSettings(model="local"))
    return [(planned.job.persona.id, planned.request) for planned in plan.jobs]


def on_own_thread(work: Callable[..., T], *args: Any) -> T:
    """``work`` on a fresh thread that ends after it (see the module docstring)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(work, *args).result()


def median_load_s(path: Path, times: int) -> float:
    def load_once() -> float:
        started = time.perf_counter()
        llm = load_llama(path)
        elapsed = time.perf_counter() - started
        llm.close()
        return elapsed

    return statistics.median(on_own_thread(load_once) for _ in range(times))


async def panelist_pass(path: Path, requests: list[tuple[str, LLMRequest]], seed: int
                        ) -> list[Call]:
    backend = LocalBackend(path, seed=seed)
    calls = []
    try:
        for persona, request in requests:
            response = await backend.complete(request)
            assert backend.last_timings is not None
            calls.append(Call(persona, backend.last_timings, response.text))
    finally:
        await backend.aclose()
    return calls


def plain_pass(path: Path, requests: list[tuple[str, LLMRequest]], seed: int) -> list[Call]:
    """The same prompts through llama-cpp-python alone: no asyncio, no panelist code on the path."""
    import llama_cpp

    with without_amx_buffers(llama_cpp.llama_cpp):
        llm = llama_cpp.Llama(model_path=str(path), n_ctx=LocalBackend(path).n_ctx,
                              n_threads=os.cpu_count() or 1, verbose=False)
    calls = []
    for persona, request in requests:
        messages = [{"role": "system", "content": request.system},
                    *({"role": m.role, "content": m.content} for m in request.messages)]
        grammar = llama_cpp.LlamaGrammar.from_json_schema(json.dumps(request.strict_schema),
                                                          verbose=False)
        llama_cpp.llama_perf_context_reset(llm.ctx)
        started = time.perf_counter()
        out: Any = llm.create_chat_completion(
            messages=messages, temperature=request.temperature, max_tokens=answer_cap(request),
            grammar=grammar, seed=seed, **SAMPLING)
        total_s = time.perf_counter() - started
        perf = llama_cpp.llama_perf_context(llm.ctx)
        prompt, generated = out["usage"]["prompt_tokens"], out["usage"]["completion_tokens"]
        prompt_eval_s = perf.t_p_eval_ms / 1000
        calls.append(Call(persona, CallTimings(
            prompt_tokens=prompt, prompt_evaluated=perf.n_p_eval, prompt_eval_s=prompt_eval_s,
            generated_tokens=generated, generation_s=total_s - prompt_eval_s, total_s=total_s),
            out["choices"][0]["message"]["content"]))
    llm.close()
    return calls


def generation_rate(calls: list[Call]) -> float:
    return (sum(c.timings.generated_tokens for c in calls)
            / sum(c.timings.generation_s for c in calls))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="panel runs (medians over them)")
    parser.add_argument("--product", default="tether-qvac-sdk")
    parser.add_argument("--quality", action="store_true",
                        help="issue 10's figures instead: see benchmarks/local_quality.py")
    parser.add_argument("--quick", action="store_true", help="with --quality: 2 products")
    parser.add_argument("--tune", action="store_true", help="with --quality: sampling settings")
    parser.add_argument("--grammar", action="store_true",
                        help="with --quality: only the grammar's tokens/s ratio")
    parser.add_argument("--babble-out", type=Path, help="with --quality: failing takes to FILE")
    args = parser.parse_args()
    if args.quality:
        sys.path.insert(0, str(Path(__file__).parent))
        from local_quality import main as quality_main

        quality_main(args.quick, args.tune, args.babble_out, args.grammar)
        return

    requests = build_requests(args.product)
    path = resolve_model("local", RunSettings().backend).path
    assert path is not None
    print(f"model: {path.name} ({path.stat().st_size / 1e6:.0f} MB), {os.cpu_count()} threads, "
          f"product: {args.product}, {len(requests)} personas, {args.repeat} run(s)")
    load_s = median_load_s(path, max(3, args.repeat))
    print(f"model load time (median of {max(3, args.repeat)}): {load_s:.2f} s\n")

    runs: list[tuple[list[Call], list[Call]]] = []
    for run in range(args.repeat):
        seed = run + 1
        if run % 2 == 0:
            ours = asyncio.run(panelist_pass(path, requests, seed))
            plain = on_own_thread(plain_pass, path, requests, seed)
        else:
            plain = on_own_thread(plain_pass, path, requests, seed)
            ours = asyncio.run(panelist_pass(path, requests, seed))
        runs.append((ours, plain))
        same = sum(a.text == b.text for a, b in zip(ours, plain, strict=True))
        print(f"run {run + 1}: panelist {sum(c.timings.total_s for c in ours):.1f} s, plain "
              f"{sum(c.timings.total_s for c in plain):.1f} s, identical answers "
              f"{same}/{len(ours)}", flush=True)
    report(runs)


def report(runs: list[tuple[list[Call], list[Call]]]) -> None:
    print("\n| persona | prompt tokens evaluated | prompt eval tok/s | generated tokens "
          "| generation tok/s | prompt-eval time / persona 1 |")
    print("|---|---|---|---|---|---|")
    personas = [call.persona for call in runs[0][0]]
    ratios_by_persona: list[float] = []
    for index, persona in enumerate(personas):
        mine = [ours[index].timings for ours, _ in runs]
        first = [ours[0].timings for ours, _ in runs]
        ratio = statistics.median(t.prompt_eval_s / f.prompt_eval_s
                                  for t, f in zip(mine, first, strict=True))
        if index:
            ratios_by_persona.append(ratio)
        print(f"| {persona} "
              f"| {statistics.median(t.prompt_evaluated for t in mine):.0f} / "
              f"{statistics.median(t.prompt_tokens for t in mine):.0f} "
              f"| {statistics.median(t.prompt_evaluated / t.prompt_eval_s for t in mine):.0f} "
              f"| {statistics.median(t.generated_tokens for t in mine):.0f} "
              f"| {statistics.median(t.generated_tokens / t.generation_s for t in mine):.1f} "
              f"| {ratio:.2f} |")
    prompt_ratio = statistics.median(ratios_by_persona)
    ours_rate = statistics.median(generation_rate(ours) for ours, _ in runs)
    plain_rate = statistics.median(generation_rate(plain) for _, plain in runs)
    gen_ratio = statistics.median(generation_rate(ours) / generation_rate(plain)
                                  for ours, plain in runs)
    tail = statistics.median(ours[i].timings.prompt_evaluated / ours[0].timings.prompt_evaluated
                             for ours, _ in runs for i in range(1, len(ours)))
    print(f"\nprompt-eval time, persona 2..N / persona 1: {prompt_ratio:.2f} "
          f"(target <= {PROMPT_RATIO_TARGET}; {verdict(prompt_ratio <= PROMPT_RATIO_TARGET)}); "
          f"tokens evaluated, persona 2..N / persona 1: {tail:.2f} (the floor: each persona's "
          f"own tail)")
    print(f"generation tok/s, panelist / plain llama-cpp-python: {gen_ratio:.2f} "
          f"({ours_rate:.1f} vs {plain_rate:.1f} tok/s; target >= {GENERATION_RATIO_TARGET}; "
          f"{verdict(gen_ratio >= GENERATION_RATIO_TARGET)})")


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    sys.exit(main())
