"""What rendering under limits (store/templates.py) costs: prompts and the published page.

    python benchmarks/template_bench.py            # 30 renders each, median and worst
    python benchmarks/template_bench.py --runs 100

The limits trace template frames (for the time and depth limits) and check operators, calls
and filters (for the size limits); this measures the price of that on the example workspace:
the five personas' prompts, and the A vs B page of the two example products.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from panel_helpers import HAIKU, QVAC, draft_panel
from panelist.review import publish
from panelist.review.site import render_html
from panelist.run.prompts import PromptRenderer
from panelist.store.workspace import Workspace, init_workspace


def timed(render: Callable[[], object], runs: int) -> tuple[float, float]:
    render()  # templates compiled and cached
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, max(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        init_workspace(root)
        workspace = Workspace(root)
        for slug in (QVAC, HAIKU):
            draft_panel(workspace, slug)
        product = workspace.load_product(QVAC)
        personas = list(workspace.load_personas().values())
        page = publish.build_page(workspace, [HAIKU, QVAC], include_unapproved=True)

        def prompts() -> None:
            renderer = PromptRenderer(workspace)
            for persona in personas:
                renderer.render_prompt(product, persona)

        def site() -> None:
            render_html(workspace, "page.html.j2", page=page)

        for name, render in (("five prompts", prompts), ("A vs B page", site)):
            median, worst = timed(render, args.runs)
            print(f"{name}: median {median:.1f} ms, worst {worst:.1f} ms ({args.runs} renders)")


if __name__ == "__main__":
    main()
