"""The README's first command, timed: `panelist draft products/tether-qvac-sdk.md` with no API key.

    python benchmarks/readme_bench.py             # five runs, each in a fresh copy of the example
    python benchmarks/readme_bench.py --runs 1

Each run copies the repository's example workspace (personas/, products/; no drafts/) to a new
temporary folder, runs the installed `panelist` there with ANTHROPIC_API_KEY empty, as a new user
would, output piped, and reads `panelist status --json` after. Prints each run's wall time, the
1-minute load average before it, drafts written, drafts flagged by the quality gate and takes
that failed; then the median and worst time. Not a test: the figures depend on the machine and
on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PANELIST = Path(sys.executable).parent / "panelist"
PRODUCT = "tether-qvac-sdk"


def fresh_workspace() -> Path:
    root = Path(tempfile.mkdtemp(prefix="panelist-readme-")) / "reviews"
    root.mkdir()
    for folder in ("personas", "products"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def one_run(index: int) -> tuple[float, int, int, int]:
    root = fresh_workspace()
    env = {**os.environ, "ANTHROPIC_API_KEY": "", "ANTHROPIC_BASE_URL": ""}
    load = os.getloadavg()[0]
    started = time.perf_counter()
    drafted = subprocess.run([str(PANELIST), "draft", f"products/{PRODUCT}.md"], cwd=root,
                             env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    status = subprocess.run([str(PANELIST), "status", PRODUCT, "--json"], cwd=root, env=env,
                            capture_output=True, text=True, check=False)
    rows = [row for row in json.loads(status.stdout or "[]") if row["status"] != "missing"]
    written = len(rows)
    flagged = sum(bool(row["quality"]) for row in rows)
    failed = 5 - written
    print(f"run {index}: {seconds:.0f} s (exit {drafted.returncode}), load average before "
          f"{load:.1f}; {written} drafts, {flagged} flagged, {failed} failed", flush=True)
    if drafted.returncode != 0:
        print("   " + drafted.stdout.strip().replace("\n", "\n   ")[-800:])
    return seconds, written, flagged, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{PANELIST} draft products/{PRODUCT}.md, no API key, {os.cpu_count()} cores")
    runs = [one_run(index + 1) for index in range(args.runs)]
    times = [run[0] for run in runs]
    print(f"median {statistics.median(times):.0f} s, worst {max(times):.0f} s over {len(runs)} "
          f"runs; drafts flagged {sum(r[2] for r in runs)}/{sum(r[1] for r in runs)}, takes "
          f"failed {sum(r[3] for r in runs)}; load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
