"""Baselines for the model comparison: a keyword dictionary and a zero-shot embedding matcher.

Both follow the backend interface (``fit(train, dev)``, ``predict_scores``) so
that they are scored by the same code as the real backends. Neither learns
from the training texts: ``fit`` only calibrates on them and tunes thresholds
on dev.
"""

from __future__ import annotations

import re

import numpy as np

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.labels import PHASES, POLES, RESPONSES, TABLE  # noqa: E402
from pipeline.model import calibrate  # noqa: E402
from pipeline.model.base import RESPONSE_CLASSES, Scores, targets  # noqa: E402
from pipeline.types import AnnotatedPassage  # noqa: E402

# the theory lexicon of the label table: cue terms per label, Dutch and English
CUES: dict[str, tuple[str, ...]] = TABLE.cues
PATTERNS = {k: re.compile(r"\b(?:" + "|".join(v) + r")\b", re.I) for k, v in CUES.items()}


def keyword_hits(texts: list[str]) -> dict[str, np.ndarray]:
    return {k: np.array([len(p.findall(t)) for t in texts], dtype=np.float64) for k, p in PATTERNS.items()}


class KeywordModel:
    """Counts cue words: the phase with most hits (else ``none``), a pole when it has any hit."""

    backend = "keywords"

    def fit(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None = None) -> "KeywordModel":
        self.thresholds_ = {p: 0.5 for p in POLES}
        self.response_threshold_ = 0.5
        self.abstain_threshold_ = 0.0
        return self

    def predict_scores(self, texts: list[str]) -> Scores:
        hits = keyword_hits(list(texts))
        n = len(texts)
        phase = np.zeros((n, len(PHASES)))
        for j, ph in enumerate(PHASES[:-1]):
            phase[:, j] = hits[ph]
        phase[:, -1] = 0.5  # none wins when no cue fires
        phase = phase / phase.sum(1, keepdims=True)
        poles = np.stack([1 - 0.5 ** hits[p] for p in POLES], axis=1)
        resp = np.zeros((n, len(RESPONSE_CLASSES)))
        resp[:, 0] = 0.5
        for j, r in enumerate(RESPONSES, 1):
            resp[:, j] = hits[r]
        resp = resp / resp.sum(1, keepdims=True)
        return Scores(phase, poles, resp)


# label descriptions in both languages: the label table's definitions
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    lab.id: (lab.definition, lab.definition_nl) for lab in TABLE.labels if lab.kind != "paradox"}


class ZeroShotModel:
    """Cosine similarity between a passage's USE embedding and the label descriptions (best of nl/en).

    ``fit`` does not learn from training texts: it fits a softmax temperature and
    per-label Platt scaling of the similarities on dev, and tunes thresholds there.
    """

    backend = "zeroshot"

    def _sims(self, texts: list[str]) -> dict[str, np.ndarray]:
        from pipeline.model.features import UseFeatures

        use = UseFeatures()
        labels = list(DESCRIPTIONS)
        desc = use.transform([d for lab in labels for d in DESCRIPTIONS[lab]])
        X = use.transform(list(texts))
        sims = X @ desc.T
        return {lab: sims[:, 2 * i:2 * i + 2].max(1) for i, lab in enumerate(labels)}

    def fit(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None = None) -> "ZeroShotModel":
        ref = dev or train
        s = self._sims([p.text for p in ref])
        phase, poles, resp = targets(ref)
        self.phase_temperature_ = calibrate.fit_temperature(np.stack([s[p] for p in PHASES], 1), phase)
        self.platt_ = {p: calibrate.fit_platt(s[p], poles[:, j]) for j, p in enumerate(POLES)}
        self.response_temperature_ = calibrate.fit_temperature(
            np.stack([np.full(len(ref), np.median(s["balance"]))] + [s[r] for r in RESPONSES], 1), resp)
        sc = self.predict_scores([p.text for p in ref])
        self.thresholds_ = {p: calibrate.tune_threshold(sc.poles[:, j], poles[:, j], shrink=0.0, lo=0.02)
                            for j, p in enumerate(POLES)}
        self.response_threshold_ = 0.5
        self.abstain_threshold_ = 0.0
        return self

    def predict_scores(self, texts: list[str]) -> Scores:
        s = self._sims(list(texts))
        phase = calibrate.softmax(np.stack([s[p] for p in PHASES], 1), self.phase_temperature_)
        poles = np.stack([calibrate.sigmoid(self.platt_[p][0] * s[p] + self.platt_[p][1]) for p in POLES], 1)
        base = np.full(len(texts), 0.0) + np.median(s["balance"]) if len(texts) else np.zeros(0)
        resp = calibrate.softmax(np.stack([base] + [s[r] for r in RESPONSES], 1), self.response_temperature_)
        return Scores(phase, poles, resp)


class SpacyTextcatModel:
    """spaCy's ``textcat_multilabel`` (bag-of-words architecture, uni- and bigrams) trained on the same data:
    a comparison row. One multi-label component scores the 5 phases, 8 poles and 4 responses; the phase is
    the best-scoring phase label; pole thresholds are tuned on dev."""

    backend = "spacy-bow"

    def __init__(self, epochs: int = 12, seed: int = 0):
        self.epochs, self.seed = epochs, seed

    def fit(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None = None) -> "SpacyTextcatModel":
        import random

        import spacy
        from spacy.training import Example

        spacy.util.fix_random_seed(self.seed)
        nlp = spacy.blank("xx")
        tc = nlp.add_pipe("textcat_multilabel", config={"model": {
            "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
            "no_output_layer": False, "length": 262144}})
        labels = [*(f"phase:{p}" for p in PHASES), *POLES, *RESPONSES]
        for lab in labels:
            tc.add_label(lab)

        def cats(p: AnnotatedPassage) -> dict[str, float]:
            c = {lab: 0.0 for lab in labels}
            c[f"phase:{p.phase}"] = 1.0
            for x in p.poles:
                c[x] = 1.0
            if p.response:
                c[p.response] = 1.0
            return c

        examples = [Example.from_dict(nlp.make_doc(p.text), {"cats": cats(p)}) for p in train]
        opt = nlp.initialize(lambda: examples)
        rng = random.Random(self.seed)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for i in range(0, len(examples), 32):
                nlp.update(examples[i:i + 32], sgd=opt, drop=0.1)
        self.nlp_ = nlp
        self.thresholds_ = {p: 0.5 for p in POLES}
        self.response_threshold_ = 0.5
        self.abstain_threshold_ = 0.0
        if dev:
            s = self.predict_scores([p.text for p in dev])
            _, poles, resp = targets(dev)
            self.thresholds_ = {p: calibrate.tune_threshold(s.poles[:, j], poles[:, j]) for j, p in enumerate(POLES)}
            self.response_threshold_ = calibrate.tune_threshold(1 - s.response[:, 0], (resp > 0).astype(int))
        return self

    def predict_scores(self, texts: list[str]) -> Scores:
        docs = list(self.nlp_.pipe(list(texts), batch_size=256))
        phase = np.array([[d.cats[f"phase:{p}"] for p in PHASES] for d in docs]).reshape(-1, len(PHASES))
        phase = phase / np.maximum(phase.sum(1, keepdims=True), 1e-9)
        poles = np.array([[d.cats[p] for p in POLES] for d in docs]).reshape(-1, len(POLES))
        r = np.array([[d.cats[x] for x in RESPONSES] for d in docs]).reshape(-1, len(RESPONSES))
        none = np.clip(1 - r.max(1, initial=0.0), 0, 1)[:, None] if len(docs) else np.zeros((0, 1))
        resp = np.hstack([none, r])
        resp = resp / np.maximum(resp.sum(1, keepdims=True), 1e-9)
        return Scores(phase, poles, resp)
