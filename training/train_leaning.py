"""Fit the gate's learned reading of which call a quote argues (``quality/leaning.py``).

    pip install -e '.[train]'
    python training/train_leaning.py            # cross-validate, then write data/leaning.json
    python training/train_leaning.py --check    # cross-validate only

The takes (``leaning_takes.jsonl``) are good takes, which argue their own verdict, and takes
whose quote contradicts its verdict, which argue the other call, from the labelled sets the gate
was tuned on (held-out sets A-F and H, and tests/data/quality_labelled.jsonl), and set S: 240
quotes written, across 24 products and the five personas, to argue a call in their own words
without making it (concrete facts that hurt or help, concessions that land one way), split
by product into S1 and S2. Before it writes the weights it prints how the reading does on each
set when fitted on the others: the share of contradictions it reads as the other call, and of
good takes it would wrongly flag.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from panelist.quality.leaning import Leaning, features
from panelist.quality.stance import argues_other
from panelist.quality.words import Text

HERE = Path(__file__).parent
TAKES = HERE / "leaning_takes.jsonl"
OUT = HERE.parent / "src" / "panelist" / "data" / "leaning.json"
C = 1.0  # inverse regularization (0.3, 1 and 3 tried)
MIN_SETS = 2  # a feature seen in one set only is that set's product names, not a way of arguing
THRESHOLD = 0.85  # at 0.8 a fit on the rest flagged 4-5% of set S's honest quotes
SMALLEST_WEIGHT = 1e-3


def fit(takes: list[dict]) -> tuple[float, dict[str, float]]:
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([dict.fromkeys(features(t["quote"]), 1) for t in takes])
    sets_per_feature: dict[int, set[str]] = {}
    rows, cols = matrix.nonzero()
    for row, col in zip(rows, cols, strict=True):
        sets_per_feature.setdefault(int(col), set()).add(takes[row]["set"])
    keep = np.array([len(sets_per_feature.get(i, ())) >= MIN_SETS
                     for i in range(matrix.shape[1])])
    model = LogisticRegression(C=C, max_iter=5000).fit(
        matrix[:, keep], [t["argues"] == "ship" for t in takes])
    names = np.array(vectorizer.get_feature_names_out())[keep]
    weights = {str(name): round(float(w), 4) for name, w in zip(names, model.coef_[0], strict=True)
               if abs(w) >= SMALLEST_WEIGHT}
    return round(float(model.intercept_[0]), 4), weights


def other_probability(bias: float, weights: dict[str, float], take: dict) -> float:
    """How likely the quote argues the other call, as the gate reads it."""
    return argues_other(Text(take["quote"]), take["verdict"], Leaning(bias, weights, THRESHOLD))


def cross_validate(takes: list[dict]) -> None:
    print(f"each set read by a fit on the others (threshold {THRESHOLD}):")
    totals = [0, 0, 0, 0]
    for held in sorted({t["set"] for t in takes}):
        bias, weights = fit([t for t in takes if t["set"] != held])
        tested = [t for t in takes if t["set"] == held]
        against = [t for t in tested if t["argues"] != t["verdict"]]
        good = [t for t in tested if t["argues"] == t["verdict"]]
        caught = sum(other_probability(bias, weights, t) > THRESHOLD for t in against)
        wrong = sum(other_probability(bias, weights, t) > THRESHOLD for t in good)
        totals = [totals[0] + caught, totals[1] + len(against), totals[2] + wrong,
                  totals[3] + len(good)]
        print(f"  {held:9s} contradictions {caught:3d}/{len(against):<3d} "
              f"good flagged {wrong:2d}/{len(good)}")
    print(f"  all       contradictions {totals[0]}/{totals[1]} "
          f"({100 * totals[0] / totals[1]:.1f}%), good flagged {totals[2]}/{totals[3]} "
          f"({100 * totals[2] / totals[3]:.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="cross-validate only")
    args = parser.parse_args()
    raw = TAKES.read_bytes()
    takes = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    cross_validate(takes)
    if args.check:
        return
    bias, weights = fit(takes)
    OUT.write_text(json.dumps({
        "about": "panelist's learned reading of which call a quote argues: "
                 "training/train_leaning.py",
        "takes_sha256": hashlib.sha256(raw).hexdigest(),
        "takes": len(takes),
        "scikit_learn": sklearn.__version__,
        "C": C, "threshold": THRESHOLD, "bias": bias,
        "weights": dict(sorted(weights.items())),
    }, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(weights)} weights from {len(takes)} takes)")


if __name__ == "__main__":
    main()
