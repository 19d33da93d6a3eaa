#!/usr/bin/env python3
"""Inter-annotator agreement on the double-coded passages, and the model's agreement with each coder.

Reads the first annotation (annotations/corpus) and the blind second
annotation (annotations/double-coding/coder-*.jsonl), and reports Cohen's
kappa per dimension (phase; each pole as yes/no; response with "no response"
as a category; any tension) and Krippendorff's alpha (nominal), for the
coders pooled and for each second coder. With --model, the model's kappa
against the first and the second coder is reported beside the human-human
kappa, on the same passages (all from the test split, which the model never
saw). Writes annotations/double-coding/agreement.json and prints a Markdown table.

Usage: python scripts/agreement.py [--model models/default] [--first corpus|adjudicated]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.corpus import read_corpus  # noqa: E402
from pipeline.labels import POLES, tensions  # noqa: E402

DC = ROOT / "annotations" / "double-coding"


def kappa(a: list, b: list) -> float:
    from sklearn.metrics import cohen_kappa_score

    if len(set(a) | set(b)) < 2:
        return 1.0
    return float(cohen_kappa_score(a, b))


def alpha(a: list, b: list) -> float:
    import krippendorff
    import numpy as np

    cats = sorted(set(a) | set(b), key=str)
    if len(cats) < 2:
        return 1.0
    idx = {c: i for i, c in enumerate(cats)}
    data = np.array([[idx[x] for x in a], [idx[x] for x in b]], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def dims(rec: dict) -> dict:
    out = {"phase": rec["phase"], "response": rec.get("response") or "no_response",
           "tension": bool(tensions(rec.get("poles") or []))}
    for p in POLES:
        out[f"pole:{p}"] = p in (rec.get("poles") or [])
    return out


def table(pairs: dict[str, tuple[list[dict], list[dict]]]) -> dict:
    out = {}
    for name, (xs, ys) in pairs.items():
        da, db = [dims(x) for x in xs], [dims(y) for y in ys]
        row = {"n": len(xs)}
        for d in da[0]:
            a, b = [r[d] for r in da], [r[d] for r in db]
            row[d] = {"kappa": round(kappa(a, b), 3), "alpha": round(alpha(a, b), 3),
                      "agreement": round(sum(x == y for x, y in zip(a, b)) / len(a), 3)}
        pole_k = [row[f"pole:{p}"]["kappa"] for p in POLES]
        row["poles_mean_kappa"] = round(sum(pole_k) / len(pole_k), 3)
        out[name] = row
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=None)
    args = ap.parse_args()
    corpus = read_corpus(ROOT / "annotations" / "corpus")
    # the first coder's own labels: before adjudication and review changed them (kept in meta.previous)
    first = {p.id: p.meta.get("previous") or {"phase": p.phase, "poles": p.poles, "response": p.response}
             for p in corpus}
    final = {p.id: {"phase": p.phase, "poles": p.poles, "response": p.response} for p in corpus}
    pairs: dict[str, tuple[list, list]] = {}
    pooled_a, pooled_b, ids = [], [], []
    for f in sorted(DC.glob("coder-*.jsonl")):
        second = [json.loads(l) for l in f.read_text(encoding="utf-8").splitlines() if l.strip()]
        a = [first[r["id"]] for r in second]
        pairs[f"first vs {f.stem}"] = (a, second)
        pooled_a += a
        pooled_b += second
        ids += [r["id"] for r in second]
    pairs["first vs second (pooled)"] = (pooled_a, pooled_b)
    if args.model:
        from pipeline.tagger import load_tagger

        tagger = load_tagger(args.model)
        texts = {p.id: p.text for p in read_corpus(ROOT / "annotations" / "corpus")}
        pred = [{"phase": t.phase, "poles": t.poles, "response": t.response}
                for t in tagger.tag_texts([texts[i] for i in ids])]
        pairs["model vs first"] = (pred, pooled_a)
        pairs["model vs second"] = (pred, pooled_b)
        pairs["model vs adjudicated"] = (pred, [final[i] for i in ids])
    res = table(pairs)
    (DC / "agreement.json").write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    cols = ["phase", *[f"pole:{p}" for p in POLES], "tension", "response"]
    print("| pair | n | " + " | ".join(c.replace("pole:", "") for c in cols) + " | poles mean |")
    print("|---|---|" + "---|" * (len(cols) + 1))
    for name, row in res.items():
        print(f"| {name} | {row['n']} | " + " | ".join(f"{row[c]['kappa']:.2f}" for c in cols)
              + f" | {row['poles_mean_kappa']:.2f} |")
    print()
    print("Krippendorff's alpha (pooled): " + ", ".join(
        f"{c.replace('pole:', '')} {res['first vs second (pooled)'][c]['alpha']:.2f}" for c in cols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
