"""Training: annotated passages in, a model folder out, with its test scores in the config."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import data_hash, load_splits, read_corpus, split_corpus
from .evaluate import evaluate_tagger
from .model import make_model, save_model
from .tagger import Tagger
from .model.card import write_card
from .model.io import DEFAULT_MODEL, read_config


@dataclass
class TrainResult:
    path: Path
    scores: dict
    dev_scores: dict
    n: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    transfer: dict = field(default_factory=dict)


def default_recipe() -> tuple[str, dict]:
    """The shipped default's backend and settings (``models/default/config.json``): what ``paradox train`` trains
    unless told another backend, so that retraining on new annotations repeats the default's recipe."""
    cfg = read_config(DEFAULT_MODEL)
    return cfg["backend"], dict(cfg.get("model", {}).get("settings", {}))


def train(annotations: list[str | os.PathLike], out: str | os.PathLike, backend: str = "tfidf",
          splits_path: str | os.PathLike | None = None, name: str = "model", version: str = "1.0.0",
          parent: str | None = None, notes: str = "", tune_on: str | None = None, **settings) -> TrainResult:
    """Fit a model on the train split; fit its calibration, thresholds and abstention on ``tune_on`` (default:
    ``transfer-dev`` when the splits have one, else ``dev``); score it on ``test`` and ``transfer-test``;
    save it to ``out`` with both scores in its config and its model card."""
    t0 = time.perf_counter()
    passages = read_corpus(annotations)
    parts = split_corpus(passages, load_splits(splits_path))
    if not parts["train"]:
        raise ValueError("the train split is empty; check annotations/splits.json")
    tune_on = tune_on or ("transfer-dev" if parts["transfer-dev"] else "dev")
    if tune_on not in parts:
        raise ValueError(f"unknown split to tune on {tune_on!r}; allowed: {', '.join(parts)}")
    model = make_model(backend, **settings).fit(parts["train"], parts[tune_on] or None)
    seconds = time.perf_counter() - t0
    tagger = Tagger(model, {"name": name, "version": version})
    scores = {split: evaluate_tagger(tagger, parts[split]) for split in ("test", "transfer-test", tune_on)
              if parts[split]}
    info = {"training": {"backend": backend, "data_hash": data_hash(passages),
                         "train_hash": data_hash(parts["train"]), "tuned_on": tune_on,
                         "n": {k: len(v) for k, v in parts.items()}, "seconds": round(seconds, 1),
                         "annotations": [str(a) for a in annotations], "parent": parent,
                         **_reviews(passages, parts)},
            "scores": {split: _compact(s) for split, s in scores.items()}}
    path = save_model(model, out, name=name, version=version, info=info)
    write_card(path, read_config(path), scores, notes)
    return TrainResult(path, scores.get("test", {}), scores.get(tune_on, {}), {k: len(v) for k, v in parts.items()},
                       seconds, scores.get("transfer-test", {}))


def _reviews(passages: list, parts: dict[str, list]) -> dict:
    """Lineage of the passages people reviewed in a report: how many, how many of them in train, by whom."""
    done = [p for p in passages if p.reviewed]
    return {"reviewed_passages": len(done), "reviewed_in_train": sum(p.reviewed for p in parts["train"]),
            "reviewers": sorted({p.meta["reviewer"].strip() for p in done})}


def _compact(scores: dict) -> dict:
    """Headline and per-label F1 per language: what a config needs to show."""
    out = {}
    for lang, s in scores.items():
        out[lang] = {"n": s["n"], **s["headline"],
                     "f1": {f"{dim}:{k}": v["f1"] for dim in ("phase", "poles", "tensions", "response")
                            for k, v in s[dim]["per_label"].items()},
                     "phase_ece": s["phase"].get("ece")}
    return out
