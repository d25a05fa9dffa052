"""What the review's quality gate costs the editor's commands (issue 17), medians of N runs.

    python benchmarks/review_gate_bench.py [--runs 5]   # about 30 seconds

Each run is a fresh copy of the example workspace with the QVAC panel drafted (five takes, no
model), then, as separate processes as an editor types them: the first ``status`` (the gate
judges every take, loading its word lists), a second ``status`` (the judgements read back from
the index), ``approve`` of the panel (which always judges afresh), and ``python -c
pass`` for the floor. Also the gate's own time per take, in-process, with the lists loaded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from panel_helpers import QVAC, draft_panel  # noqa: E402
from panelist.store.workspace import Workspace, init_workspace  # noqa: E402


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def one_run(python: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        init_workspace(root)
        draft_panel(Workspace(root), QVAC)
        env = {**os.environ, "PANELIST_WORKSPACE": str(root), "COLUMNS": "80"}
        panelist = [python, "-m", "panelist"]
        return {
            "python -c pass": timed([python, "-c", "pass"], env),
            "first status (gate judges 5 takes)": timed([*panelist, "status", QVAC], env),
            "second status (judgements read back)": timed([*panelist, "status", QVAC], env),
            "approve (5 takes judged afresh)": timed([*panelist, "approve", QVAC], env),
        }


def per_take_ms(repeats: int = 200) -> float:
    from panel_helpers import EXAMPLE_TAKES
    from panelist.quality import assess_take, context_for, load_word_lists

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        init_workspace(root)
        workspace = Workspace(root)
        product = workspace.load_product(QVAC)
        personas = workspace.load_personas()
        load_word_lists()
        started = time.perf_counter()
        for _ in range(repeats):
            for persona, (verdict, quote) in EXAMPLE_TAKES[QVAC].items():
                assess_take(quote, ["one reason", "another"], verdict,
                            context_for(product, personas[persona], ["Other Product"]))
        return (time.perf_counter() - started) * 1000 / (repeats * len(EXAMPLE_TAKES[QVAC]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    figures = [one_run(sys.executable) for _ in range(runs)]
    print(f"review gate, median of {runs} runs (each a fresh workspace), one run of this script")
    for name in figures[0]:
        print(f"  {name:<40} {statistics.median(f[name] for f in figures) * 1000:7.1f} ms")
    print(f"  the gate on one take (lists loaded)      {per_take_ms():7.2f} ms")


if __name__ == "__main__":
    main()
