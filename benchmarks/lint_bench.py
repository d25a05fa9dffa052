"""Precision and recall of lint's ungrounded-claim finder on a labelled fixture set.

    python benchmarks/lint_bench.py            # figures, then every miss
    python benchmarks/lint_bench.py --quiet    # figures only

The fixtures (tests/lint_fixtures.py) are sentences about the two example products, each
labelled with the claims in it that the product file does not ground. A flagged claim counts
as right when it overlaps a labelled one ("8" for "8 GB"); sentence figures count a sentence
as flagged when it has any finding. Deterministic: no model, no timing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from lint_fixtures import CASES, HAIKU, QVAC, score
from panelist.review.claims import ungrounded_claims
from panelist.review.lint import product_text
from panelist.store.workspace import Workspace, packaged_defaults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="figures only, no misses")
    args = parser.parse_args()
    examples = Workspace(packaged_defaults())
    sources = {slug: product_text(examples.load_product(slug)) for slug in (HAIKU, QVAC)}
    result = score(ungrounded_claims, sources)
    labelled = sum(len(case.ungrounded) for case in CASES)
    with_claims = sum(1 for case in CASES if case.ungrounded)
    print(f"fixtures: {len(CASES)} sentences ({with_claims} with ungrounded claims, "
          f"{len(CASES) - with_claims} grounded), {labelled} labelled claims")
    print(f"claims:    precision {result.precision:.3f} ({result.true_positives} of "
          f"{result.true_positives + result.false_positives} flagged), recall "
          f"{result.recall:.3f} ({labelled - result.false_negatives} of {labelled})")
    print(f"sentences: precision {result.sentence_precision:.3f}, recall "
          f"{result.sentence_recall:.3f}")
    if not args.quiet:
        for miss in result.misses:
            print(f"  {miss}")


if __name__ == "__main__":
    main()
