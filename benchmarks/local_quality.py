"""Benchmark of the offline panel's bounds and quality (issue 10), run by local_bench.py --quality.

    python benchmarks/local_bench.py --quality          # 4 products x 5 personas, ~15-25 min
    python benchmarks/local_bench.py --quality --quick  # the two held-out products only

Prints, for the bundled SmolLM2-135M-Instruct on this CPU:

1. the grammar's cost: generation tokens/s with the strict schema grammar (word counts), with
   the JSON-shape grammar only, and with no grammar, on the same prompts and seeds;
2. the babble rate before: one draw per take with the previous settings (strict grammar,
   the previous sampling, no redraw; capped at the take's token cap so it ends), judged by the
   quality gate;
3. after: the real panel (``Panel.run``, draws + gate) on a fresh workspace: take latency
   (median, worst), the most output tokens any draw used against the cap, and the babble rate
   (the share of written drafts the gate flagged).

``--tune`` instead compares sampling settings on the held-out products (benchmarks/products/),
one draw per take, and prints each setting's gate pass rate. ``--babble-out FILE`` writes the
takes that failed the gate (for tests/fixtures/quality/babble.json). Not a test: the figures
depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from panelist import quality
from panelist.backends import resolve_model
from panelist.backends.base import LLMRequest
from panelist.backends.local import SAMPLING, LocalBackend
from panelist.models import take_json_schema, take_strict_schema, take_token_cap
from panelist.run.jobs import Job, JobState, RunSettings
from panelist.run.panel import run_plan
from panelist.run.plan import make_plan, plan_draft
from panelist.run.takes import TakeProblem, parse_take
from panelist.store import ledger
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace, init_workspace

HELD_OUT = Path(__file__).parent / "products"
EXAMPLES = ["tether-qvac-sdk", "claude-haiku-open-weights"]
# The sampling before issue 10, with the persona's temperature (0.7 for every default persona).
SAMPLING_BEFORE: dict[str, float] = {"top_k": 40, "top_p": 0.95, "min_p": 0.05,
                                     "repeat_penalty": 1.1}
TUNING: dict[str, tuple[float, dict[str, float]]] = {
    "before (t0.7, min_p .05, rp 1.1)": (0.7, SAMPLING_BEFORE),
    "t0.4, min_p .1, rp 1.1": (0.4, {"top_k": 40, "top_p": 1.0, "min_p": 0.1,
                                     "repeat_penalty": 1.1}),
    "t0.3, min_p .1, rp 1.15": (0.3, {"top_k": 40, "top_p": 1.0, "min_p": 0.1,
                                      "repeat_penalty": 1.15}),
    "t0.2, top_p .9, rp 1.2": (0.2, {"top_k": 40, "top_p": 0.9, "min_p": 0.0,
                                     "repeat_penalty": 1.2}),
}
GRAMMAR_TARGET = 0.9
GRAMMAR_PROMPTS = 4


@dataclass(frozen=True)
class Draw:
    product: str
    persona: str
    verdict: str
    quote: str
    findings: list[str]
    problem: str  # why it did not parse, if it did not
    tokens: int
    seconds: float


def workspace_with(products: list[Path]) -> Workspace:
    root = Path(tempfile.mkdtemp(prefix="panelist-quality-")) / "ws"
    init_workspace(root)
    for path in products:
        (root / "products" / path.name).write_text(path.read_text(encoding="utf-8"),
                                                   encoding="utf-8")
    return Workspace(root)


def product_files(quick: bool) -> list[Path]:
    held_out = sorted(HELD_OUT.glob("*.md"))
    if quick:
        return held_out
    examples = Path(__file__).parent.parent / "src" / "panelist" / "defaults" / "products"
    return [examples / f"{slug}.md" for slug in EXAMPLES] + held_out


def requests_for(workspace: Workspace) -> list[tuple[Job, LLMRequest]]:
    jobs = [Job(workspace.load_product(slug), persona) for slug in workspace.product_slugs()
            for persona in workspace.load_personas().values()]
    plan = make_plan(workspace, jobs, RunSettings(model="local"))
    return [(planned.job, planned.request) for planned in plan.jobs]


async def draw_once(backend: LocalBackend, job: Job, request: LLMRequest) -> Draw:
    started = time.perf_counter()
    response = await backend.complete(request)
    seconds = time.perf_counter() - started
    product = job.product
    try:
        take = parse_take(response.text, job.persona, stop_reason=response.stop_reason)
    except TakeProblem as problem:
        return Draw(product.slug, job.persona.id, "", response.text, ["unparsed"], str(problem),
                    response.tokens.output_tokens, seconds)
    prompt = " ".join([request.system, *(m.content for m in request.messages)])
    assessment = quality.assess_take(take.quote, take.reasons, take.verdict,
                                     quality.context_for(product, job.persona, (), prompt))
    return Draw(product.slug, job.persona.id, take.verdict, take.quote, assessment.flags, "",
                response.tokens.output_tokens, seconds)


async def one_draw_each(path: Path, pairs: list[tuple[Job, LLMRequest]], *, temperature: float,
                        sampling: dict[str, float], seed: int = 1) -> list[Draw]:
    # no deadline: this measures what the model writes, not how the panel bounds it
    backend = LocalBackend(path, seed=seed, sampling=sampling, timeout_s=3600)
    try:
        return [await draw_once(backend, job, replace(request, temperature=temperature))
                for job, request in pairs]
    finally:
        await backend.aclose()


@contextlib.contextmanager
def full_vocabulary_grammar(backend: LocalBackend) -> Iterator[None]:
    """llama-cpp-python's own sampler chain on ``backend``'s model, for the length of the block:
    the grammar applied to the whole vocabulary before top-k (what panelist did before)."""
    llm = backend._model()
    checked = llm.__dict__.pop("_init_sampler")
    try:
        yield
    finally:
        llm._init_sampler = checked


GRAMMARS: dict[str, tuple[bool, str]] = {  # name: (full-vocabulary chain?, schema)
    "none": (False, "none"),
    "strict, grammar on the whole vocabulary (before)": (True, "strict"),
    "strict, grammar checked on the drawn token (now)": (False, "strict"),
    "JSON shape only, checked on the drawn token": (False, "shape"),
}


async def grammar_rates(path: Path, pairs: list[tuple[Job, LLMRequest]], tokens_each: int = 128
                        ) -> dict[str, float]:
    """Generation tokens/s under each constraint on one model: the same prompts and seed,
    ``tokens_each`` tokens a call, the variants' order rotated per prompt so none always runs
    first or reads a warmer cache."""
    shape = take_json_schema()
    shape["properties"]["reasons"].update(minItems=2, maxItems=3)
    names = list(GRAMMARS)
    tokens = dict.fromkeys(names, 0)
    seconds = dict.fromkeys(names, 0.0)
    backend = LocalBackend(path, seed=3, timeout_s=3600)
    try:
        for index, (job, request) in enumerate(pairs):
            turn = index % len(names)
            for name in names[turn:] + names[:turn]:
                full_vocabulary, kind = GRAMMARS[name]
                schema = {"none": {}, "strict": take_strict_schema(job.persona),
                          "shape": shape}[kind]
                with (full_vocabulary_grammar(backend) if full_vocabulary
                      else contextlib.nullcontext()):
                    await backend.complete(replace(request, schema=schema, strict_schema=schema,
                                                   max_tokens=tokens_each))
                timings = backend.last_timings
                assert timings is not None
                tokens[name] += timings.generated_tokens
                seconds[name] += timings.generation_s
    finally:
        await backend.aclose()
    return {name: tokens[name] / seconds[name] for name in names}


def print_grammar_rates(path: Path, pairs: list[tuple[Job, LLMRequest]]) -> None:
    started = time.perf_counter()
    load = os.getloadavg()[0]
    rates = asyncio.run(grammar_rates(path, pairs))
    base = rates["none"]
    print(f"\n1. generation tokens/s by constraint ({len(pairs)} prompts x 128 tokens each, "
          f"same seed, one model; load average {load:.1f} -> {os.getloadavg()[0]:.1f}, "
          f"{time.perf_counter() - started:.0f} s):")
    for name, value in rates.items():
        print(f"   {name}: {value:.1f} tok/s, {value / base:.2f}x unconstrained")
    now = rates["strict, grammar checked on the drawn token (now)"] / base
    print(f"   the panel's grammar >= {GRAMMAR_TARGET}x unconstrained: "
          f"{'met' if now >= GRAMMAR_TARGET else 'NOT met'} ({now:.2f}x)", flush=True)


class Clock:
    """A panel ``Reporter`` keeping each take's wall time (first call to its end)."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}
        self.took: dict[str, float] = {}

    def update(self, job: Job, state: JobState, detail: str = "") -> None:
        now = time.monotonic()
        if state == "drafting":
            self.started.setdefault(job.key, now)
        elif state in {"done", "failed"}:
            self.took[job.key] = now - self.started.get(job.key, now)

    def spent(self, job: Job, usage: Any) -> None:
        return None


def panel_after(products: list[Path]) -> dict[str, Any]:
    workspace = workspace_with(products)
    clock = Clock()
    store = DraftStore(workspace)
    personas = list(workspace.load_personas().values())
    jobs = [job for slug in workspace.product_slugs()
            for job in plan_draft(store, workspace.load_product(slug), personas, force=True)[0]]
    plan = make_plan(workspace, jobs, RunSettings(model="local"))
    results = asyncio.run(run_plan(workspace, plan, clock))
    calls = ledger.read(workspace.ledger_path)
    cap = max(take_token_cap(p) for p in personas)
    written = [r for r in results if r.draft is not None]
    flagged = [r for r in written if r.draft is not None and r.draft.meta.quality]
    return {"took": sorted(clock.took.values()), "results": results, "cap": cap,
            "max_tokens": max(call.output_tokens for call in calls), "draws": len(calls),
            "written": len(written), "flagged": len(flagged),
            "failed": sum(r.state == "failed" for r in results)}


def rate(draws: list[Draw]) -> str:
    failing = sum(bool(d.findings) for d in draws)
    return f"{failing}/{len(draws)} = {failing / len(draws):.0%}"


def main(quick: bool, tune: bool, babble_out: Path | None, grammar_only: bool = False
         ) -> None:
    products = product_files(quick)
    path = resolve_model("local", RunSettings().backend).path
    assert path is not None
    workspace = workspace_with(products)
    pairs = requests_for(workspace)
    print(f"{path.name}, {len(products)} products x {len(pairs) // len(products)} personas; "
          f"current sampling {SAMPLING}", flush=True)
    if tune:
        held = [(job, request) for job, request in pairs
                if job.product.slug in {p.stem for p in sorted(HELD_OUT.glob('*.md'))}]
        for name, (temperature, sampling) in TUNING.items():
            draws = asyncio.run(one_draw_each(path, held, temperature=temperature,
                                              sampling=sampling))
            print(f"  {name}: failing the gate {rate(draws)}, median "
                  f"{statistics.median(d.seconds for d in draws):.1f} s/take", flush=True)
        return

    print_grammar_rates(path, pairs[:GRAMMAR_PROMPTS])
    if grammar_only:
        return

    before = asyncio.run(one_draw_each(path, pairs, temperature=0.7, sampling=SAMPLING_BEFORE))
    print(f"\n2. before (one draw, previous sampling): failing the gate {rate(before)}; "
          f"median {statistics.median(d.seconds for d in before):.1f} s/take, worst "
          f"{max(d.seconds for d in before):.1f} s", flush=True)
    if babble_out is not None:
        failing = [d for d in before if d.findings and d.findings != ["unparsed"]]
        babble_out.write_text(json.dumps({"source": "bench before-draws that failed the gate",
                                          "takes": [d.__dict__ for d in failing]},
                                         indent=1, ensure_ascii=False), encoding="utf-8")

    after = panel_after(products)
    took = after["took"]
    print(f"\n3. after (the panel: up to 3 draws, gate picks the best): {len(took)} takes, "
          f"{after['draws']} draws")
    print(f"   take latency: median {statistics.median(took):.1f} s, worst {max(took):.1f} s")
    print(f"   output tokens: max {after['max_tokens']} of any draw, cap {after['cap']}")
    print(f"   babble rate: {after['flagged']}/{after['written']} written drafts flagged, "
          f"{after['failed']} takes failed outright")
