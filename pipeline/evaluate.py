"""Scores of predicted labels against annotated passages: per label, overall, per language."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from .labels import PARADOXES, PHASES, POLES, RESPONSES, tensions
from .model.calibrate import expected_calibration_error
from .types import AnnotatedPassage, TaggedPassage
from .types import Passage


def prf(gold: list[bool], pred: list[bool]) -> dict[str, float]:
    g, p = np.asarray(gold, bool), np.asarray(pred, bool)
    tp, fp, fn = int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": int(g.sum()),
            "tp": tp, "fp": fp, "fn": fn}


def _micro(rows: list[dict]) -> float:
    tp = sum(r["tp"] for r in rows)
    fp = sum(r["fp"] for r in rows)
    fn = sum(r["fn"] for r in rows)
    return round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0


def _macro(rows: dict[str, dict]) -> float:
    present = [r["f1"] for r in rows.values() if r["support"] > 0]
    return round(float(np.mean(present)), 4) if present else 0.0


def score(gold: list[AnnotatedPassage], pred: list[TaggedPassage]) -> dict:
    """Phase, pole, tension and response scores for aligned lists ``gold[i]`` ~ ``pred[i]``."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold passages but {len(pred)} predictions")
    out: dict = {"n": len(gold)}
    phase = {k: prf([g.phase == k for g in gold], [p.phase == k for p in pred]) for k in PHASES}
    out["phase"] = {"per_label": phase, "macro_f1": _macro(phase),
                    "accuracy": round(float(np.mean([g.phase == p.phase for g, p in zip(gold, pred)])) if gold else 0, 4)}
    poles = {k: prf([k in g.poles for g in gold], [k in p.poles for p in pred]) for k in POLES}
    out["poles"] = {"per_label": poles, "micro_f1": _micro(list(poles.values())), "macro_f1": _macro(poles)}
    tens = {k: prf([k in tensions(g.poles) for g in gold], [k in p.tensions for p in pred]) for k in PARADOXES}
    any_t = prf([bool(tensions(g.poles)) for g in gold], [bool(p.tensions) for p in pred])
    out["tensions"] = {"per_label": tens, "micro_f1": _micro(list(tens.values())), "any": any_t}
    resp = {k: prf([g.response == k for g in gold], [p.response == k for p in pred]) for k in RESPONSES}
    out["response"] = {"per_label": resp, "macro_f1": _macro(resp), "micro_f1": _micro(list(resp.values()))}
    if gold:
        conf = [p.phase_scores[p.phase] for p in pred]
        out["phase"]["ece"] = round(expected_calibration_error(conf, [g.phase == p.phase for g, p in zip(gold, pred)]), 4)
        pp = np.array([[p.pole_scores[k] for k in POLES] for p in pred]).ravel()
        gg = np.array([[k in g.poles for k in POLES] for g in gold]).ravel()
        out["poles"]["ece"] = round(_binary_ece(pp, gg), 4)
    out["headline"] = headline(out)
    return out


def _binary_ece(probs: np.ndarray, gold: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(probs, edges[1:-1]), 0, bins - 1)
    return float(sum((idx == b).mean() * abs(probs[idx == b].mean() - gold[idx == b].mean())
                     for b in range(bins) if (idx == b).any()))


def headline(s: dict) -> dict[str, float]:
    return {"phase_macro_f1": s["phase"]["macro_f1"], "poles_micro_f1": s["poles"]["micro_f1"],
            "poles_macro_f1": s["poles"]["macro_f1"], "tension_f1": s["tensions"]["any"]["f1"],
            "response_macro_f1": s["response"]["macro_f1"],
            "selection": round((s["phase"]["macro_f1"] + s["poles"]["macro_f1"]) / 2, 4)}


def score_by_language(gold: list[AnnotatedPassage], pred: list[TaggedPassage]) -> dict:
    """:func:`score` overall and for each language of the gold passages."""
    out = {"all": score(gold, pred)}
    by: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        by[g.lang or "?"].append(i)
    for lang, idx in sorted(by.items()):
        out[lang] = score([gold[i] for i in idx], [pred[i] for i in idx])
    return out


def evaluate_tagger(tagger, gold: list[AnnotatedPassage]) -> dict:
    """Tag the gold passages' texts as single passages and score them, overall and per language."""

    passages = [Passage(id=g.id, doc_id=g.doc_id, text=g.text, start=0, end=len(g.text), lang=g.lang)
                for g in gold]
    return score_by_language(gold, tagger.tag_passages(passages))


def format_table(scores: dict) -> str:
    """A plain-text table of per-label F1 (overall and per language) for the terminal and model cards."""
    langs = [k for k in scores if k != "all"]
    head = "| label | support | P | R | F1 | " + " | ".join(f"F1 {l}" for l in langs) + " |"
    lines = [head, "|" + "---|" * (5 + len(langs))]
    for dim in ("phase", "poles", "tensions", "response"):
        for label, r in scores["all"][dim]["per_label"].items():
            per = " | ".join(f"{scores[l][dim]['per_label'][label]['f1']:.2f}" for l in langs)
            lines.append(f"| {dim}:{label} | {r['support']} | {r['precision']:.2f} | {r['recall']:.2f} | "
                         f"{r['f1']:.2f} | {per} |")
    for key, val in scores["all"]["headline"].items():
        per = " | ".join(f"{scores[l]['headline'][key]:.2f}" for l in langs)
        lines.append(f"| **{key}** | | | | **{val:.2f}** | {per} |")
    return "\n".join(lines)
