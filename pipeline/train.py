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
from .model.io import read_config


@dataclass
class TrainResult:
    path: Path
    scores: dict
    dev_scores: dict
    n: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def train(annotations: list[str | os.PathLike], out: str | os.PathLike, backend: str = "tfidf",
          splits_path: str | os.PathLike | None = None, name: str = "model", version: str = "1.0.0",
          parent: str | None = None, notes: str = "", **settings) -> TrainResult:
    """Fit a model on the train split, tune thresholds on dev, score on test, save to ``out``."""

    t0 = time.perf_counter()
    passages = read_corpus(annotations)
    parts = split_corpus(passages, load_splits(splits_path))
    if not parts["train"]:
        raise ValueError("the train split is empty; check annotations/splits.json")
    model = make_model(backend, **settings).fit(parts["train"], parts["dev"] or None)
    seconds = time.perf_counter() - t0
    cfg_stub = {"name": name, "version": version}
    tagger = Tagger(model, cfg_stub)
    test = evaluate_tagger(tagger, parts["test"]) if parts["test"] else {}
    dev = evaluate_tagger(tagger, parts["dev"]) if parts["dev"] else {}
    info = {"training": {"backend": backend, "data_hash": data_hash(passages),
                         "train_hash": data_hash(parts["train"]),
                         "n": {k: len(v) for k, v in parts.items()}, "seconds": round(seconds, 1),
                         "annotations": [str(a) for a in annotations], "parent": parent},
            "scores": {"test": _compact(test), "dev": _compact(dev)}}
    path = save_model(model, out, name=name, version=version, info=info)

    write_card(path, read_config(path), test, notes)
    return TrainResult(path, test, dev, {k: len(v) for k, v in parts.items()}, seconds)


def _compact(scores: dict) -> dict:
    """Headline and per-label F1 per language: what a config needs to show."""
    out = {}
    for lang, s in scores.items():
        out[lang] = {"n": s["n"], **s["headline"],
                     "f1": {f"{dim}:{k}": v["f1"] for dim in ("phase", "poles", "tensions", "response")
                            for k, v in s[dim]["per_label"].items()},
                     "phase_ece": s["phase"].get("ece")}
    return out
