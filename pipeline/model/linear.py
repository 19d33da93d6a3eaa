"""The linear backend: a featurizer plus three logistic heads (phase, poles, response).

It follows the scikit-learn estimator contract: ``__init__`` only stores its
settings, ``fit`` learns and returns ``self``, learned state ends in ``_``.
scikit-learn is needed to fit, never to predict: the learned state is plain
arrays, so loading and tagging need only numpy and scipy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..labels import PHASES, POLES, RESPONSES
from ..types import AnnotatedPassage
from . import calibrate
from .features import make_featurizer

RESPONSE_CLASSES = ("no_response", *RESPONSES)


@dataclass
class Scores:
    """Calibrated probabilities, one row per text; columns in label order of :mod:`pipeline.labels`."""

    phase: np.ndarray      # (n, 5) sums to 1
    poles: np.ndarray      # (n, 8) independent
    response: np.ndarray   # (n, 5) sums to 1, column 0 = no response

    def __len__(self) -> int:
        return len(self.phase)


def targets(passages: list[AnnotatedPassage]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    phase = np.array([PHASES.index(p.phase) for p in passages], dtype=np.int64)
    poles = np.array([[int(x in p.poles) for x in POLES] for p in passages], dtype=np.int64).reshape(-1, len(POLES))
    resp = np.array([0 if p.response is None else 1 + RESPONSES.index(p.response) for p in passages],
                    dtype=np.int64)
    return phase, poles, resp


def _fit_multi(X, y: np.ndarray, n_classes: int, C: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((n_classes, X.shape[1]))
    intercept = np.full(n_classes, -30.0)
    present = np.unique(y)
    if len(present) == 1:
        intercept[present[0]] = 0.0
        return coef, intercept
    lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X, y)
    if len(present) == 2:  # scikit-learn keeps one row for two classes
        coef[present[1]], intercept[present[1]] = lr.coef_[0], lr.intercept_[0]
        coef[present[0]], intercept[present[0]] = 0.0, 0.0
    else:
        coef[lr.classes_], intercept[lr.classes_] = lr.coef_, lr.intercept_
    return coef, intercept


def _fit_binary(X, Y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((Y.shape[1], X.shape[1]))
    intercept = np.zeros(Y.shape[1])
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.min() == y.max():
            intercept[j] = 10.0 if y.max() else -10.0
            continue
        lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X, y)
        coef[j], intercept[j] = lr.coef_[0], lr.intercept_[0]
    return coef, intercept


def _to_words(text: str, feats: list[tuple[str, float]], k: int) -> list[tuple[str, float]]:
    """Readable explanations: a character n-gram's weight goes to the words of ``text`` that contain it
    (shared equally); word and word-pair features keep their own names. The ``k`` heaviest, rounded."""
    import re

    words = sorted(set(re.findall(r"\w\w+", text.lower())))
    padded = {w: f" {w} " for w in words}
    score: dict[str, float] = {}
    for name, c in feats:
        kind, _, term = name.partition(":")
        if kind == "char":
            owners = [w for w in words if term in padded[w]]
            for w in owners:
                score[w] = score.get(w, 0.0) + c / len(owners)
        else:
            score[term] = score.get(term, 0.0) + c
    top = sorted(score.items(), key=lambda kv: -kv[1])[:k]
    return [(t, round(v, 4)) for t, v in top if v > 0]


class LinearModel:
    """Featurizer + logistic heads, calibrated out of fold, thresholds tuned on dev."""

    backend = "linear"

    def __init__(self, features: str = "tfidf", C: float = 10.0, folds: int = 5, threshold_shrink: float = 0.5,
                 abstain_max_accuracy: float = 0.5, **feature_kw):
        self.features, self.C, self.folds = features, C, folds
        self.threshold_shrink, self.abstain_max_accuracy = threshold_shrink, abstain_max_accuracy
        self.feature_kw = feature_kw

    # ------------------------------------------------------------------ fit
    def _fit_heads(self, X, phase, poles, resp):
        return (_fit_multi(X, phase, len(PHASES), self.C), _fit_binary(X, poles, self.C),
                _fit_multi(X, resp, len(RESPONSE_CLASSES), self.C))

    @staticmethod
    def _raw(X, heads):
        (pc, pi), (bc, bi), (rc, ri) = heads
        return X @ pc.T + pi, X @ bc.T + bi, X @ rc.T + ri

    def fit(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None = None) -> "LinearModel":
        """Learn features and heads on ``train``; calibrate out of fold; tune thresholds on ``dev``."""
        if not train:
            raise ValueError("no training passages")
        self._coef_t = None  # the cache of predict_scores belongs to the previous fit
        texts = [p.text for p in train]
        self.featurizer_ = make_featurizer(self.features, **self.feature_kw).fit(texts)
        X = self.featurizer_.transform(texts)
        phase, poles, resp = targets(train)

        # out-of-fold raw scores, grouped by alliance, to calibrate without looking at the training fit
        groups = np.array([p.alliance for p in train])
        n_groups = len(set(groups))
        oof = [np.zeros((len(train), len(PHASES))), np.zeros((len(train), len(POLES))),
               np.zeros((len(train), len(RESPONSE_CLASSES)))]
        if n_groups >= 2:
            from sklearn.model_selection import GroupKFold

            for tr, te in GroupKFold(n_splits=min(self.folds, n_groups)).split(X, phase, groups):
                heads = self._fit_heads(X[tr], phase[tr], poles[tr], resp[tr])
                for o, r in zip(oof, self._raw(X[te], heads)):
                    o[te] = r
        heads = self._fit_heads(X, phase, poles, resp)
        (self.phase_coef_, self.phase_intercept_), (self.pole_coef_, self.pole_intercept_), \
            (self.response_coef_, self.response_intercept_) = heads
        if n_groups < 2:
            oof = list(self._raw(X, heads))
        self.phase_temperature_ = calibrate.fit_temperature(oof[0], phase)
        self.response_temperature_ = calibrate.fit_temperature(oof[2], resp)
        platt = [calibrate.fit_platt(oof[1][:, j], poles[:, j]) for j in range(len(POLES))]
        self.platt_a_ = np.array([a for a, _ in platt])
        self.platt_b_ = np.array([b for _, b in platt])

        # thresholds: on dev when there is one, else on the out-of-fold scores
        if dev:
            s = self.predict_scores([p.text for p in dev])
            _, dpoles, dresp = targets(dev)
        else:
            s = Scores(calibrate.softmax(oof[0], self.phase_temperature_),
                       calibrate.sigmoid(oof[1] * self.platt_a_ + self.platt_b_),
                       calibrate.softmax(oof[2], self.response_temperature_))
            dpoles, dresp = poles, resp
        self.thresholds_ = {pole: calibrate.tune_threshold(s.poles[:, j], dpoles[:, j], self.threshold_shrink)
                            for j, pole in enumerate(POLES)}
        self.response_threshold_ = calibrate.tune_threshold(1 - s.response[:, 0], (dresp > 0).astype(int),
                                                            self.threshold_shrink)
        dphase = targets(dev)[0] if dev else phase
        self.abstain_threshold_ = calibrate.tune_abstention(s.phase.max(axis=1), s.phase.argmax(axis=1) == dphase,
                                                            self.abstain_max_accuracy)
        self.n_features_ = X.shape[1]
        return self

    # ------------------------------------------------------------------ predict
    def predict_scores(self, texts: list[str]) -> Scores:
        if not texts:
            return Scores(np.zeros((0, len(PHASES))), np.zeros((0, len(POLES))),
                          np.zeros((0, len(RESPONSE_CLASSES))))
        X = self.featurizer_.transform(list(texts))
        # the transposed coefficients, kept contiguous: `X @ coef.T` would copy them on every call
        if getattr(self, "_coef_t", None) is None:
            self._coef_t = tuple(np.ascontiguousarray(c.T) for c in
                                 (self.phase_coef_, self.pole_coef_, self.response_coef_))
        pt, bt, rt = self._coef_t
        p, b, r = X @ pt + self.phase_intercept_, X @ bt + self.pole_intercept_, X @ rt + self.response_intercept_
        return Scores(calibrate.softmax(np.asarray(p), self.phase_temperature_),
                      calibrate.sigmoid(np.asarray(b) * self.platt_a_ + self.platt_b_),
                      calibrate.softmax(np.asarray(r), self.response_temperature_))

    def explain(self, text: str, labels: list[str], k: int = 6) -> dict[str, list[tuple[str, float]]]:
        """Per label, the ``k`` features of ``text`` that pushed its score up most (coefficient x value)."""
        return self.explain_many([text], [labels], k)[0]

    def explain_many(self, texts: list[str], labels: list[list[str]], k: int = 6
                     ) -> list[dict[str, list[tuple[str, float]]]]:
        """:meth:`explain` for many texts with one featurisation."""
        if not texts:
            return []
        if getattr(self, "_names", None) is None:
            self._names = self.featurizer_.feature_names()
        names = self._names
        X = self.featurizer_.transform(list(texts))
        X = X.tocsr() if hasattr(X, "tocsr") else X
        out = []
        for r, labs in enumerate(labels):
            if hasattr(X, "indptr"):
                lo, hi = X.indptr[r], X.indptr[r + 1]
                idx, vals = X.indices[lo:hi], X.data[lo:hi]
            else:
                idx = np.arange(X.shape[1])
                vals = np.asarray(X[r]).ravel()
            res = {}
            for label in labs:
                if label in PHASES:
                    w = self.phase_coef_[PHASES.index(label)] - self.phase_coef_.mean(axis=0)
                elif label in POLES:
                    w = self.pole_coef_[POLES.index(label)] * self.platt_a_[POLES.index(label)]
                elif label in RESPONSES:
                    w = self.response_coef_[1 + RESPONSES.index(label)] - self.response_coef_[0]
                else:
                    continue
                contrib = vals * w[idx]
                order = np.argsort(-contrib)[:40]
                res[label] = _to_words(texts[r], [(names[idx[i]], float(contrib[i])) for i in order
                                                  if contrib[i] > 0], k)
            out.append(res)
        return out

    # ------------------------------------------------------------------ persistence
    def to_arrays(self) -> tuple[dict, dict[str, np.ndarray], dict[str, list[str]]]:
        fcfg, arrays, vocabs = self.featurizer_.to_config()
        arrays = dict(arrays)
        for name in ("phase_coef_", "phase_intercept_", "pole_coef_", "pole_intercept_", "response_coef_",
                     "response_intercept_", "platt_a_", "platt_b_"):
            arrays[name.rstrip("_")] = np.ascontiguousarray(getattr(self, name), dtype=np.float32)
        cfg = {"features": fcfg, "settings": {"features": self.features, "C": self.C, "folds": self.folds,
                                              "threshold_shrink": self.threshold_shrink,
                                              "abstain_max_accuracy": self.abstain_max_accuracy},
               "phase_temperature": self.phase_temperature_, "response_temperature": self.response_temperature_,
               "thresholds": self.thresholds_, "response_threshold": self.response_threshold_,
               "abstain_threshold": self.abstain_threshold_}
        return cfg, arrays, vocabs

    @classmethod
    def from_arrays(cls, cfg: dict, arrays: dict[str, np.ndarray], vocabs: dict[str, list[str]]) -> "LinearModel":
        from .features import FEATURIZERS

        self = cls(**cfg["settings"])
        self.featurizer_ = FEATURIZERS[cfg["features"]["name"]].from_config(cfg["features"], arrays, vocabs)
        for name in ("phase_coef", "phase_intercept", "pole_coef", "pole_intercept", "response_coef",
                     "response_intercept", "platt_a", "platt_b"):
            setattr(self, name + "_", arrays[name].astype(np.float64))
        self.phase_temperature_ = cfg["phase_temperature"]
        self.response_temperature_ = cfg["response_temperature"]
        self.thresholds_ = dict(cfg["thresholds"])
        self.response_threshold_ = cfg["response_threshold"]
        self.abstain_threshold_ = cfg["abstain_threshold"]
        self.n_features_ = self.phase_coef_.shape[1]
        return self
