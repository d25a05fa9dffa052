"""Benchmark of the desk's catalogue (issue 13): 1,000 products against 10, on a real server.

    python benchmarks/desk_bench.py            # about 4 minutes; prints the figures
    python benchmarks/desk_bench.py --quick    # 200 products instead of 1,000

Each product is a copy of the example product with a full five-persona panel (drafts and their
history, one draft in five edited, one in five approved), so every row reads six files and lints
five quotes. The desk runs under uvicorn on loopback and is asked over HTTP, as a browser would,
for the catalogue page (``GET /``) and ``GET /api/products``: the first request (every row built
from the files), medians of later ones (rows read from the index), and one request after an
edit. The ratio says how the time grows from 10 products to the big catalogue.
benchmarks/catalogue_bench.py measures the CLI's read commands too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from desk_helpers import RunningDesk, running_desk  # noqa: E402
from panel_helpers import EXAMPLE_TAKES, QVAC, edit_draft, write_take  # noqa: E402
from panelist.review.approval import approve_takes  # noqa: E402
from panelist.store.drafts import DraftStore  # noqa: E402
from panelist.store.workspace import Workspace, init_workspace  # noqa: E402


def build_catalogue(root: Path, products: int) -> Workspace:
    init_workspace(root)
    workspace = Workspace(root)
    source = (workspace.products_dir / f"{QVAC}.md").read_text(encoding="utf-8")
    for old in workspace.products_dir.glob("*.md"):
        old.unlink()
    for index in range(products):
        slug = f"product-{index:04d}"
        (workspace.products_dir / f"{slug}.md").write_text(
            source.replace("name: Tether QVAC SDK", f"name: Product {index:04d}"),
            encoding="utf-8")
        for number, (persona, (verdict, quote)) in enumerate(EXAMPLE_TAKES[QVAC].items()):
            draft = write_take(workspace, slug, persona, verdict, quote)
            if number == 1:
                edit_draft(draft, quote=quote.replace("powerful", "clever"))
        approve_takes(workspace, slug, ["dx"])
    return workspace


def once_ms(desk: RunningDesk, path: str) -> float:
    start = time.perf_counter()
    assert desk.request("GET", path).status == 200
    return (time.perf_counter() - start) * 1000


def median_ms(desk: RunningDesk, path: str, repeats: int) -> tuple[float, int]:
    times = []
    size = 0
    for _ in range(repeats):
        start = time.perf_counter()
        reply = desk.request("GET", path)
        times.append((time.perf_counter() - start) * 1000)
        assert reply.status == 200, reply.text[:200]
        size = len(reply.text)
    return statistics.median(times), size


def measure(products: int, repeats: int) -> dict[str, tuple[float, int]]:
    """The first catalogue request (every row built), then medians with every row in the index, and
    the catalogue after one draft file changed (one row rebuilt)."""
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as folder:
        workspace = build_catalogue(Path(folder) / "ws", products)
        with running_desk(workspace) as desk:
            figures = {"first": (once_ms(desk, "/"), 0)}
            figures |= {path: median_ms(desk, path, repeats) for path in ("/", "/api/products")}
            draft = DraftStore(workspace).read("product-0000", "skeptic")
            assert draft is not None
            edit_draft(draft, quote="An edit made in another editor.")
            figures["after an edit"] = (once_ms(desk, "/"), 0)
            return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 products instead of 1,000")
    args = parser.parse_args()
    big = 200 if args.quick else 1000
    small_figures = measure(10, repeats=15)
    big_figures = measure(big, repeats=5)
    print(f"desk catalogue: {big} products vs 10, medians of 5 and 15 requests")
    for path, label in (("first", "first GET / (cold)"), ("/", "GET / (catalogue page)"),
                        ("/api/products", "GET /api/products"),
                        ("after an edit", "GET / after one edit")):
        small_ms, _ = small_figures[path]
        big_ms, big_size = big_figures[path]
        size = f" ({big_size / 1024:.0f} KiB)" if big_size else ""
        print(f"  {label:24} 10: {small_ms:7.1f} ms   {big}: {big_ms:8.1f} ms{size:10}  "
              f"ratio {big_ms / small_ms:5.1f}x")


if __name__ == "__main__":
    main()
