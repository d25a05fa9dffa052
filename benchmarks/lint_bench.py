"""Precision and recall of lint's ungrounded-claim finder on a labelled fixture set.

    python benchmarks/lint_bench.py            # figures, then every miss
    python benchmarks/lint_bench.py --quiet    # figures only
    python benchmarks/lint_bench.py --lengths  # time for quotes of 1k to 64k words (issue 19)

The fixtures (tests/lint_fixtures.py) are sentences about the two example products, each
labelled with the claims in it that the product file does not ground. A flagged claim counts
as right when it overlaps a labelled one ("8" for "8 GB"); sentence figures count a sentence
as flagged when it has any finding. Deterministic: no model, no timing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from lint_fixtures import CASES, HAIKU, QVAC, score
from panelist.quality import assess_quote
from panelist.review.claims import ungrounded_by_sentence, ungrounded_claims
from panelist.review.lint import product_text
from panelist.store.workspace import Workspace, packaged_defaults

# A sentence with every kind of claim: names, numbers in digits and words, money, a version.
LONG_SENTENCE = ("Tether's QVAC SDK runs Llama 3.1 8B on a phone, and Mistral says 27 billion "
                 "dollars of v3.0 grants went to forty-two teams in 2031; honestly the DX is "
                 "fine. ")


def time_lengths(source: str) -> None:
    """Lint's claim finder and the quality gate on ever longer quotes, in CPU time (the machine
    may be shared): linear means the time grows as the words do (4x the words, about 4x)."""
    assess_quote("warm up the word lists", "ship")
    previous = None
    for words in (1_000, 4_000, 16_000, 64_000):
        quote = LONG_SENTENCE * (words // len(LONG_SENTENCE.split()) + 1)
        start = time.process_time()
        ungrounded_by_sentence(quote, source)
        claims_s = time.process_time() - start
        start = time.process_time()
        assess_quote(quote, "ship")
        gate_s = time.process_time() - start
        growth = f"  ({claims_s / previous:.1f}x the time for 4x the words)" if previous else ""
        print(f"{len(quote.split()):6,} words: claims {claims_s:6.3f} s, quality gate "
              f"{gate_s:6.3f} s{growth}")
        previous = claims_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="figures only, no misses")
    parser.add_argument("--lengths", action="store_true",
                        help="time the claim finder and the gate on 1k-64k-word quotes")
    args = parser.parse_args()
    examples = Workspace(packaged_defaults())
    if args.lengths:
        time_lengths(product_text(examples.load_product(QVAC)))
        return
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
