"""Same findings, byte for byte: a dump of what a cold read derives and what the gate finds, to
compare before and after a speed change.

    PYTHONPATH=src python benchmarks/same_findings.py --workspace COPY --out before.jsonl
    (change the code)
    PYTHONPATH=src python benchmarks/same_findings.py --workspace COPY --out after.jsonl \\
        --against before.jsonl

The dump holds, one JSON line each:

- every column of every take row a cold read of ``--workspace`` derives (its index is deleted
  first, so give it a copy; derived in this process, no workers). The gate's source hash inside
  a row's ``inputs`` is written as ``GATE``: a speed change to the gate changes its hash, not
  its findings;
- ``assess_take`` on the labelled set and the fixtures the tests use (tests/data,
  tests/fixtures/quality) and on each ``--set`` folder (quotes.jsonl and products/*.md), each
  take with its own product and persona's context (with the rendered prompt, as the panel
  judges, and without it) and against every other product of its set: its findings, in order,
  and its real-word share; and lint's claim finder and placeholders on its quote and each
  reason, against each product.

``--against`` prints how many lines differ (and the first few) and exits 1 if any do.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from panelist import quality
from panelist.quality.version import gate_source_hash
from panelist.review import take_rows, take_workers
from panelist.review.claims import ungrounded_by_sentence
from panelist.review.lint import placeholder_text, product_text
from panelist.review.takes_index import read_index
from panelist.run.prompts import PromptRenderer
from panelist.store.workspace import Workspace, init_workspace

ROOT = Path(__file__).resolve().parent.parent


def derived_rows(root: Path) -> Iterator[dict[str, Any]]:
    """Every row a cold read of ``root`` derives, in one process."""
    for stale in (root / ".panelist").glob("index.sqlite3*"):
        stale.unlink()
    rows: list[dict[str, Any]] = []
    original = take_rows.TakeDeriver.derive

    def derive(self: take_rows.TakeDeriver, jobs: Any, kept: Any = None) -> Any:
        found = [self.row(job) for job in jobs]
        rows.extend(found)
        return [found]

    early = take_workers.Workers.early
    take_rows.TakeDeriver.derive = derive  # type: ignore[method-assign]
    take_workers.Workers.early = lambda *_: None  # type: ignore[method-assign,assignment]
    try:
        started = time.process_time()
        read_index(Workspace(root))
        print(f"cold read: {len(rows)} rows, {time.process_time() - started:.2f} s CPU",
              file=sys.stderr)
    finally:
        take_rows.TakeDeriver.derive = original  # type: ignore[method-assign]
        take_workers.Workers.early = early  # type: ignore[method-assign]
    gate = gate_source_hash()[:12]
    for row in sorted(rows, key=lambda row: str(row["path"])):
        yield {"row": {key: (value.replace(gate, "GATE") if key == "inputs"
                             and isinstance(value, str) else value)
                       for key, value in sorted(row.items())}}


def workspace_of(products: Path | None) -> Workspace:
    into = Path(tempfile.mkdtemp()) / "ws"
    init_workspace(into)
    if products is not None:
        for old in (into / "products").glob("*.md"):
            old.unlink()
        for path in sorted(products.glob("*.md")):
            shutil.copyfile(path, into / "products" / path.name)
    return Workspace(into)


def judged(name: str, takes: list[dict[str, Any]], products: Path | None
           ) -> Iterator[dict[str, Any]]:
    """Each take against its own product (with and without the prompt) and every other."""
    workspace = workspace_of(products)
    renderer = PromptRenderer(workspace)
    loaded = {slug: workspace.load_product(slug) for slug in workspace.product_slugs()}
    personas = workspace.load_personas()
    contexts: dict[tuple[str, str, bool], quality.GateContext] = {}

    def context(slug: str, persona_id: str, prompted: bool) -> quality.GateContext:
        key = (slug, persona_id, prompted)
        if key not in contexts:
            product, persona = loaded[slug], personas.get(persona_id)
            prompt = ""
            if prompted and persona is not None:
                rendered = renderer.render_prompt(product, persona, None)
                prompt = f"{rendered.system} {rendered.user}"
            others = [p.name for s, p in loaded.items() if s != slug]
            contexts[key] = quality.context_for(product, persona, others, prompt)
        return contexts[key]

    for number, take in enumerate(takes):
        reasons = take.get("reasons") or []
        reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        persona = take.get("persona") or ""
        tries = [(take["product"], True), (take["product"], False)]
        tries += [(slug, False) for slug in loaded if slug != take["product"]]
        for slug, prompted in tries:
            if slug not in loaded:
                continue
            found = quality.assess_take(take["quote"], reasons, take.get("verdict", ""),
                                        context(slug, persona, prompted))
            yield {"set": name, "take": number, "against": slug, "prompt": prompted,
                   "flags": found.flags, "share": found.real_word_share}
            if not prompted:  # lint's claim finder on the same quote and reasons
                source = product_text(loaded[slug])
                for text in [take["quote"], *reasons]:
                    yield {"set": name, "take": number, "against": slug,
                           "placeholders": placeholder_text(text),
                           "ungrounded": [(group.sentence, group.claims) for group
                                          in ungrounded_by_sentence(text, source)]}


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def everything(workspace: Path | None, sets: list[Path]) -> Iterator[dict[str, Any]]:
    if workspace is not None:
        yield from derived_rows(workspace)
    started = time.process_time()
    yield from judged("labelled", read_lines(ROOT / "tests/data/quality_labelled.jsonl"),
                      ROOT / "tests/data/quality_products")
    for fixture in ("reference_quotes.json", "babble.json"):
        takes = json.loads((ROOT / "tests/fixtures/quality" / fixture).read_text())["takes"]
        yield from judged(fixture, takes, None)
    for folder in sets:
        yield from judged(str(folder), read_lines(folder / "quotes.jsonl"), folder / "products")
    print(f"assessments: {time.process_time() - started:.1f} s CPU", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", type=Path, help="a copy: its index is deleted")
    parser.add_argument("--set", type=Path, action="append", default=[], dest="sets")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--against", type=Path)
    args = parser.parse_args()
    lines = [json.dumps(entry, sort_keys=True) for entry in everything(args.workspace, args.sets)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kinds = {"rows": sum(line.startswith('{"row"') for line in lines)}
    kinds["assessments"] = len(lines) - kinds["rows"]
    print(f"wrote {args.out}: {kinds['rows']} rows, {kinds['assessments']} assessments")
    if args.against is not None:
        before = args.against.read_text(encoding="utf-8").splitlines()
        differ = [(a, b) for a, b in zip(before, lines, strict=False) if a != b]
        if len(before) != len(lines):
            print(f"DIFFERENT: {len(before)} lines before, {len(lines)} now")
        print(f"{len(differ)} of {len(lines)} lines differ")
        for a, b in differ[:5]:
            print(f"  before: {a[:300]}\n  now:    {b[:300]}")
        if differ or len(before) != len(lines):
            sys.exit(1)


if __name__ == "__main__":
    main()
