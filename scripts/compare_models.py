#!/usr/bin/env python3
"""Compare the backends honestly, in one run, and write docs/model-comparison.md.

Every backend is trained on the train split, tunes its thresholds on dev, and
is scored on dev (the selection rule: macro-F1 over phase and poles, ties to
the faster) and on test (what we report), overall and per language. Also:
cross-lingual transfer (train on one language's training passages, test on
the other's test passages), calibration (ECE and a reliability diagram),
training time and tagging throughput. Baselines in the same table: the
keyword dictionary and the zero-shot USE matcher.

Usage: python scripts/compare_models.py [--backends tfidf use ensemble] [--skip-crosslingual]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from pipeline.corpus import load_splits, read_corpus, split_corpus  # noqa: E402
from pipeline.evaluate import evaluate_tagger  # noqa: E402
from pipeline.labels import PHASES  # noqa: E402
from pipeline.tagger import Tagger  # noqa: E402
from pipeline.types import Passage  # noqa: E402


def build(name: str):
    from pipeline.model import make_model
    from baselines import KeywordModel, SpacyTextcatModel, ZeroShotModel

    if name == "keywords":
        return KeywordModel()
    if name == "zeroshot":
        return ZeroShotModel()
    if name == "spacy-bow":
        return SpacyTextcatModel()
    return make_model(name)


def throughput(tagger: Tagger, texts: list[str], repeats: int = 3) -> float:
    from pipeline.model.features import UseFeatures

    rates = []
    for _ in range(repeats):
        UseFeatures._cache.clear()
        t = time.perf_counter()
        tagger.predict(texts)
        rates.append(len(texts) / (time.perf_counter() - t))
    return float(np.median(rates))


def reliability(points: dict[str, tuple[np.ndarray, np.ndarray]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect")
    edges = np.linspace(0, 1, 11)
    for name, (conf, correct) in points.items():
        idx = np.clip(np.digitize(conf, edges[1:-1]), 0, 9)
        xs = [conf[idx == b].mean() for b in range(10) if (idx == b).sum() >= 5]
        ys = [correct[idx == b].mean() for b in range(10) if (idx == b).sum() >= 5]
        ax.plot(xs, ys, "o-", label=name)
    ax.set_xlabel("confidence of the predicted phase")
    ax.set_ylabel("share correct")
    ax.set_title("Reliability of phase probabilities (test split)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backends", nargs="+", default=["keywords", "zeroshot", "spacy-bow", "tfidf", "use", "ensemble"])
    ap.add_argument("--skip-crosslingual", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args()
    passages = read_corpus(ROOT / "annotations" / "corpus")
    parts = split_corpus(passages, load_splits())
    test_texts = [p.text for p in parts["test"]]
    results: dict = {}
    rel_points = {}
    dev_preds: dict = {}
    for name in args.backends:
        t0 = time.perf_counter()
        model = build(name).fit(parts["train"], parts["dev"])
        train_s = time.perf_counter() - t0
        tagger = Tagger(model, {"name": name, "version": "cmp"})
        dev = evaluate_tagger(tagger, parts["dev"])
        dev_preds[name] = tagger.tag_passages([Passage(id=p.id, doc_id=p.doc_id, text=p.text, start=0,
                                                       end=len(p.text), lang=p.lang) for p in parts["dev"]])
        test = evaluate_tagger(tagger, parts["test"])
        rate = throughput(tagger, test_texts)
        s = tagger.predict(test_texts)
        gold = np.array([PHASES.index(p.phase) for p in parts["test"]])
        rel_points[name] = (s.phase.max(1), (s.phase.argmax(1) == gold).astype(float))
        results[name] = {"train_seconds": round(train_s, 1), "passages_per_s": round(rate, 1),
                         "dev": {k: v["headline"] for k, v in dev.items()},
                         "test": {k: v["headline"] for k, v in test.items()},
                         "test_full": test,
                         "test_phase_ece": test["all"]["phase"]["ece"], "test_pole_ece": test["all"]["poles"]["ece"]}
        print(f"{name:9} train {train_s:6.1f}s  {rate:8.0f} p/s  dev sel {dev['all']['headline']['selection']:.3f}"
              f"  test {test['all']['headline']}", flush=True)
    cross = {}
    if not args.skip_crosslingual:
        for name in args.backends:
            if name in ("keywords", "spacy-bow"):
                continue
            for src, dst in (("en", "nl"), ("nl", "en")):
                train = [p for p in parts["train"] if p.lang == src]
                dev = [p for p in parts["dev"] if p.lang == src]
                test = [p for p in parts["test"] if p.lang == dst]
                model = build(name).fit(train, dev)
                sc = evaluate_tagger(Tagger(model, {"name": name, "version": "x"}), test)["all"]["headline"]
                same = results[name]["test"][dst]
                cross[f"{name}:{src}->{dst}"] = {"transfer": sc, "in_language_full_train": same}
                print(f"{name:9} {src}->{dst} {sc}", flush=True)
    tie = tie_test(results, dev_preds, parts["dev"])
    print("tie test:", tie, flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    reliability(rel_points, args.out / "reliability.png")
    (args.out / "model-comparison.json").write_text(json.dumps({"results": results, "crosslingual": cross, "tie_test": tie},
                                                               indent=1), encoding="utf-8")
    write_markdown(args.out / "model-comparison.md", results, cross, parts, tie)
    return 0


CANDIDATES = ("tfidf", "use", "ensemble")


def selection(gold, pred) -> float:
    from pipeline.evaluate import score

    return score(gold, pred)["headline"]["selection"]


def tie_test(results: dict, dev_preds: dict, dev: list, draws: int = 1000, seed: int = 7) -> dict:
    """Is the dev-best candidate better than each faster one, beyond chance? A paired bootstrap over dev
    passages of the difference in the selection score; a 95 % interval that includes 0 is a tie."""
    real = [k for k in CANDIDATES if k in results]
    if not real:
        return {}
    best = max(real, key=lambda k: results[k]["dev"]["all"]["selection"])
    rng = np.random.default_rng(seed)
    out = {"best_on_dev": best, "pairs": {}}
    n = len(dev)
    for other in real:
        if other == best:
            continue
        a, b = dev_preds[best], dev_preds[other]
        diffs = []
        for _ in range(draws):
            idx = rng.integers(0, n, n)
            g = [dev[i] for i in idx]
            diffs.append(selection(g, [a[i] for i in idx]) - selection(g, [b[i] for i in idx]))
        lo, hi = np.percentile(diffs, [2.5, 97.5])
        out["pairs"][other] = {"difference": round(results[best]["dev"]["all"]["selection"]
                                                   - results[other]["dev"]["all"]["selection"], 4),
                               "ci95": [round(float(lo), 4), round(float(hi), 4)], "tie": bool(lo <= 0 <= hi)}
    return out


def pick(results: dict, tie: dict) -> str:
    """The dev-best candidate, unless a faster candidate ties with it (bootstrap interval includes 0):
    then the fastest of the tied ones."""
    best = tie["best_on_dev"]
    tied = [best] + [k for k, v in tie["pairs"].items() if v["tie"]]
    return max(tied, key=lambda k: results[k]["passages_per_s"])


def write_markdown(path: Path, results: dict, cross: dict, parts: dict, tie: dict) -> None:
    n = {k: len(v) for k, v in parts.items()}
    lines = ["# Model comparison", "",
             "Written by `scripts/compare_models.py` in one run. Train, dev and test are split by alliance "
             f"(annotations/splits.json): {n['train']} / {n['dev']} / {n['test']} passages. Every backend trains on "
             "train, tunes thresholds on dev and is scored on test. **Selection** is the dev-split mean of phase "
             "macro-F1 and pole macro-F1, the rule for choosing the default; a tie, which goes to the faster "
             "backend, is a difference whose paired-bootstrap 95 % interval on dev (1,000 draws over passages) "
             "includes zero.",
             "", "## Headline scores", "",
             "| backend | dev selection | test phase macro-F1 | test poles micro-F1 | test poles macro-F1 | "
             "test tension F1 | test response macro-F1 | phase ECE | train s | passages/s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        t = r["test"]["all"]
        lines.append(f"| {name} | {r['dev']['all']['selection']:.3f} | {t['phase_macro_f1']:.3f} | "
                     f"{t['poles_micro_f1']:.3f} | {t['poles_macro_f1']:.3f} | {t['tension_f1']:.3f} | "
                     f"{t['response_macro_f1']:.3f} | {r['test_phase_ece']:.3f} | {r['train_seconds']} | "
                     f"{r['passages_per_s']:.0f} |")
    chosen = pick(results, tie)
    lines += ["", "Tie test against the dev-best backend "
              f"(**{tie['best_on_dev']}**): " + "; ".join(
                  f"{k}: difference {v['difference']:+.3f}, 95 % interval [{v['ci95'][0]:+.3f}, {v['ci95'][1]:+.3f}]"
                  f" ({'tie' if v['tie'] else 'no tie'})" for k, v in tie["pairs"].items()) + ".",
              "", f"By the rule, the default is **{chosen}**.", "",
              "Throughput is the model alone (features and heads) on the test passages, median of 3, one process, "
              "this 2-core machine; USE embeddings are recomputed each time.", "",
              "## Per language (test)", "", "| backend | lang | phase macro-F1 | poles micro-F1 | tension F1 |",
              "|---|---|---|---|---|"]
    for name, r in results.items():
        for lang in ("nl", "en"):
            t = r["test"][lang]
            lines.append(f"| {name} | {lang} | {t['phase_macro_f1']:.3f} | {t['poles_micro_f1']:.3f} | "
                         f"{t['tension_f1']:.3f} |")
    if cross:
        lines += ["", "## Cross-lingual transfer (test)", "",
                  "Trained on one language's train passages (thresholds on its dev passages), scored on the other "
                  "language's test passages; beside it the same language's score of the model trained on both.", "",
                  "| backend | direction | phase macro-F1 | poles micro-F1 | both-language model: phase / poles |",
                  "|---|---|---|---|---|"]
        for key, c in cross.items():
            name, d = key.split(":")
            lines.append(f"| {name} | {d} | {c['transfer']['phase_macro_f1']:.3f} | "
                         f"{c['transfer']['poles_micro_f1']:.3f} | {c['in_language_full_train']['phase_macro_f1']:.3f}"
                         f" / {c['in_language_full_train']['poles_micro_f1']:.3f} |")
    full = results[chosen]["test_full"]
    lines += ["", f"## Per label: {chosen} (test)", "", "| label | support | P | R | F1 | F1 nl | F1 en |",
              "|---|---|---|---|---|---|---|"]
    for dim in ("phase", "poles", "tensions", "response"):
        for lab, r in full["all"][dim]["per_label"].items():
            lines.append(f"| {dim}:{lab} | {r['support']} | {r['precision']:.2f} | {r['recall']:.2f} | {r['f1']:.2f} | "
                         f"{full['nl'][dim]['per_label'][lab]['f1']:.2f} | {full['en'][dim]['per_label'][lab]['f1']:.2f} |")
    lines += ["", "## Calibration", "", "![reliability diagram](reliability.png)", "",
              "Expected calibration error of the predicted phase's probability and of the eight pole probabilities "
              "on test is in the headline table (phase ECE) and in model-comparison.json (pole ECE).", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
