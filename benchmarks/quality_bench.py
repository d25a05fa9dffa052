"""Benchmark of the quality gate (issue 17) on a labelled set of takes.

    python benchmarks/quality_bench.py                      # tests/data/quality_labelled.jsonl
    python benchmarks/quality_bench.py --set other.jsonl --products other/products/
    python benchmarks/quality_bench.py --show-misses        # every wrong call, with findings

The set is JSON lines: {"quote", "reasons", "verdict", "label": "good"|"bad", "kind", "product"
(a slug of a file in --products), "persona" (an id of --personas)}. Each take is judged as the
panel judges it: ``assess_take`` with the context of its product, its persona, the names of the
other products in --products, and the prompt rendered for them (packaged templates).

Prints: per kind of bad take, recall (flagged by any check) and precision of the checks that
answer to that kind (of the takes those checks flag, how many are bad); the false-positive rate
on good takes; the time per take (median, worst) and on 1 KB, 10 KB and 100 KB inputs, to show
the cost grows linearly. Not a test: times depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from panelist import quality
from panelist.errors import PanelistError
from panelist.models import Persona
from panelist.run.prompts import PromptRenderer
from panelist.store.workspace import Workspace, init_workspace

ROOT = Path(__file__).resolve().parent.parent
Judged = tuple[dict[str, Any], quality.Assessment, float, float]  # row, verdict, CPU s twice
DEFAULT_SET = ROOT / "tests" / "data" / "quality_labelled.jsonl"
DEFAULT_PRODUCTS = ROOT / "tests" / "data" / "quality_products"
# Which checks answer to a kind, matched on words of the kind's name (sets name kinds freely).
KIND_CHECKS: tuple[tuple[tuple[str, ...], set[str]], ...] = (
    (("foreign", "language", "french", "german", "spanish"), {"babble"}),
    (("babble", "salad", "gibberish", "nonsense"), {"babble", "repetition", "number-salad"}),
    (("caps",), {"all-caps"}),
    (("echo", "instruction", "wrapper", "chat", "meta", "prompt"),
     {"prompt-echo", "reader-address", "chat-wrapper", "maker-voice"}),
    (("contradict", "stance", "verdict"), {"contradiction", "verdict"}),
    (("filler", "vague", "generic"), {"filler"}),
    (("trunc", "cut"), {"truncated"}),
    (("leak", "json", "markdown", "format"), {"leak", "control-chars"}),
    (("wrong", "product", "different", "other"), {"wrong-product", "unsupported-fact"}),
    (("control", "ansi", "escape", "rtl"), {"control-chars"}),
)


def checks_for(kind: str) -> set[str]:
    lowered = kind.lower()
    return next((checks for words, checks in KIND_CHECKS if any(w in lowered for w in words)),
                set())


def workspace_for(products: Path, personas: Path | None, into: Path) -> Workspace:
    init_workspace(into)
    for old in (into / "products").glob("*.md"):
        old.unlink()
    for path in sorted(products.glob("*.md")):
        shutil.copyfile(path, into / "products" / path.name)
    if personas is not None:
        for path in sorted(personas.glob("*.md")):
            shutil.copyfile(path, into / "personas" / path.name)
    return Workspace(into)


def contexts(workspace: Workspace) -> dict[tuple[str, str], quality.GateContext]:
    renderer = PromptRenderer(workspace)
    products = {}
    for slug in workspace.product_slugs():
        try:
            products[slug] = workspace.load_product(slug)
        except PanelistError as error:  # its takes will name it; the others still count
            print(f"skipped product {slug}: {error}", file=sys.stderr)
    personas: dict[str, Persona | None] = dict(workspace.load_personas())
    found: dict[tuple[str, str], quality.GateContext] = {}
    for slug, product in products.items():
        others = [p.name for s, p in products.items() if s != slug]
        for persona_id, persona in [*personas.items(), ("", None)]:
            prompt = ""
            if persona is not None:
                rendered = renderer.render_prompt(product, persona, None)
                prompt = f"{rendered.system} {rendered.user}"
            found[slug, persona_id] = quality.context_for(product, persona, others, prompt)
    return found


def judge(rows: list[dict[str, Any]], found: dict[tuple[str, str], quality.GateContext]
          ) -> list[Judged]:
    judged = []
    for row in rows:
        key = (row["product"], row.get("persona") or "")
        context = found.get(key) or found.get((row["product"], ""))
        if context is None:
            sys.exit(f"{row['product']}: no such product file in --products")
        reasons = row.get("reasons") or []
        reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        arguments = (row["quote"], reasons, row.get("verdict", ""), context)
        cold = time.process_time()
        assessment = quality.assess_take(*arguments)
        cold = time.process_time() - cold
        warm = time.process_time()  # again: the panel judges draws of the same words
        quality.assess_take(*arguments)
        judged.append((row, assessment, cold, time.process_time() - warm))
    return judged


def report(judged: list[Judged], show: bool) -> None:
    kinds: dict[str, list[tuple[dict[str, Any], quality.Assessment]]] = defaultdict(list)
    for row, assessment, _, _ in judged:
        kinds[row["kind"] if row["label"] == "bad" else "good"].append((row, assessment))
    print(f"{'kind':<22}{'bad':>5}{'flagged':>9}{'recall':>8}{'by its check':>14}"
          f"{'precision':>11}")
    total = flagged_total = 0
    for kind in sorted(k for k in kinds if k != "good"):
        rows = kinds[kind]
        checks = checks_for(kind)
        flagged = sum(not a.passed for _, a in rows)
        own = sum(bool(checks & {f.check for f in a.findings}) for _, a in rows)
        firing = [(r, a) for r, a, _, _ in judged if checks & {f.check for f in a.findings}]
        precision = (sum(r["label"] == "bad" for r, _ in firing) / len(firing)) if firing else 0
        total, flagged_total = total + len(rows), flagged_total + flagged
        print(f"{kind:<22}{len(rows):>5}{flagged:>9}{flagged / len(rows):>8.0%}"
              f"{own / len(rows):>14.0%}{precision:>11.0%}")
    good = kinds.get("good", [])
    wrong = [(r, a) for r, a in good if not a.passed]
    print(f"{'all bad':<22}{total:>5}{flagged_total:>9}{flagged_total / max(total, 1):>8.0%}")
    print(f"good takes flagged: {len(wrong)}/{len(good)} ({len(wrong) / max(len(good), 1):.1%})")
    if show:
        for row, assessment in wrong:
            print(f"  FALSE POSITIVE [{row.get('note', row['kind'])}] {assessment.flags}\n"
                  f"    {row['quote'][:150]}")
        for kind, rows in sorted(kinds.items()):
            for row, assessment in rows:
                if kind != "good" and assessment.passed:
                    print(f"  MISSED [{kind}] {row['quote'][:160]} | {row.get('reasons')}")
    for name, index in (("first sight of its words", 2), ("words seen before", 3)):
        times = sorted(entry[index] for entry in judged)
        print(f"CPU time per take, {name}: median {statistics.median(times) * 1000:.2f} ms, "
              f"worst {times[-1] * 1000:.2f} ms")


def scaling(context: quality.GateContext) -> None:
    base = ("QVAC runs offline on phones, and the Holepunch layer shares models peer to peer. "
            "SELECT ALLCAPSTOKEN 12 ms, 4/3/2020 {\"x\": 1} ")
    for label, size in (("1 KB", 1_000), ("10 KB", 10_000), ("100 KB", 100_000)):
        for name, text in (("prose", (base * (size // len(base) + 1))[:size]),
                           ("one caps token", "A" * size)):
            started = time.process_time()
            quality.assess_take(text, [text], "ship", context)
            print(f"{label:>7} {name:<15}{(time.process_time() - started) * 1000:>9.1f} ms CPU")
    # shapes that make a careless pattern backtrack: each 100 KB, as quote and as reasons
    for name, unit in (("a,a,a,...", "a,"), ("((((", "("), ("\\n\\n", "\\n"), ("- A - A", "- A "),
                       ("if you if you", "if you "), ("word,word", "abc,de")):
        text = unit * (100_000 // len(unit))
        started = time.process_time()
        quality.assess_take(text, [text], "ship", context)
        print(f" 100 KB {name:<15}{(time.process_time() - started) * 1000:>9.1f} ms CPU")


FIELDS = ("quote", "verdict", "label", "kind", "product")


def read_set(path: Path) -> list[dict[str, Any]]:
    """The set's rows, or a one-line exit naming the line and the field."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        sys.exit(f"--set {path}: {error.strerror or error}")
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            sys.exit(f"{path}:{number}: not JSON ({error.msg}); one object a line")
        missing = [field for field in FIELDS if not isinstance(row, dict) or field not in row]
        if missing:
            sys.exit(f"{path}:{number}: no '{missing[0]}' field; each line needs "
                     f"{', '.join(FIELDS)}")
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--products", type=Path, default=DEFAULT_PRODUCTS)
    parser.add_argument("--personas", type=Path, default=None,
                        help="persona files to add to the packaged five")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    rows = read_set(args.set)
    if not args.products.is_dir():
        sys.exit(f"--products {args.products}: not a folder (pass the set's product files)")
    quality.load_word_lists()
    with tempfile.TemporaryDirectory() as folder:
        try:
            found = contexts(workspace_for(args.products, args.personas, Path(folder)))
        except PanelistError as error:
            sys.exit(f"{args.products}: {error}")
    print(f"{args.set} ({len(rows)} takes), products from {args.products}\n")
    report(judge(rows, found), args.show_misses)
    print()
    scaling(next(iter(found.values())))


if __name__ == "__main__":
    main()
