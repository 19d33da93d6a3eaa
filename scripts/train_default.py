#!/usr/bin/env python3
"""Train the shipped default from the model comparison: the candidate `scripts/compare_models.py` chose.

Reads ``docs/model-comparison.json`` (written by the comparison), trains that candidate's recipe (its backend
and settings, from ``compare_models.CANDIDATES``) on the train split, tunes it on transfer-dev, and saves it
to ``models/default`` with a model card whose "Why this model" section is written from the comparison.

Usage: python scripts/train_default.py --version 2.1.0 [--parent default@2.0.0] [--out models/default]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from compare_models import CANDIDATES, SHIPPED, target  # noqa: E402
from pipeline.train import train  # noqa: E402


def why(d: dict) -> str:
    """The card's "Why this model": the rule, the best on transfer-dev, the ties, the choice."""
    res, best, chosen = d["results"], d["best_on_transfer_dev"], d["chosen"]
    floor, tol = d.get("min_rate", 0), d.get("speed_tolerance", 0.0)
    tied = [k for k, v in d["ties"].items() if v["tie"] and v.get("eligible", True)]
    ties = "; ".join(f"{k} [{d['ties'][k]['ci95'][0]:+.3f}, {d['ties'][k]['ci95'][1]:+.3f}]" for k in tied)
    slow = [k for k, v in d["ties"].items() if not v.get("eligible", True)]
    r = res[chosen]
    unc = r["uncertain_transfer_test"]
    return (
        "Chosen by `scripts/compare_models.py` ([docs/model-comparison.md](../../docs/model-comparison.md)), which "
        "trained every candidate on the train split (both corpus rounds) and fitted calibration, phase priors, "
        "thresholds, abstention and the weight of the document context of a passage's phase on transfer-dev. "
        "**The transfer split decided**: the rule is the best on transfer-dev by phase macro-F1 + poles micro-F1 "
        f"among the candidates that tag at least {floor:,} passages/s with the model alone"
        + (f" ({', '.join(slow)} did not)" if slow else "")
        + ", and a candidate whose paired-bootstrap 95 % interval of the difference includes zero ties, a tie going "
        f"to the faster (speeds within {tol:.0%} of the fastest tied one count as equal, then the better on "
        f"transfer-dev). Best on transfer-dev: {best} ({target(res[best]['transfer-dev']['all']['headline']):.3f}); "
        f"tied with it: {ties or 'none'}. The choice among {', '.join([best] + tied)} is **{chosen}** "
        f"({r['passages_per_s']:.0f} passages/s in that run; transfer-dev "
        f"{target(r['transfer-dev']['all']['headline']):.3f}). On transfer-test it marks {unc['share']:.0%} of the "
        f"passages uncertain, {unc['precision']:.0%} of them wrongly tagged. The in-corpus test split is the "
        "second figure; it did not decide.")


def kept(card: Path, d: dict) -> None:
    """Say in the shipped default's card that a later comparison kept it (replacing what an earlier one said)."""
    res = d["results"]
    others = sorted((k for k in res if k not in (SHIPPED, "keywords")),
                    key=lambda k: -target(res[k]["transfer-dev"]["all"]["headline"]))
    note = (f"**Kept** by a later run of `scripts/compare_models.py` (train split of {d['n']['train']:,} passages): "
            f"this model, as it is, scored {target(res[SHIPPED]['transfer-dev']['all']['headline']):.3f} on "
            "transfer-dev; the candidates retrained on that split scored "
            + ", ".join(f"{k} {target(res[k]['transfer-dev']['all']['headline']):.3f}"
                        + (" (under the speed floor)" if res[k]["passages_per_s"] < d.get("min_rate", 0) else "")
                        for k in others)
            + "; none preferred to it by the rule, so it stays the default.")
    lines = [line for line in card.read_text(encoding="utf-8").split("\n") if not line.startswith("**Kept**")]
    at = lines.index("## Headline: transfer-test beside the in-corpus test split")
    while at and not lines[at - 1].strip():
        at -= 1
    card.write_text("\n".join(lines[:at] + ["", note] + lines[at:]) + ("" if lines[-1] == "" else "\n"),
                    encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", required=True)
    ap.add_argument("--parent", default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "default")
    ap.add_argument("--comparison", type=Path, default=ROOT / "docs" / "model-comparison.json")
    args = ap.parse_args()
    d = json.loads(args.comparison.read_text(encoding="utf-8"))
    if d["chosen"] == SHIPPED:
        kept(args.out / "README.md", d)
        print(f"the comparison kept the shipped default ({d.get('shipped', {}).get('version')}); nothing to train, "
              f"its card says so")
        return 0
    backend, settings = CANDIDATES[d["chosen"]]
    res = train([ROOT / "annotations" / "corpus"], args.out, backend=backend, name="default", version=args.version,
                parent=args.parent, notes=why(d), **settings)
    tt = res.transfer.get("all", {}).get("headline", {})
    print(f"trained {d['chosen']} -> {res.path} in {res.seconds:.0f} s; transfer-test {tt}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
