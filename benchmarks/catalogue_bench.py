"""Benchmark of the read commands and the desk against the catalogue's size (issue 19).

    python benchmarks/catalogue_bench.py                       # 10, 100, 1,000 products
    python benchmarks/catalogue_bench.py --sizes 10 1000 10000 # 10,000 takes a while
    python benchmarks/catalogue_bench.py --runs 5              # medians of 5 (default 3)

Each product has a description of its own and takes on it (``distinct_products``: generated
from a seed, with its own name, maker, figures and a shelf's domain words, 100-190 words), or
with ``--copied`` is a copy of the example product with its name changed, and its takes (as
before session 8: every product then shares every fact, which understates what the gate's rival
check costs); each has a five-persona panel written by panelist's own store: each take in
history, one persona re-drafted (two takes in history), one draft edited by hand, one approved
(about 40 s to build 1,000 distinct products, 6 min for 10,000, written 1,000 at a time; the
copied ones are copied files). Every read command runs as a new process (``python -m
panelist``), as an editor runs it, in three states:

    cold     no index (``.panelist/index.sqlite3`` deleted): every file read and derived
    changed  one draft edited by hand since the last command: that file read again
    warm     nothing changed since the last command

The desk runs under uvicorn on loopback and is asked over HTTP for the catalogue page (``GET
/``) and ``GET /api/products``: a new desk with no index (cold), after one edit, and warm. That
desk runs in this process and is asked before it has read anything. ``panelist desk`` itself
is then timed as an editor starts it (``desk launched``): a new process, from its launch to the
catalogue page answered; it reads the catalogue as it starts, and the page waits for that.
Figures are medians of wall time and of CPU time (a command's user + system time; for the desk,
this process's and its worker processes'): on a shared machine the wall time grows with the
load, the CPU time much less.
The ratio is of wall times, to the smallest catalogue in the same run.

panelist's modules are byte-compiled first (``compileall``, into the source tree's
``__pycache__``), as an install leaves them and as Python leaves a source tree after its first
run: where Python is told to write no bytecode (``PYTHONDONTWRITEBYTECODE``, set on some
machines), every command would otherwise compile each module it imports again, and a warm read
would be timed with that in it. ``--no-bytecode`` times the commands that way.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import http.client
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))  # the code the commands run builds the catalogue and
# serves the desk too (not a panelist installed elsewhere, whose gate would stamp the takes)

from distinct_products import PANEL, product_file, take_quote  # noqa: E402

from desk_helpers import RunningDesk, running_desk  # noqa: E402
from panel_helpers import EXAMPLE_TAKES, QVAC, edit_draft, write_take  # noqa: E402
from panelist.review.approval import approve_takes  # noqa: E402
from panelist.store.drafts import DraftStore  # noqa: E402
from panelist.store.index import INDEX_NAME  # noqa: E402
from panelist.store.workspace import Workspace, init_workspace  # noqa: E402

TEMPLATE = "template-product"
COMMANDS: dict[str, list[str]] = {
    "status": ["status"],
    "stats": ["stats"],
    "lint --all": ["lint", "--all"],
    "compare (one product)": ["compare", "product-000000"],
}
STATES = ("cold", "changed", "warm")


def build_catalogue(root: Path, products: int, copied: bool = False) -> Workspace:
    """A workspace of ``products`` products, each with a five-persona panel written by
    panelist's store: each take in history, one persona re-drafted (two takes in history),
    one draft edited by hand, one approved. Each product has its own description and takes
    (``distinct_products``); with ``copied``, the example product's description (its name
    changed) and takes: one panel written, then copied file by file with the slug changed."""
    init_workspace(root)
    workspace = Workspace(root)
    source = (workspace.products_dir / f"{QVAC}.md").read_text(encoding="utf-8")
    for old in workspace.products_dir.glob("*.md"):
        old.unlink()
    if not copied:
        for first in range(0, products, SHARD):
            build_shard(workspace, range(first, min(products, first + SHARD)))
        return workspace
    template = Path(tempfile.mkdtemp(prefix="catalogue-template-"))
    model = Workspace(template)
    init_workspace(template)
    (model.products_dir / f"{TEMPLATE}.md").write_text(source, encoding="utf-8")
    write_panel(model, TEMPLATE, EXAMPLE_TAKES[QVAC])
    files = [(path.relative_to(model.drafts_dir / TEMPLATE), path.read_text(encoding="utf-8"))
             for path in sorted((model.drafts_dir / TEMPLATE).rglob("*.md"))]
    shutil.rmtree(template)
    for index in range(products):
        slug = f"product-{index:06d}"
        (workspace.products_dir / f"{slug}.md").write_text(
            source.replace("name: Tether QVAC SDK", f"name: Product {index:06d}"),
            encoding="utf-8")
        for relative, text in files:
            path = workspace.drafts_dir / slug / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.replace(TEMPLATE, slug), encoding="utf-8")
    return workspace


SHARD = 1000  # products written beside each other: an approval reads every product's facts


def build_shard(workspace: Workspace, indexes: range) -> None:
    """Distinct products ``indexes`` and their panels, in ``workspace``. Past the first
    ``SHARD``, they are written in a workspace of their own and moved in: each approval reads
    the whole catalogue's facts for the gate, so a catalogue written all in one place costs
    time with the square of its size (10,000 products: over an hour, against 6 minutes)."""
    shard = workspace if indexes.start < SHARD else Workspace(Path(tempfile.mkdtemp(
        prefix="catalogue-shard-", dir=workspace.root.parent)))
    if shard is not workspace:
        init_workspace(shard.root)
        for old in shard.products_dir.glob("*.md"):
            old.unlink()
    for index in indexes:
        slug = f"product-{index:06d}"
        (shard.products_dir / f"{slug}.md").write_text(product_file(index), encoding="utf-8")
        write_panel(shard, slug, {persona: (verdict, take_quote(index, persona))
                                  for persona, verdict in PANEL.items()})
    if shard is not workspace:
        for folder, into in ((shard.products_dir, workspace.products_dir),
                             (shard.drafts_dir, workspace.drafts_dir)):
            for item in folder.iterdir():
                shutil.move(item, into / item.name)
        shutil.rmtree(shard.root)


def write_panel(workspace: Workspace, slug: str, takes: dict[str, tuple[str, str]]) -> None:
    """A product's panel as the benchmark has it: every take written by the store, the
    second persona's draft edited by hand, the third's re-drafted, the first approved."""
    for number, (persona, (verdict, quote)) in enumerate(takes.items()):
        draft = write_take(workspace, slug, persona, verdict, quote)
        if number == 1:
            edit_draft(draft, quote=quote.replace("powerful", "clever").replace(
                "not cheap", "steep"))
        if number == 2:
            write_take(workspace, slug, persona, verdict, quote + " A second take, redone.")
    approve_takes(workspace, slug, [next(iter(takes))], allow_quality=True)  # as an editor may


def forget_index(workspace: Workspace) -> None:
    for path in workspace.state_dir.glob(f"{INDEX_NAME}*"):
        path.unlink()


def change_one_draft(workspace: Workspace, counter: list[int]) -> None:
    counter[0] += 1
    draft = DraftStore(workspace).read("product-000000", "skeptic")
    assert draft is not None
    edit_draft(draft, quote=f"{draft.quote} Edit {counter[0]}.")


Timing = tuple[float, float]  # wall seconds, CPU seconds (user + system)
T = TypeVar("T")


def run_command(workspace: Workspace, args: list[str]) -> Timing:
    """One command as a new process: its wall time and the CPU time it used."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "120"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "panelist", "--workspace",
                           str(workspace.root), *args], env=env, capture_output=True,
                          text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # lint exits 1 on an error finding
        raise SystemExit(f"{args}: exit {done.returncode}: {done.stderr[-500:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median(timings: list[Timing]) -> Timing:
    return (statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings))


def timed(state: str, workspace: Workspace, runs: int, once: Callable[[], Timing],
          counter: list[int]) -> Timing:
    """The medians of ``runs`` runs of ``once`` in ``state``."""
    return median(timed_runs(state, workspace, runs, once, counter))


def timed_runs(state: str, workspace: Workspace, runs: int, once: Callable[[], T],
               counter: list[int]) -> list[T]:
    """``runs`` runs of ``once`` in ``state``: what each timed run gave."""
    times = []
    for _ in range(runs):
        if state == "cold":
            forget_index(workspace)
        elif state == "changed":
            change_one_draft(workspace, counter)
        else:
            once()  # whatever changed before is read now; the timed run finds nothing new
        times.append(once())
    return times


def measure(products: int, runs: int, copied: bool) -> dict[str, dict[str, Timing]]:
    figures: dict[str, dict[str, Timing]] = {}
    counter = [0]
    with tempfile.TemporaryDirectory(prefix="catalogue-bench-") as folder:
        started = time.perf_counter()
        workspace = build_catalogue(Path(folder) / "ws", products, copied)
        print(f"  built {products} products in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        for name, args in COMMANDS.items():
            figures[name] = {state: timed(state, workspace, runs,
                                          functools.partial(run_command, workspace, args),
                                          counter) for state in STATES}
        for path, label in (("/", "desk GET /"), ("/api/products", "desk GET /api/products")):
            figures[label] = measure_desk(workspace, path, runs, counter)
        for state in STATES:
            launches = timed_runs(state, workspace, runs,
                                  functools.partial(launch_desk, workspace, "/"), counter)
            figures.setdefault("desk launched, GET /", {})[state] = median(
                [timing for timing, _ in launches])
            figures.setdefault("desk launched, GET / after its address", {})[state] = median(
                [(wall - address, cpu) for (wall, cpu), address in launches])
    return figures


def launch_desk(workspace: Workspace, path: str) -> tuple[Timing, float]:
    """``panelist desk`` as a new process, as an editor starts it, asked for ``path`` as soon
    as it prints its address (as the browser it opens does): wall time from the launch to the
    page, and the CPU time of the desk and its workers; and when the address was printed. The
    desk brings the index up to date as it starts; the page waits for that."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    desk = subprocess.Popen([sys.executable, "-m", "panelist", "--workspace",
                             str(workspace.root), "desk", "--port", "0", "--no-browser"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        address = next((urlsplit(word) for line in desk.stdout or () for word in line.split()
                        if word.startswith("http://")), None)
        printed = time.perf_counter() - start
        if address is None or address.hostname is None or address.port is None:
            raise SystemExit(f"the desk printed no address (exit {desk.wait()})")
        token = parse_qs(address.query)["token"][0]
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=3600)
        try:
            connection.request("GET", path, headers={
                "Host": address.netloc, "Authorization": f"Bearer {token}"})
            reply = connection.getresponse()
            body = reply.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - start
        assert reply.status == 200, body[:300]
    finally:
        desk.send_signal(signal.SIGINT)  # Ctrl-C, as an editor ends it
        desk.wait(60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            ), printed


def measure_desk(workspace: Workspace, path: str, runs: int, counter: list[int]
                 ) -> dict[str, Timing]:
    """The desk in this process: wall time of the request, CPU time of this process."""
    def cold() -> Timing:
        forget_index(workspace)
        with running_desk(workspace) as desk:
            return request(desk)

    def request(desk: RunningDesk) -> Timing:
        cpu = _cpu_with_children()  # the desk's workers, forked to derive takes, count too
        start = time.perf_counter()
        connection = http.client.HTTPConnection(desk.host, desk.port, timeout=3600)
        try:
            connection.request("GET", path, headers={
                "Host": f"{desk.host}:{desk.port}", "Authorization": f"Bearer {desk.token}"})
            reply = connection.getresponse()
            body = reply.read()
        finally:
            connection.close()
        assert reply.status == 200, body[:300]
        return time.perf_counter() - start, _cpu_with_children() - cpu

    result = {"cold": median([cold() for _ in range(runs)])}
    with running_desk(workspace) as desk:
        request(desk)
        changed = []
        for _ in range(runs):
            change_one_draft(workspace, counter)
            changed.append(request(desk))
        result["changed"] = median(changed)
        request(desk)
        result["warm"] = median([request(desk) for _ in range(max(runs, 5))])
    return result


def _cpu_with_children() -> float:
    """This process's CPU time and that of its children waited for (the desk's workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def report(results: dict[int, dict[str, dict[str, Timing]]]) -> None:
    sizes = sorted(results)
    base = sizes[0]
    print(f"\nmedians: wall seconds (CPU seconds); [x] = wall ratio to {base} products")
    print("| what | state | " + " | ".join(f"{size:,} products" for size in sizes) + " |")
    print("|" + "---|" * (len(sizes) + 2))
    for name in results[base]:
        for state in STATES:
            cells = []
            for size in sizes:
                wall, cpu = results[size][name][state]
                ratio = wall / results[base][name][state][0]
                cells.append(f"{wall:.3f} ({cpu:.2f})" + ("" if size == base
                                                         else f" [{ratio:.1f}x]"))
            print(f"| {name} | {state} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000],
                        help="catalogue sizes in products (default: 10 100 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="time the commands without byte-compiling panelist first")
    parser.add_argument("--copied", action="store_true",
                        help="every product the example's description, its name changed")
    args = parser.parse_args()
    print("catalogue: " + ("the example product copied" if args.copied
                           else "distinct products (distinct_products.py)"), file=sys.stderr)
    if not args.no_bytecode:
        compileall.compile_dir(ROOT / "src" / "panelist", quiet=1)
    results = {}
    for size in sorted(set(args.sizes)):
        print(f"{size} products ...", file=sys.stderr)
        results[size] = measure(size, args.runs, args.copied)
        report(results)  # so far: a long run shows its figures as it goes
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
