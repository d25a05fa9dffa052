"""Benchmark of the cache warm-up decision (issue 16), on the contract fake at 2 s latency.

    python benchmarks/warmup_bench.py            # about 40 s; prints the figures
    python benchmarks/warmup_bench.py --runs 1   # one run of each, about 15 s

A five-persona panel streams its first call and sends the other four at ``message_start`` only
when the shared prefix reaches the model's minimum cacheable length (the model table): below
it nothing is cached, so waiting buys nothing. Measured, as medians:

1. one call alone (the unit);
2. the panel on a product below the minimum (claude-sonnet-4-6: 1,024 tokens; the example
   product's prefix is ~700), as panelist sends it now: every persona at once
   (target: about one call's time, ratio <= 1.15);
3. the same panel with the warm-up forced, as before issue 16 (four calls wait for nothing);
4. the panel on a product at or above the minimum (claude-sonnet-5-5: 512), with the warm-up:
   one cache write and four reads, for the time to first token on top of one call.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_bench import (
    FAKE_KEY,
    FakeMessagesAPI,
    make_workspace,
    plan_all,
    run_panel,
    settings_for,
)

from panelist.backends.claude import ClaudeBackend

LATENCY, FIRST_TOKEN = 2.0, 0.2


@contextmanager
def warm_up_forced() -> Iterator[None]:
    """The decision before issue 16: every Claude prefix warms up, whatever its length."""
    decide = ClaudeBackend.__dict__["warms_cache"]  # the staticmethod itself
    ClaudeBackend.warms_cache = staticmethod(lambda body: True)  # type: ignore[method-assign]
    try:
        yield
    finally:
        ClaudeBackend.warms_cache = decide  # type: ignore[method-assign]


def panel_wall(tmp: Path, model: str, *, personas: int = 5) -> tuple[float, int]:
    """Wall time of one panel (or its first ``personas``) and the cache writes it paid."""
    workspace = make_workspace(tmp, 1)
    with FakeMessagesAPI(latency=LATENCY, time_to_first_token=FIRST_TOKEN) as server:
        settings = replace(settings_for(server, 5), model=model)
        results, wall = run_panel(workspace, plan_all(workspace)[:personas], settings)
        assert all(r.state == "done" for r in results), [r.detail for r in results]
        return wall, server.cache_writes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["ANTHROPIC_API_KEY"] = FAKE_KEY
    tmp = Path(tempfile.mkdtemp(prefix="panelist-warmup-"))
    cases = {
        "one call (sonnet-4-6)": lambda i: panel_wall(tmp / f"one-{i}", "claude-sonnet-4-6",
                                                      personas=1),
        "below minimum, now": lambda i: panel_wall(tmp / f"below-{i}", "claude-sonnet-4-6"),
        "below minimum, forced warm-up": lambda i: _forced(tmp / f"forced-{i}"),
        "above minimum (sonnet-5-5)": lambda i: panel_wall(tmp / f"above-{i}",
                                                           "claude-sonnet-5-5"),
    }
    panel_wall(tmp / "warm", "claude-sonnet-4-6", personas=1)  # imports the SDK once
    medians: dict[str, float] = {}
    print(f"five-persona panel on the contract fake, {LATENCY:g} s latency, "
          f"{FIRST_TOKEN:g} s to first token (medians of {args.runs})")
    for name, case in cases.items():
        runs = [case(i) for i in range(args.runs)]
        medians[name] = statistics.median(wall for wall, _ in runs)
        writes = statistics.median(w for _, w in runs)
        print(f"  {name:<32} {medians[name]:6.2f} s   cache writes {writes:g}")
    unit = medians["one call (sonnet-4-6)"]
    below = medians["below minimum, now"] / unit
    print(f"  -> below the minimum: {below:.2f}x one call "
          f"({'meets' if below <= 1.15 else 'MISSES'} the target <= 1.15); forced warm-up "
          f"{medians['below minimum, forced warm-up'] / unit:.2f}x; above the minimum "
          f"{medians['above minimum (sonnet-5-5)'] / unit:.2f}x")


def _forced(root: Path) -> tuple[float, int]:
    with warm_up_forced():
        return panel_wall(root, "claude-sonnet-4-6")


if __name__ == "__main__":
    main()
