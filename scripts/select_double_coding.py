#!/usr/bin/env python3
"""Pick the passages for the blind second annotation and write them without labels.

The sample is taken from the held-out documents (test split first, then dev),
so that the model's agreement with each coder can later be measured on
passages it never trained on. Passages of three words or fewer (headings,
signatures) are left out: they are trivially `none`. From dev, passages are
drawn stratified by language over the poles and responses, which are rarer
than phases. Output: annotations/double-coding/sample-<part>.jsonl with id,
doc_id, lang and text only; the labels stay in the corpus.

Usage: python scripts/select_double_coding.py [--n 340] [--parts 2]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.corpus import load_splits, read_corpus, split_corpus  # noqa: E402
from pipeline.labels import POLES, RESPONSES  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=340)
    ap.add_argument("--parts", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    parts = split_corpus(read_corpus(ROOT / "annotations" / "corpus"), load_splits())
    keep = lambda p: len(p.text.split()) > 3  # noqa: E731
    chosen = [p for p in parts["test"] if keep(p)]
    dev = [p for p in parts["dev"] if keep(p)]
    rng.shuffle(dev)
    # stratified fill from dev: round-robin over (label, language) strata
    strata = [(lab, lang) for lab in (*POLES, *RESPONSES) for lang in ("nl", "en")]
    taken = {p.id for p in chosen}
    while len(chosen) < args.n:
        before = len(chosen)
        for lab, lang in strata:
            for p in dev:
                if p.id not in taken and p.lang == lang and (lab in p.poles or p.response == lab):
                    chosen.append(p)
                    taken.add(p.id)
                    break
            if len(chosen) >= args.n:
                break
        if len(chosen) == before:
            break
    rng.shuffle(chosen)
    out = ROOT / "annotations" / "double-coding"
    out.mkdir(parents=True, exist_ok=True)
    size = -(-len(chosen) // args.parts)
    for k in range(args.parts):
        with (out / f"sample-{k + 1}.jsonl").open("w", encoding="utf-8") as fh:
            for p in sorted(chosen[k * size:(k + 1) * size], key=lambda p: (p.doc_id, p.meta.get("start", 0))):
                fh.write(json.dumps({"id": p.id, "doc_id": p.doc_id, "lang": p.lang, "text": p.text},
                                    ensure_ascii=False) + "\n")
    print(f"{len(chosen)} passages ({sum(p.id in {q.id for q in parts['test']} for p in chosen)} test) "
          f"in {args.parts} parts -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
