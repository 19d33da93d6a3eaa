"""Compare two models on the same annotated passages: per-label F1 deltas with bootstrap confidence intervals.

Both models tag the same gold passages (as :func:`pipeline.evaluate.evaluate_tagger`
does: each passage as one unit) and are scored with
:func:`pipeline.evaluate.score_by_language`. The uncertainty of each
difference comes from a paired bootstrap: passages are drawn with replacement
(``draws`` times, seeded), both models are scored on the same draw, and the
2.5th and 97.5th percentiles of ``F1_B - F1_A`` form the 95% interval. An
interval that excludes 0 marks a difference unlikely to be resampling noise.
"""

from __future__ import annotations

import numpy as np

from .evaluate import score_by_language
from .labels import PARADOXES, PHASES, POLES, RESPONSES, tensions
from .types import AnnotatedPassage, Passage, TaggedPassage
from .tagger import load_tagger

SUMMARY_ROWS = ("phase_macro_f1", "poles_micro_f1", "poles_macro_f1", "tension_f1", "response_macro_f1")


def label_matrix(items, kind: str) -> tuple[list[str], np.ndarray]:
    """Per passage, one boolean column per label (``phase:…``, ``poles:…``, ``tensions:…``, ``tension:any``,
    ``response:…``) for gold passages (``kind="gold"``) or tagged ones (``kind="pred"``)."""
    names = ([f"phase:{k}" for k in PHASES] + [f"poles:{k}" for k in POLES] + [f"tensions:{k}" for k in PARADOXES]
             + ["tension:any"] + [f"response:{k}" for k in RESPONSES])
    rows = []
    for x in items:
        tens = tensions(x.poles) if kind == "gold" else list(x.tensions)
        rows.append([x.phase == k for k in PHASES] + [k in x.poles for k in POLES] + [k in tens for k in PARADOXES]
                    + [bool(tens)] + [x.response == k for k in RESPONSES])
    return names, np.array(rows, dtype=bool).reshape(len(rows), len(names))


def _counts(W: np.ndarray, gold: np.ndarray, pred: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted tp, fp, fn per label for each row of weights ``W`` (draws x passages)."""
    g, p = gold.astype(float), pred.astype(float)
    tp = W @ (g * p)
    fp = W @ ((1 - g) * p)
    fn = W @ (g * (1 - p))
    return tp, fp, fn


def _f1(tp, fp, fn) -> np.ndarray:
    den = 2 * tp + fp + fn
    return np.where(tp > 0, 2 * tp / np.where(den > 0, den, 1), 0.0)


def _summaries(names: list[str], tp, fp, fn, support) -> dict[str, np.ndarray]:
    """The headline numbers of :func:`pipeline.evaluate.headline` from per-label counts (vectorised)."""
    f1 = _f1(tp, fp, fn)
    idx = {k: [i for i, n in enumerate(names) if n.startswith(k)] for k in ("phase:", "poles:", "response:")}

    def macro(cols):
        present = support[..., cols] > 0
        return np.where(present.any(-1), (f1[..., cols] * present).sum(-1) / np.maximum(present.sum(-1), 1), 0.0)

    def micro(cols):
        return _f1(tp[..., cols].sum(-1), fp[..., cols].sum(-1), fn[..., cols].sum(-1))

    return {"phase_macro_f1": macro(idx["phase:"]), "poles_micro_f1": micro(idx["poles:"]),
            "poles_macro_f1": macro(idx["poles:"]), "tension_f1": f1[..., names.index("tension:any")],
            "response_macro_f1": macro(idx["response:"])}


def bootstrap_deltas(gold: np.ndarray, pred_a: np.ndarray, pred_b: np.ndarray, names: list[str],
                     draws: int = 1000, seed: int = 0, chunk: int = 250) -> dict[str, np.ndarray]:
    """``draws`` paired resamples of the passages; per label (and headline number) the F1_B - F1_A of each."""
    n = len(gold)
    rng = np.random.default_rng(seed)
    out: dict[str, list[np.ndarray]] = {}
    done = 0
    while done < draws:
        m = min(chunk, draws - done)
        idx = rng.integers(0, n, size=(m, n))
        W = np.zeros((m, n))
        np.add.at(W, (np.repeat(np.arange(m), n), idx.ravel()), 1.0)
        support = W @ gold.astype(float)
        ca, cb = _counts(W, gold, pred_a), _counts(W, gold, pred_b)
        delta = _f1(*cb) - _f1(*ca)
        for j, name in enumerate(names):
            out.setdefault(name, []).append(delta[:, j])
        sa, sb = _summaries(names, *ca, support), _summaries(names, *cb, support)
        for k in SUMMARY_ROWS:
            out.setdefault(k, []).append(sb[k] - sa[k])
        done += m
    return {k: np.concatenate(v) for k, v in out.items()}


def _tag(tagger, gold: list[AnnotatedPassage]) -> list[TaggedPassage]:
    passages = [Passage(id=g.id, doc_id=g.doc_id, text=g.text, start=0, end=len(g.text), lang=g.lang)
                for g in gold]
    return tagger.tag_passages(passages)


def compare_taggers(tagger_a, tagger_b, gold: list[AnnotatedPassage], draws: int = 1000, seed: int = 0) -> dict:
    """Scores of both taggers on ``gold`` and, per label, the F1 delta (B - A) with its bootstrap 95% CI."""
    if not gold:
        raise ValueError("no gold passages to compare on")
    pred_a, pred_b = _tag(tagger_a, gold), _tag(tagger_b, gold)
    scores_a, scores_b = score_by_language(gold, pred_a), score_by_language(gold, pred_b)
    names, G = label_matrix(gold, "gold")
    _, A = label_matrix(pred_a, "pred")
    _, B = label_matrix(pred_b, "pred")
    boot = bootstrap_deltas(G, A, B, names, draws, seed)
    rows = []

    def f1_of(scores: dict, name: str) -> tuple[float, int]:
        if name in SUMMARY_ROWS:
            return scores["all"]["headline"][name], len(gold)
        dim, label = name.split(":", 1)
        if name == "tension:any":
            r = scores["all"]["tensions"]["any"]
        else:
            r = scores["all"][dim]["per_label"][label]
        return r["f1"], r["support"]

    for name in [*names, *SUMMARY_ROWS]:
        fa, support = f1_of(scores_a, name)
        fb, _ = f1_of(scores_b, name)
        lo, hi = np.percentile(boot[name], [2.5, 97.5])
        rows.append({"label": name, "support": support, "f1_a": fa, "f1_b": fb, "delta": round(fb - fa, 4),
                     "ci_low": round(float(lo), 4), "ci_high": round(float(hi), 4),
                     "significant": bool(lo > 0 or hi < 0)})
    return {"model_a": tagger_a.name, "model_b": tagger_b.name, "n": len(gold), "draws": draws, "seed": seed,
            "rows": rows, "scores_a": scores_a, "scores_b": scores_b}


def compare(model_a, model_b, gold: list[AnnotatedPassage], draws: int = 1000, seed: int = 0) -> dict:
    """:func:`compare_taggers` for two model folders (``None`` or ``"default"``: the shipped default model)."""

    def load(m):
        return load_tagger(None if m in (None, "default") else m)

    return compare_taggers(load(model_a), load(model_b), gold, draws, seed)


def format_comparison(result: dict) -> str:
    """A plain-text table: label, support, F1 of A and B, delta with its 95% interval; * where it excludes 0."""
    lines = [f"A = {result['model_a']}   B = {result['model_b']}   n = {result['n']} passages, "
             f"{result['draws']} bootstrap draws (seed {result['seed']})",
             f"{'label':34} {'support':>7} {'F1 A':>6} {'F1 B':>6} {'B-A':>7}  95% CI",
             "-" * 82]
    for r in result["rows"]:
        if r["label"] == SUMMARY_ROWS[0]:
            lines.append("-" * 82)
        mark = " *" if r["significant"] else ""
        lines.append(f"{r['label']:34} {r['support']:>7} {r['f1_a']:>6.2f} {r['f1_b']:>6.2f} {r['delta']:>+7.3f}  "
                     f"[{r['ci_low']:+.3f}, {r['ci_high']:+.3f}]{mark}")
    lines.append("* the 95% interval excludes 0")
    return "\n".join(lines)
