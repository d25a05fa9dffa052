"""Benchmark of persona trials (issue 20): one trial of 3 variants (baseline, a variant file,
a model) over 20 products against the contract fake at 1 s latency.

    python benchmarks/trial_bench.py                  # concurrency 5 and 10, about 30 s
    python benchmarks/trial_bench.py --concurrency 5  # one run

Target: the time from the first call to the last answer is about the calls run at the
configured concurrency, ceil(calls / concurrency) x 1 s, not their sum (calls x 1 s). The
time before the first call (reading files, rendering 60 prompts, loading the SDK and the
quality gate's word lists) is printed beside it. It runs the same service
functions as ``panelist trial`` (start_trial, run_trial), with the real SDK over loopback.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_messages_api import FakeMessagesAPI  # noqa: E402
from helpers import FAKE_KEY  # noqa: E402
from panelist.review.trials import approved_sample, build_trial  # noqa: E402
from panelist.run import trial  # noqa: E402
from panelist.run.plan import run_settings  # noqa: E402
from panelist.store.workspace import Workspace, init_workspace  # noqa: E402
from trial_helpers import OPUS, PERSONA, approved_workspace, trial_take, variant_file  # noqa: E402

PRODUCTS, LATENCY = 20, 1.0


def one_trial(concurrency: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        init_workspace(root)
        workspace = Workspace(root)
        approved_workspace(workspace, PRODUCTS)
        variant = variant_file(workspace, Path(folder))
        with FakeMessagesAPI(take_factory=trial_take, latency=LATENCY) as server:
            os.environ.update(ANTHROPIC_API_KEY=FAKE_KEY, ANTHROPIC_BASE_URL=server.base_url)
            products, references = approved_sample(workspace, PERSONA, None, PRODUCTS)
            spec = trial.TrialSpec(persona=PERSONA, products=products, references=references,
                                   variant_files=[variant], models=[OPUS])
            settings = run_settings(None, server.base_url, concurrency)
            started_at = time.monotonic()
            started = trial.start_trial(workspace, spec, settings)
            record = trial.run_trial(workspace, started)
            ended = time.monotonic()
            calls = len(server.requests)
            first_call = min(request["time"] for request in server.requests)
        view = build_trial(workspace, record.id)
        done = sum(1 for cell in view.cells if cell.state == "done")
    return {"calls": calls, "done": done, "wall": ended - started_at,
            "span": ended - first_call, "before": first_call - started_at,
            "ideal": math.ceil(calls / concurrency) * LATENCY, "sum": calls * LATENCY}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, action="append")
    args = parser.parse_args()
    print(f"trial: 3 variants x {PRODUCTS} products, fake latency {LATENCY:.0f} s, "
          f"load {os.getloadavg()[0]:.1f}")
    for concurrency in args.concurrency or [5, 10]:
        figures = one_trial(concurrency)
        span = figures["span"]
        print(f"  concurrency {concurrency:>2}: {figures['done']:.0f}/{3 * PRODUCTS} takes, "
              f"{figures['calls']:.0f} calls in {span:.1f} s from the first call to the last "
              f"answer ({figures['wall']:.1f} s in all, {figures['before']:.1f} s of it planning "
              f"and start-up); calls at the concurrency {figures['ideal']:.0f} s "
              f"({span / figures['ideal']:.2f}x), their sum {figures['sum']:.0f} s "
              f"({span / figures['sum']:.2f}x)")


if __name__ == "__main__":
    main()
