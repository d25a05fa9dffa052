"""Benchmark of the Claude API path (issue 5), against a fake Messages API on loopback.

    python benchmarks/api_bench.py            # about two minutes; prints the figures
    python benchmarks/api_bench.py --quick    # a smaller, faster run to check it works

What it measures, each against its target:

1. panel wall time / one call's latency, five personas (target <= 1.15; sequential is 5.0);
2. 40 products x 5 personas under a request-rate limit answered by 429 + retry-after: achieved
   rate / limit (target >= 0.9), share of requests answered 429 (target <= 2%), drafts lost (0);
3. batch cost / interactive cost for the same run (target 0.5), and that every draft arrives;
4. ``panelist --help`` and ``panelist status`` wall time / ``python -c pass`` (target <= 2x);
5. peak memory (RSS) of a 200-call run, and how much input was served from the prompt cache;
6. (issue 9, the contract fake at 2 s latency) panel latency factor, (wall at 2 s - wall at
   0 s) / 2 s (target <= 1.5), cache writes per panel (target 1), and the cost of a
   five-persona Sonnet 5.5 panel before (old request shape) and after, as a ratio;
7. tokens and cost of a panel at each effort level on the contract fake.

    python benchmarks/api_bench.py --contract   # sections 6 and 7 only (about 30 s)

Time scaling: a real account's limit is per minute. Here the limit is expressed per 10-second
window (30 requests per 10 s = 180 requests per minute) so the 200-call run takes about a minute
instead of seven. The limiter only reads what the server says (remaining, reset time,
retry-after), so shrinking the window changes how long the run takes, not how it behaves.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_messages_api import FakeMessagesAPI  # noqa: E402
from panelist.backends import BackendOptions, BackendPool  # noqa: E402
from panelist.backends.claude import ClaudeBackend  # noqa: E402
from panelist.run import batch  # noqa: E402
from panelist.run.jobs import Job, JobResult, RunSettings, SilentReporter  # noqa: E402
from panelist.run.panel import Panel  # noqa: E402
from panelist.run.plan import make_plan, plan_draft  # noqa: E402
from panelist.run.prompts import PromptRenderer  # noqa: E402
from panelist.store import ledger  # noqa: E402
from panelist.store.drafts import DraftStore  # noqa: E402
from panelist.store.workspace import Workspace, init_workspace  # noqa: E402

FAKE_KEY = "sk-ant-bench-not-a-real-key"
SOURCE_PRODUCT = "tether-qvac-sdk"


def make_workspace(root: Path, products: int) -> Workspace:
    """The default workspace plus ``products`` copies of the example product."""
    init_workspace(root)
    text = (root / "products" / f"{SOURCE_PRODUCT}.md").read_text(encoding="utf-8")
    for path in (root / "products").glob("*.md"):
        path.unlink()
    for index in range(products):
        body = text.replace("name: Tether QVAC SDK", f"name: Catalogue Tool {index:03d}")
        (root / "products" / f"tool-{index:03d}.md").write_text(body, encoding="utf-8")
    return Workspace(root)


def plan_all(workspace: Workspace, *, force: bool = False) -> list[Job]:
    store = DraftStore(workspace)
    personas = list(workspace.load_personas().values())
    jobs: list[Job] = []
    for slug in workspace.product_slugs():
        planned, _ = plan_draft(store, workspace.load_product(slug), personas, force=force)
        jobs += planned
    return jobs


def settings_for(server: FakeMessagesAPI, concurrency: int) -> RunSettings:
    return RunSettings(concurrency=concurrency, backend=BackendOptions(base_url=server.base_url))


def run_panel(workspace: Workspace, jobs: Sequence[Job], settings: RunSettings,
              pool: BackendPool | None = None) -> tuple[list[JobResult], float]:
    plan = make_plan(workspace, jobs, settings)

    async def run() -> list[JobResult]:  # the run owns the pool, given or not, and closes it
        async with pool or BackendPool(settings.backend, settings.concurrency) as owned:
            return await Panel(workspace, owned, SilentReporter()).run(plan)

    started = time.perf_counter()
    results = asyncio.run(run())
    return results, time.perf_counter() - started


def drafts_written(workspace: Workspace) -> int:
    store = DraftStore(workspace)
    return sum(len(store.read_all(slug)) for slug in workspace.product_slugs())


def spend(workspace: Workspace) -> dict[str, float]:
    records = ledger.read(workspace.ledger_path)
    fresh = sum(r.input_tokens for r in records)
    read = sum(r.cache_read_tokens for r in records)
    written = sum(r.cache_write_tokens for r in records)
    return {"calls": len(records), "cost": sum(r.cost_usd for r in records),
            "input": fresh + read + written, "cache_read": read, "cache_write": written}


# 1. one panel vs one call ---------------------------------------------------------------

def bench_panel_latency(tmp: Path, latency: float, runs: int) -> dict[str, float]:
    workspace = make_workspace(tmp / "panel", 1)
    with FakeMessagesAPI(latency=latency) as server:
        settings = settings_for(server, 5)
        panel_jobs = plan_all(workspace)
        one_job = [job for job in panel_jobs if job.persona.id == "dx"]
        run_panel(workspace, one_job, settings)  # warm-up: imports the SDK once
        singles, panels = [], []
        for _ in range(runs):
            singles.append(run_panel(workspace, plan_all(workspace, force=True)[:1],
                                     settings)[1])
            panels.append(run_panel(workspace, plan_all(workspace, force=True), settings)[1])
    single, panel = statistics.median(singles), statistics.median(panels)
    return {"latency_s": latency, "single_s": single, "panel_s": panel,
            "ratio": panel / single, "ratio_vs_injected": panel / latency}


# 2. catalogue under a rate limit -----------------------------------------------------------

def bench_rate_limited(tmp: Path, products: int, rpm: int, window: float, latency: float,
                       concurrency: int) -> dict[str, float]:
    workspace = make_workspace(tmp / "rpm", products)
    jobs = plan_all(workspace)
    with FakeMessagesAPI(latency=latency, rpm_limit=rpm, window=window) as server:
        settings = settings_for(server, concurrency)
        pool = BackendPool(settings.backend, settings.concurrency)
        backend = pool.get(make_plan(workspace, jobs[:1], settings).jobs[0].choice)
        assert isinstance(backend, ClaudeBackend)
        results, wall = run_panel(workspace, jobs, settings, pool)
        stats = backend.limiter.stats()
        sent = [r for r in server.requests if r["path"] == "/v1/messages"]
        times = sorted(r["time"] for r in sent)
        refused = server.count(429)
    accepted = len(sent) - refused
    span = times[-1] - times[0]
    limit_rpm = rpm * 60.0 / window
    # A sliding window lets a whole window's worth through at the start: the plain rate
    # (accepted / span) gets that burst for free, the steady rate leaves it out, and the
    # pacing efficiency compares the span with the shortest the limit allows.
    ideal_span = (-(-accepted // rpm) - 1) * window
    cache = spend(workspace)
    return {
        "jobs": len(jobs), "done": sum(r.state == "done" for r in results),
        "drafts": drafts_written(workspace), "wall_s": wall, "requests": len(sent),
        "refused": refused, "refused_share": refused / len(sent),
        "limit_rpm": limit_rpm, "achieved_rpm": accepted / span * 60 if span else 0.0,
        "achieved/limit": accepted / span * 60 / limit_rpm if span else 0.0,
        "steady/limit": (accepted - rpm) / span * 60 / limit_rpm if span else 0.0,
        "pacing_efficiency": ideal_span / span if span else 0.0,
        "span_s": span, "ideal_span_s": ideal_span, "shrinks": stats.shrinks,
        "cache_share": cache["cache_read"] / cache["input"] if cache["input"] else 0.0,
    }


# 3. batch vs interactive -----------------------------------------------------------------

def bench_batch_cost(tmp: Path, products: int) -> dict[str, float]:
    live = make_workspace(tmp / "live", products)
    with FakeMessagesAPI() as server:
        live_results, _ = run_panel(live, plan_all(live), settings_for(server, 16))
    batched = make_workspace(tmp / "batched", products)
    with FakeMessagesAPI() as server:
        settings = settings_for(server, 16)
        record = asyncio.run(batch.submit(batched, make_plan(batched, plan_all(batched),
                                                             settings)))
        collected = asyncio.run(batch.collect(batched, record, settings, SilentReporter()))
    live_spend, batch_spend = spend(live), spend(batched)
    return {
        "interactive_cost": live_spend["cost"], "batch_cost": batch_spend["cost"],
        "ratio": batch_spend["cost"] / live_spend["cost"],
        "interactive_drafts": drafts_written(live), "batch_drafts": drafts_written(batched),
        "batch_failed": sum(r.state != "done" for r in collected.results),
        "interactive_failed": sum(r.state != "done" for r in live_results),
    }


# 4. fast start ---------------------------------------------------------------------------

def wall_time(command: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def bench_startup(tmp: Path, runs: int) -> dict[str, float]:
    workspace = make_workspace(tmp / "startup", 2)
    env = {**os.environ, "PANELIST_WORKSPACE": str(workspace.root)}
    cli = _panelist_command()
    commands: dict[str, list[str]] = {"python -c pass": [sys.executable, "-c", "pass"],
                                      "panelist --help": [*cli, "--help"],
                                      "panelist status": [*cli, "status"]}
    for command in commands.values():
        wall_time(command, env)  # warm the OS file cache
    medians = {name: statistics.median(wall_time(command, env) for _ in range(runs))
               for name, command in commands.items()}
    base = medians["python -c pass"]
    # for scale: what every command would pay if it imported the SDK
    sdk = statistics.median(wall_time([sys.executable, "-c", "import anthropic"], env)
                            for _ in range(3))
    return {**{f"{name} s": value for name, value in medians.items()},
            "import anthropic s": sdk,
            "help_ratio": medians["panelist --help"] / base,
            "status_ratio": medians["panelist status"] / base}


def _panelist_command() -> list[str]:
    script = Path(sys.executable).with_name("panelist")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "panelist"]


# 5. memory of a 200-call run ---------------------------------------------------------------

def bench_memory(tmp: Path, products: int) -> dict[str, float]:
    workspace = make_workspace(tmp / "memory", products)
    with FakeMessagesAPI(latency=0.05) as server:
        env = {**os.environ, "ANTHROPIC_API_KEY": FAKE_KEY,
               "ANTHROPIC_BASE_URL": server.base_url, "PANELIST_WORKSPACE": str(workspace.root)}
        started = time.perf_counter()
        process = subprocess.Popen([*_panelist_command(), "draft", "--all", "--concurrency",
                                    "16"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    return {"calls": products * 5, "exit": process.returncode, "wall_s": wall,
            "peak_rss_mb": usage.ru_maxrss / 1024, "drafts": drafts_written(workspace)}


# 6. the Claude contract: warm-up latency, cache writes, cost before / after -----------------

def bench_contract(tmp: Path, runs: int) -> dict[str, float]:
    """One five-persona panel on the contract fake at 0 s and at 2 s latency."""
    walls: dict[float, list[float]] = {0.0: [], 2.0: []}
    writes, after_cost = [], []
    for latency in walls:
        for run in range(runs):
            workspace = make_workspace(tmp / f"contract-{latency}-{run}", 1)
            with FakeMessagesAPI(latency=latency, time_to_first_token=0.2) as server:
                results, wall = run_panel(workspace, plan_all(workspace), settings_for(server, 5))
                assert all(r.state == "done" for r in results), [r.detail for r in results]
                walls[latency].append(wall)
                writes.append(server.cache_writes())
            after_cost.append(spend(workspace)["cost"])
    zero, two = statistics.median(walls[0.0]), statistics.median(walls[2.0])
    before = cost_before(tmp)
    after = statistics.median(after_cost)
    return {"wall_at_0s": zero, "wall_at_2s": two, "latency_factor": (two - zero) / 2.0,
            "cache_writes_per_panel": statistics.median(writes),
            "before_cost": before["cost"], "before_failed": before["failed"],
            "after_cost": after, "after/before": after / before["cost"]}


def cost_before(tmp: Path) -> dict[str, float]:
    """The request shape before issue 9, minus the temperature a 5-series model refuses with
    a 400: max_tokens 1024, no effort (so Sonnet 5.5 thinks at high), all five at once, and
    the one re-ask each when the answer is cut off. Priced at today's table."""
    import anthropic

    from panelist.backends.base import TokenCounts
    from panelist.backends.pricing import cost_usd
    from panelist.run.takes import TakeProblem, parse_take

    workspace = make_workspace(tmp / "before", 1)
    jobs = plan_all(workspace)
    with FakeMessagesAPI(latency=2.0, time_to_first_token=0.2) as server:
        settings = settings_for(server, 5)
        requests = [planned.request for planned in make_plan(workspace, jobs, settings).jobs]
        renderer = PromptRenderer(workspace)
        backend = ClaudeBackend(base_url=server.base_url)

        def old_body(request: Any, messages: list[dict[str, str]]) -> dict[str, Any]:
            body = backend.describe_request(request)
            body["output_config"].pop("effort")
            return {**body, "max_tokens": 1024, "messages": messages}

        async def ask(bodies: list[dict[str, Any]]) -> list[Any]:
            async with anthropic.AsyncAnthropic(api_key=FAKE_KEY, base_url=server.base_url,
                                                max_retries=0) as client:
                return list(await asyncio.gather(*(client.messages.create(**body)
                                                   for body in bodies)))

        first_bodies = [old_body(r, [{"role": "user", "content": r.messages[0].content}])
                        for r in requests]
        firsts = asyncio.run(ask(first_bodies))
        reasks, failed = [], 0
        for job, body, message in zip(jobs, first_bodies, firsts, strict=True):
            text = "".join(b.text for b in message.content if b.type == "text")
            try:
                parse_take(text, job.persona, stop_reason=message.stop_reason)
            except TakeProblem as problem:
                reasks.append({**body, "messages": [
                    *body["messages"], {"role": "assistant", "content": text or "(empty)"},
                    {"role": "user", "content": renderer.render_reask(job.persona,
                                                                            str(problem))}]})
        seconds = asyncio.run(ask(reasks)) if reasks else []
        failed = sum(m.stop_reason == "max_tokens" for m in seconds)
    cost = sum(cost_usd(m.model, TokenCounts(
        input_tokens=m.usage.input_tokens, output_tokens=m.usage.output_tokens,
        cache_read_tokens=m.usage.cache_read_input_tokens or 0,
        cache_write_tokens=m.usage.cache_creation_input_tokens or 0)) or 0.0
        for m in [*firsts, *seconds])
    return {"cost": cost, "failed": failed}


# 7. effort: what each level costs a panel on the contract fake --------------------------------

def bench_effort(tmp: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    for effort in ("low", "medium", "high"):
        workspace = make_workspace(tmp / f"effort-{effort}", 1)
        with FakeMessagesAPI() as server:
            settings = replace(settings_for(server, 5), effort=effort)  # type: ignore[arg-type]
            results, _ = run_panel(workspace, plan_all(workspace), settings)
        records = ledger.read(workspace.ledger_path)
        figures[f"{effort}: thinking/call"] = statistics.median(r.thinking_tokens
                                                                for r in records)
        figures[f"{effort}: output/call"] = statistics.median(r.output_tokens for r in records)
        figures[f"{effort}: panel $"] = sum(r.cost_usd for r in records)
        figures[f"{effort}: done"] = sum(r.state == "done" for r in results)
    figures["high/low cost"] = figures["high: panel $"] / figures["low: panel $"]
    return figures


# ------------------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller run (about 20 s)")
    parser.add_argument("--products", type=int, default=40)
    parser.add_argument("--rpm", type=int, default=30, help="requests allowed per window")
    parser.add_argument("--window", type=float, default=10.0, help="seconds per window")
    parser.add_argument("--latency", type=float, default=0.5, help="injected latency, s")
    parser.add_argument("--runs", type=int, default=7, help="repeats for the medians")
    parser.add_argument("--contract", action="store_true", help="sections 6 and 7 only")
    args = parser.parse_args(argv)
    if args.quick:
        args.products, args.window, args.runs = 8, 2.0, 3
    os.environ["ANTHROPIC_API_KEY"] = FAKE_KEY  # this process only; the fake ignores it
    os.environ.pop("PANELIST_RETRY_SCALE", None)  # real waits: retry-after is honoured
    tmp = Path(tempfile.mkdtemp(prefix="panelist-bench-"))
    if args.contract:
        try:
            run_contract_sections(tmp, 3)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    try:
        section("1. five-persona panel vs one call", bench_panel_latency(
            tmp, args.latency, args.runs), "ratio", "<= 1.15", lambda v: v <= 1.15)
        section(f"2. {args.products} products x 5 personas, {args.rpm} requests per "
                f"{args.window:g} s window", bench_rate_limited(
                    tmp, args.products, args.rpm, args.window, 0.3, 16),
                "achieved/limit", ">= 0.9", lambda v: v >= 0.9)
        section("3. batch vs interactive, same run", bench_batch_cost(tmp, args.products),
                "ratio", "0.5", lambda v: abs(v - 0.5) < 0.01)
        section("4. start-up, medians", bench_startup(tmp, args.runs),
                "help_ratio", "<= 2.0", lambda v: v <= 2.0)
        section("5. a 200-call run in its own process", bench_memory(tmp, 40), "peak_rss_mb",
                "(reported)", None)
        run_contract_sections(tmp, 3)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_contract_sections(tmp: Path, runs: int) -> None:
    contract = bench_contract(tmp, runs)
    section("6. Sonnet 5.5 panel on the contract fake, 2 s latency (medians of 3)", contract,
            "latency_factor", "<= 1.5", lambda v: v <= 1.5)
    print(f"  -> cache writes per panel {contract['cache_writes_per_panel']:g} (target 1); "
          f"cost after / before {contract['after/before']:.3f}")
    section("7. effort levels, one panel each on the contract fake", bench_effort(tmp),
            "high/low cost", "(reported)", None)


def section(title: str, figures: dict[str, Any], key: str, target: str,
            passes: Callable[[float], bool] | None) -> None:
    print(f"\n{title}")
    for name, value in figures.items():
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        print(f"  {name:<22} {shown}")
    if key in figures and passes is not None:
        verdict = "meets" if passes(figures[key]) else "MISSES"
        print(f"  -> {key} {figures[key]:.3f}: {verdict} the target ({target})")
    else:
        print(f"  -> target for {key}: {target}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
