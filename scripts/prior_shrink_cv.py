#!/usr/bin/env python3
"""How far should the phase offsets fitted on transfer-dev be pulled back towards 0?

The offsets (``Calibration.tune_phase_bias``) are fitted on a random half of transfer-dev's alliances and
scored (phase macro-F1) on the other half, pulled back by each shrink, over ten halvings; the model's raw
phase logits come from a saved model (the default unless ``--model``). Prints the mean per shrink.

Usage: python scripts/prior_shrink_cv.py [--model DIR] [--repeats N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from pipeline.corpus import read_corpus, split_corpus  # noqa: E402
from pipeline.model import load_model  # noqa: E402
from pipeline.model.base import Calibration, targets  # noqa: E402
from pipeline.model.io import DEFAULT_MODEL  # noqa: E402

SHRINKS = (0.0, 0.25, 0.5, 0.75, 1.0)


def main() -> int:
    from sklearn.metrics import f1_score

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--repeats", type=int, default=10)
    args = ap.parse_args()
    dev = split_corpus(read_corpus())["transfer-dev"]
    model, _ = load_model(args.model)
    lp = model.raw_scores([p.text for p in dev])[0]
    y = targets(dev)[0]
    alliance = np.array([p.alliance for p in dev])
    groups = sorted(set(alliance))
    temperature = model.calibration_.phase_temperature
    rng = np.random.default_rng(0)
    found: dict[float, list[float]] = {s: [] for s in SHRINKS}
    for _ in range(args.repeats):
        fit = np.isin(alliance, rng.permutation(groups)[:len(groups) // 2])
        bias = Calibration(temperature).tune_phase_bias(lp[fit], y[fit]).phase_bias
        for s in SHRINKS:
            z = lp[~fit] / temperature + (1 - s) * bias
            found[s].append(f1_score(y[~fit], z.argmax(1), labels=range(lp.shape[1]), average="macro",
                                     zero_division=0))
    for s in SHRINKS:
        print(f"shrink {s:.2f}: phase macro-F1 on the held-out halves {np.mean(found[s]):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
