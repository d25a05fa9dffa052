"""The claim finder's precision and recall on the labelled fixture set (tests/lint_fixtures.py).

Prints the figures (pytest -s, or benchmarks/lint_bench.py with every miss); fails if either
falls below what this version measured, so a change that makes lint noisier or blinder shows.
"""

from __future__ import annotations

from lint_fixtures import HAIKU, QVAC, score
from panelist.review.claims import ungrounded_claims
from panelist.review.lint import product_text
from panelist.store.workspace import Workspace, packaged_defaults


def test_claim_finder_precision_and_recall_on_the_fixtures() -> None:
    examples = Workspace(packaged_defaults())
    sources = {slug: product_text(examples.load_product(slug)) for slug in (HAIKU, QVAC)}
    result = score(ungrounded_claims, sources)
    print(f"\nclaims: precision {result.precision:.3f}, recall {result.recall:.3f}; "
          f"sentences: precision {result.sentence_precision:.3f}, recall "
          f"{result.sentence_recall:.3f}")
    assert result.precision >= 0.95, result.misses
    assert result.recall >= 0.95, result.misses
