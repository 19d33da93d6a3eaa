"""Active learning: which passages to annotate next.

Tag a pool of unlabelled passages (files and folders, or ``.jsonl`` of
passages) and rank them by how much an annotation would teach the model:

- ``uncertainty``: the mean of the phase uncertainty (entropy of the phase
  distribution over its maximum, ``log 5``) and the pole uncertainty (how close
  the most doubtful pole score is to its threshold: 1 on the threshold, 0 at 0
  or 1);
- ``margin``: 1 minus the gap between the two most likely phases;
- ``diverse``: k-means (scikit-learn ``MiniBatchKMeans``, k = n) over the
  model's own representation (``model.embed``: TF-IDF for the default
  model), then the most uncertain passage of each cluster, so that a batch is
  not n near-copies of one hard passage.

Identical texts are suggested once, and texts already in the annotated corpus
(``exclude``) not at all. The suggestions keep the model's labels as
pre-annotations for the annotation tools (:mod:`pipeline.exchange`).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from .labels import PHASES, POLES
from .types import TaggedPassage
from .sources import collect
from .work import tag_source
from . import errors
from .tagger import load_tagger
from .corpus import read_corpus
import json
from .exchange import ANNOTATION_TOOLS as FORMATS
from .exchange import tool
from .output import atomic_write

STRATEGIES = ("uncertainty", "margin", "diverse")


@dataclass
class Suggestion:
    passage: TaggedPassage
    score: float                     # the strategy's priority: higher = annotate first
    phase_uncertainty: float
    pole_uncertainty: float
    margin: float
    cluster: int | None = None
    rank: int = 0

    def to_dict(self) -> dict:
        return {**self.passage.to_dict(), "suggest": self.info()}

    def info(self) -> dict:
        out = {"rank": self.rank, "score": round(self.score, 4),
               "phase_uncertainty": round(self.phase_uncertainty, 4),
               "pole_uncertainty": round(self.pole_uncertainty, 4), "margin": round(self.margin, 4)}
        if self.cluster is not None:
            out["cluster"] = self.cluster
        return out


@dataclass
class SuggestResult:
    suggestions: list[Suggestion]
    pool: int                        # passages tagged
    candidates: int                  # after removing duplicates and already annotated texts
    strategy: str
    model: str
    errors: list[dict] = field(default_factory=list)


def phase_uncertainty(phase: np.ndarray) -> np.ndarray:
    """Normalised entropy of each row of phase probabilities, in [0, 1]."""
    p = np.clip(np.asarray(phase, float), 1e-12, 1.0)
    return np.clip(-(p * np.log(p)).sum(axis=1) / math.log(p.shape[1]), 0.0, 1.0)


def pole_uncertainty(poles: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Per row, the largest closeness of a pole score to its threshold (1 on it, 0 at 0 or 1)."""
    poles, t = np.asarray(poles, float), np.asarray(thresholds, float)
    span = np.where(poles >= t, 1.0 - t, t)
    close = 1.0 - np.abs(poles - t) / np.maximum(span, 1e-12)
    return np.clip(close, 0.0, 1.0).max(axis=1) if poles.size else np.zeros(len(poles))


def phase_margin(phase: np.ndarray) -> np.ndarray:
    """Gap between the two most likely phases of each row."""
    s = np.sort(np.asarray(phase, float), axis=1)
    return s[:, -1] - s[:, -2]


def tag_pool(inputs: Iterable[str | os.PathLike], tagger) -> tuple[list[TaggedPassage], list[dict]]:
    """Tag files, folders and ``.jsonl`` passages as ``paradox tag`` would; returns passages and errors."""

    sources, problems = collect(inputs)
    passages: list[TaggedPassage] = []
    errs = [e.to_dict() for e in problems]
    for src in sources:
        res = tag_source(src, tagger)
        passages.extend(res.passages)
        errs.extend(e.to_dict() for e in res.errors)
    return passages, errs


def rank(passages: list[TaggedPassage], tagger, n: int = 100, strategy: str = "uncertainty",
         seed: int = 0) -> list[Suggestion]:
    """The ``n`` passages to annotate first under ``strategy``, best first."""

    if strategy not in STRATEGIES:
        raise ValueError(errors.unknown_label("strategy", strategy, STRATEGIES))
    if not passages or n <= 0:
        return []
    phase = np.array([[p.phase_scores[k] for k in PHASES] for p in passages])
    poles = np.array([[p.pole_scores[k] for k in POLES] for p in passages])
    thresholds = np.array([tagger.thresholds[k] for k in POLES])
    pu, bu, mg = phase_uncertainty(phase), pole_uncertainty(poles, thresholds), phase_margin(phase)
    unc = (pu + bu) / 2
    score = 1.0 - mg if strategy == "margin" else unc
    order = list(np.lexsort((np.arange(len(passages)), -score)))  # stable: ties keep input order
    clusters = None
    if strategy == "diverse":
        order, clusters = _diverse(passages, tagger, unc, n, seed)
    out = []
    for r, i in enumerate(order[:n], 1):
        out.append(Suggestion(passages[i], float(score[i]), float(pu[i]), float(bu[i]), float(mg[i]),
                              None if clusters is None else int(clusters[i]), r))
    return out


def _diverse(passages: list[TaggedPassage], tagger, unc: np.ndarray, n: int, seed: int
             ) -> tuple[list[int], np.ndarray]:
    """Most uncertain passage per k-means cluster (k = n) of the model's features, then the rest by uncertainty."""
    from sklearn.cluster import MiniBatchKMeans

    X = tagger.model.embed([p.text for p in passages])
    k = min(n, len(passages))
    if k <= 1:
        labels = np.zeros(len(passages), dtype=int)
    else:
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=max(256, 4 * k))
        labels = km.fit_predict(X)
    by_unc = list(np.lexsort((np.arange(len(passages)), -unc)))
    picked, seen = [], set()
    for i in by_unc:  # the first (most uncertain) passage met in each cluster
        if labels[i] not in seen:
            seen.add(labels[i])
            picked.append(i)
    chosen = set(picked)
    picked += [i for i in by_unc if i not in chosen]  # fill when clusters are fewer than n
    return picked, labels


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def suggest(inputs: Iterable[str | os.PathLike], n: int = 100, strategy: str = "uncertainty",
            model_path: str | os.PathLike | None = None, exclude: Iterable[str | os.PathLike] | None = None,
            seed: int = 0, tagger=None) -> SuggestResult:
    """Tag ``inputs`` and pick the ``n`` passages most worth annotating under ``strategy``.

    ``exclude`` names annotated corpus files or folders whose texts are left
    out; repeated texts are considered once.
    """

    tagger = tagger or load_tagger(model_path)
    pool, errs = tag_pool(inputs, tagger)
    known = set()
    if exclude:

        known = {_norm(p.text) for p in read_corpus([Path(e) for e in exclude])}
    seen: set[str] = set()
    candidates = []
    for p in pool:
        key = _norm(p.text)
        if key in known or key in seen:
            continue
        seen.add(key)
        candidates.append(p)
    picks = rank(candidates, tagger, n, strategy, seed)
    return SuggestResult(picks, len(pool), len(candidates), strategy, tagger.name, errs)


def write_suggestions(result: SuggestResult, fmt: str, dest: str | os.PathLike) -> Path:
    """Write the suggestions for an annotation tool (``labelstudio``, ``prodigy``, ``doccano``, ``csv``) or as
    ``jsonl`` (tagged passages with a ``suggest`` record)."""


    dest = Path(dest)
    if fmt == "jsonl":
        dest.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(dest) as fh:
            for s in result.suggestions:
                fh.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n")
        return dest
    if fmt not in FORMATS:

        raise ValueError(errors.unknown_label("format", fmt, ("jsonl", *FORMATS)))
    extra = {s.passage.id: {"suggest": {**s.info(), "strategy": result.strategy}} for s in result.suggestions}
    return tool(fmt).export([s.passage for s in result.suggestions], dest, extra)
