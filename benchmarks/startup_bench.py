"""Start-up cost of the CLI: wall time of a command over ``python -c pass``, medians of N runs.

    python benchmarks/startup_bench.py [--runs 5]

Runs every command in one go so the ratios share the machine's load. A command should import
only what it uses: --help none of the SDK, pydantic models only where a file is read.
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
# The framework's own floor for running a command: typer (0.29 converts parameters through
# pydantic) with one command, one argument and one option, doing nothing.
BARE_TYPER = """
from pathlib import Path
from typing import Annotated
import typer
app = typer.Typer()
@app.command()
def status(product: Annotated[str | None, typer.Argument()] = None,
           workspace: Annotated[Path | None, typer.Option("--workspace", "-w")] = None) -> None:
    print("ok")
@app.command()
def other() -> None:
    pass
app()
"""
sys.path.insert(0, str(ROOT / "tests"))


def wall(argv: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    from panel_helpers import QVAC, draft_panel
    from panelist.store.workspace import Workspace, init_workspace

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        init_workspace(root)
        draft_panel(Workspace(root), QVAC)
        env = {**os.environ, "PANELIST_WORKSPACE": str(root), "COLUMNS": "80"}
        python = sys.executable
        cases = {
            "python -c pass": [python, "-c", "pass"],
            "python -c 'import typer'": [python, "-c", "import typer"],
            "a bare typer app running a command": [python, "-c", BARE_TYPER, "status", "x"],
            "panelist --help": [python, "-m", "panelist", "--help"],
            "panelist status": [python, "-m", "panelist", "status"],
            f"panelist status {QVAC}": [python, "-m", "panelist", "status", QVAC],
        }
        figures = {name: wall(argv, env, runs) for name, argv in cases.items()}
    floor = figures["python -c pass"]
    print(f"start-up, median of {runs} runs each, one run of this script")
    for name, seconds in figures.items():
        print(f"  {name:<34} {seconds * 1000:7.1f} ms  {seconds / floor:5.1f}x")


if __name__ == "__main__":
    main()
