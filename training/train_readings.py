"""Fit the gate's learned readings (``quality/learned.py``): ``leaning`` (which call a quote
argues) and ``filler`` (whether it is filler).

    pip install -e '.[train]'
    python training/train_readings.py            # cross-validate both, then write their weights
    python training/train_readings.py --check    # cross-validate only
    python training/train_readings.py filler     # one reading

``leaning_takes.jsonl`` holds good takes, which argue their own verdict, and takes whose quote
contradicts its verdict, which argue the other call; ``filler_takes.jsonl`` holds good takes
and filler. Both come from the labelled sets the gate was tuned on (held-out sets A-F, H, K,
M, N, P, U-W, AA-AF and AP-AX, and tests/data/quality_labelled.jsonl) and from sets S and T:
480 quotes written by two more hands, across 48 products and the five personas, to argue a call
in their own words without making it (facts that hurt or help, idioms, predictions, scenes),
each split by product into halves (S1, S2, T1, T2). Before it writes the weights it prints how
each reading does on each set when fitted on the others: the share of the bad takes it catches,
and of good takes it would wrongly flag, as the gate hears it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from panelist.quality.learned import Reading, features
from panelist.quality.stance import argues_other
from panelist.quality.words import Text

HERE = Path(__file__).parent
DATA = HERE.parent / "src" / "panelist" / "data"
MIN_SETS = 2  # a feature seen in one set only is that set's product names, not a way of writing
SMALLEST_WEIGHT = 1e-3


@dataclass(frozen=True)
class Target:
    name: str
    C: float  # inverse regularization
    threshold: float
    balanced: bool  # weigh the rarer label up (filler is a tenth of its takes)
    label: Callable[[dict], bool]  # what the reading's probability is of
    bad: Callable[[dict], bool]  # a take the gate should flag
    heard: Callable[[Reading, dict], float]  # the probability as the gate hears it


def _other_call(reading: Reading, take: dict) -> float:
    return argues_other(Text(take["quote"]), take["verdict"], reading)


TARGETS = {
    # C 0.3, 1 and 3 tried; at threshold 0.8 a fit on the rest flagged 4-5% of set S's honest
    # quotes, at 0.85 2%
    "leaning": Target("leaning", 1.0, 0.85, False, lambda t: t["argues"] == "ship",
                      lambda t: t["argues"] != t["verdict"], _other_call),
    # C 0.3 and 1 tried; at 0.7 a fit on the rest flagged 2 of 745 good takes, at 0.8 none
    "filler": Target("filler", 1.0, 0.8, True, lambda t: t["filler"], lambda t: t["filler"],
                     lambda reading, t: reading.probability(t["quote"])),
}


def fit(target: Target, takes: list[dict]) -> tuple[float, dict[str, float]]:
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([dict.fromkeys(features(t["quote"]), 1) for t in takes])
    sets_per_feature: dict[int, set[str]] = {}
    rows, cols = matrix.nonzero()
    for row, col in zip(rows, cols, strict=True):
        sets_per_feature.setdefault(int(col), set()).add(takes[row]["set"])
    keep = np.array([len(sets_per_feature.get(i, ())) >= MIN_SETS
                     for i in range(matrix.shape[1])])
    model = LogisticRegression(C=target.C, max_iter=5000,
                               class_weight="balanced" if target.balanced else None)
    model.fit(matrix[:, keep], [target.label(t) for t in takes])
    names = np.array(vectorizer.get_feature_names_out())[keep]
    weights = {str(name): round(float(w), 4) for name, w in zip(names, model.coef_[0],
                                                                 strict=True)
               if abs(w) >= SMALLEST_WEIGHT}
    return round(float(model.intercept_[0]), 4), weights


def cross_validate(target: Target, takes: list[dict]) -> None:
    print(f"{target.name}: each set read by a fit on the others (threshold {target.threshold}):")
    totals = [0, 0, 0, 0]
    for held in sorted({t["set"] for t in takes}):
        bias, weights = fit(target, [t for t in takes if t["set"] != held])
        reading = Reading(bias, weights, target.threshold)
        tested = [t for t in takes if t["set"] == held]
        bad = [t for t in tested if target.bad(t)]
        good = [t for t in tested if not target.bad(t)]
        caught = sum(target.heard(reading, t) > target.threshold for t in bad)
        wrong = sum(target.heard(reading, t) > target.threshold for t in good)
        totals = [totals[0] + caught, totals[1] + len(bad), totals[2] + wrong,
                  totals[3] + len(good)]
        print(f"  {held:9s} bad caught {caught:3d}/{len(bad):<3d} "
              f"good flagged {wrong:2d}/{len(good)}")
    print(f"  all       bad caught {totals[0]}/{totals[1]} "
          f"({100 * totals[0] / max(totals[1], 1):.1f}%), good flagged {totals[2]}/{totals[3]} "
          f"({100 * totals[2] / max(totals[3], 1):.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("readings", nargs="*", choices=[[], *TARGETS], default=[],
                        help="which readings (default: all)")
    parser.add_argument("--check", action="store_true", help="cross-validate only")
    args = parser.parse_args()
    for name in args.readings or TARGETS:
        target = TARGETS[name]
        raw = (HERE / f"{name}_takes.jsonl").read_bytes()
        takes = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
        cross_validate(target, takes)
        if args.check:
            continue
        bias, weights = fit(target, takes)
        out = DATA / f"{name}.json"
        out.write_text(json.dumps({
            "about": f"panelist's learned reading '{name}': training/train_readings.py",
            "takes_sha256": hashlib.sha256(raw).hexdigest(),
            "takes": len(takes),
            "scikit_learn": sklearn.__version__,
            "C": target.C, "threshold": target.threshold, "bias": bias,
            "weights": dict(sorted(weights.items())),
        }, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {out} ({len(weights)} weights from {len(takes)} takes)")


if __name__ == "__main__":
    main()
