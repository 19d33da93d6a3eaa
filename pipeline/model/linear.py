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
from ..stopwords import is_function_word
from ..types import AnnotatedPassage
from . import calibrate
from .base import RESPONSE_CLASSES, Backend, Calibration, Decisions, Settings, targets
from .features import FEATURIZERS, make_featurizer
import re

# the backend name of each feature set (a key of pipeline.model.BACKENDS)
NAMES = {"tfidf": "tfidf", "use": "use", "tfidf+use": "ensemble", "tfidf+lexicon": "tfidf-lexicon",
         "tfidf+use+lexicon": "ensemble-lexicon", "tfidf+wordllama": "tfidf-wordllama"}


def _fit_multi(X, y: np.ndarray, n_classes: int, C: float, w: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((n_classes, X.shape[1]))
    intercept = np.full(n_classes, -30.0)
    present = np.unique(y)
    if len(present) == 1:
        intercept[present[0]] = 0.0
        return coef, intercept
    lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X, y, sample_weight=w)
    if len(present) == 2:  # scikit-learn keeps one row for two classes
        coef[present[1]], intercept[present[1]] = lr.coef_[0], lr.intercept_[0]
        coef[present[0]], intercept[present[0]] = 0.0, 0.0
    else:
        coef[lr.classes_], intercept[lr.classes_] = lr.coef_, lr.intercept_
    return coef, intercept


def _fit_binary(X, Y: np.ndarray, C: float, w: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((Y.shape[1], X.shape[1]))
    intercept = np.zeros(Y.shape[1])
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.min() == y.max():
            intercept[j] = 10.0 if y.max() else -10.0
            continue
        lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X, y, sample_weight=w)
        coef[j], intercept[j] = lr.coef_[0], lr.intercept_[0]
    return coef, intercept


def _to_words(text: str, feats: list[tuple[str, float]], k: int) -> list[tuple[str, float]]:
    """Readable explanations: a character n-gram's weight goes to the words of ``text`` that contain it
    (shared equally); word and word-pair features keep their own names. The ``k`` heaviest, rounded;
    function words (:mod:`pipeline.stopwords`) are never among them."""

    words = sorted(set(re.findall(r"\w\w+", text.lower())))
    padded = [(w, f" {w} ") for w in words]
    score: dict[str, float] = {}
    for name, c in feats:
        kind, _, term = name.partition(":")
        if kind == "char":
            owners = [w for w, pw in padded if term in pw]
            for w in owners:
                score[w] = score.get(w, 0.0) + c / len(owners)
        else:
            score[term] = score.get(term, 0.0) + c
    top = sorted(((t, v) for t, v in score.items() if not is_function_word(t)), key=lambda kv: -kv[1])[:k]
    return [(t, round(v, 4)) for t, v in top if v > 0]


@dataclass
class LinearSettings(Settings):
    """Settings of the linear backend.

    ``features``: ``tfidf``, ``use``, ``tfidf+use``, ``tfidf+lexicon``, ``tfidf+use+lexicon`` or ``tfidf+wordllama``; ``C``: inverse regularisation of the logistic
    heads; ``folds``: out-of-fold calibration folds (grouped by alliance); ``threshold_shrink``: how far
    tuned thresholds are pulled back to 0.5; ``abstain_max_accuracy``: passages whose top phase
    probability is under a threshold at which dev predictions are right at most this often are
    ``uncertain``, at most ``abstain_max_share`` of the dev passages; ``calibrate_on``: ``oof`` (out of fold on train) or ``dev`` (calibration fitted to the dev
    passages, as thresholds are); ``phase_priors``: also fit per-phase offsets to dev (macro-F1), pulled back towards 0 by ``prior_shrink``;
    ``document_context``: also fit to dev how far
    a passage's phase is read with its document's (:func:`~.calibrate.document_context`); ``round2_weight``: the sample weight of
    passages of corpus round 2 (written first, coded afterwards) against round 1's 1.0; the rest
    configure the featurizer.
    """

    backend = "linear"

    features: str = "tfidf"
    C: float = 10.0
    folds: int = 5
    threshold_shrink: float = 0.5
    abstain_max_accuracy: float = 0.5
    abstain_max_share: float = 0.2
    calibrate_on: str = "oof"
    round2_weight: float = 1.0
    phase_priors: bool = False
    prior_shrink: float = 0.0
    document_context: bool = False
    lexicon_weight: float = 1.0
    min_df: int = 2
    max_features: int = 60000
    word_ngram: tuple[int, int] = (1, 2)
    char_ngram: tuple[int, int] = (2, 5)
    use_weight: float = 1.0

    def check(self) -> None:
        if self.features not in FEATURIZERS:
            raise self.invalid("features", ", ".join(FEATURIZERS))
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise self.invalid("C", "a number > 0")
        if not (isinstance(self.folds, int) and self.folds >= 2):
            raise self.invalid("folds", "an integer >= 2")
        if not 0 <= self.threshold_shrink <= 1:
            raise self.invalid("threshold_shrink", "a number from 0 to 1")
        if not 0 <= self.prior_shrink <= 1:
            raise self.invalid("prior_shrink", "a number from 0 to 1")
        if self.calibrate_on not in ("oof", "dev"):
            raise self.invalid("calibrate_on", "oof (out of fold on train) or dev")

    def featurizer_kw(self) -> dict:
        tfidf = {"word_ngram": tuple(self.word_ngram), "char_ngram": tuple(self.char_ngram),
                 "min_df": self.min_df, "max_features": self.max_features}
        return {"tfidf": tfidf, "use": {}, "tfidf+use": {**tfidf, "use_weight": self.use_weight},
                "tfidf+lexicon": {**tfidf, "lexicon_weight": self.lexicon_weight},
                "tfidf+use+lexicon": {**tfidf, "lexicon_weight": self.lexicon_weight,
                                      "use_weight": self.use_weight},
                "tfidf+wordllama": tfidf}[self.features]


class LinearModel(Backend):
    """Featurizer + logistic heads, calibrated out of fold, thresholds tuned on dev."""

    Settings = LinearSettings

    @property
    def backend(self) -> str:
        return NAMES[self.settings.features]

    # ------------------------------------------------------------------ fit
    def _fit_heads(self, X, phase, poles, resp, w=None):
        C = self.settings.C
        return (_fit_multi(X, phase, len(PHASES), C, w), _fit_binary(X, poles, C, w),
                _fit_multi(X, resp, len(RESPONSE_CLASSES), C, w))

    @staticmethod
    def _raw(X, heads):
        (pc, pi), (bc, bi), (rc, ri) = heads
        return X @ pc.T + pi, X @ bc.T + bi, X @ rc.T + ri

    def fit(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None = None) -> "LinearModel":
        """Learn features and heads on ``train``; calibrate out of fold; tune thresholds on ``dev``."""
        if not train:
            raise ValueError("no training passages")
        self._coef_t = None  # the cache of raw_scores belongs to the previous fit
        st = self.settings
        texts = [p.text for p in train]
        self.featurizer_ = make_featurizer(st.features, **st.featurizer_kw()).fit(texts)
        X = self.featurizer_.transform(texts)
        phase, poles, resp = targets(train)

        # passages written first and coded afterwards (corpus round 2) can weigh more than round 1's
        w = np.array([st.round2_weight if p.meta.get("round") == 2 else 1.0 for p in train])
        heads = self._fit_heads(X, phase, poles, resp, None if (w == 1.0).all() else w)
        (self.phase_coef_, self.phase_intercept_), (self.pole_coef_, self.pole_intercept_), \
            (self.response_coef_, self.response_intercept_) = heads
        if dev and st.calibrate_on == "dev":
            # calibration, phase priors, thresholds and abstention all fitted to the held-out dev passages
            held = self.raw_scores([p.text for p in dev])
            held_y = targets(dev)
        else:
            # out-of-fold raw scores, grouped by alliance, to calibrate without looking at the training fit
            held, held_y = self._out_of_fold(X, phase, poles, resp, np.array([p.alliance for p in train]), heads)
        self.calibration_ = Calibration.fit(held, held_y)

        # priors and thresholds: on dev when there is one, else on the out-of-fold scores
        if dev:
            dev_raw = held if st.calibrate_on == "dev" else self.raw_scores([p.text for p in dev])
            dphase, dpoles, dresp = targets(dev)
        else:
            dev_raw, (dphase, dpoles, dresp) = held, held_y
        if st.phase_priors:
            self.calibration_.tune_phase_bias(dev_raw[0], dphase, shrink=st.prior_shrink)
        s = self.calibration_.scores(*dev_raw)
        context = 0.0
        if st.document_context:
            groups = [p.doc_id for p in dev] if dev else [p.doc_id for p in train]
            context = calibrate.tune_context_weight(s.phase, groups, dphase, PHASES.index("none"))
            s.phase = calibrate.document_context(s.phase, groups, context, PHASES.index("none"))
        abstain = calibrate.tune_abstention(s.phase.max(axis=1), s.phase.argmax(axis=1) == dphase,
                                            st.abstain_max_accuracy, max_share=st.abstain_max_share)
        self.decisions_ = Decisions.tune(s, dpoles, dresp, st.threshold_shrink, abstain, context)
        self.n_features_ = X.shape[1]
        return self

    def _out_of_fold(self, X, phase, poles, resp, groups, heads):
        """Raw scores of every training passage from heads that did not see its alliance (the full fit's own
        scores when there is a single alliance)."""
        from sklearn.model_selection import GroupKFold

        n_groups = len(set(groups))
        if n_groups < 2:
            return tuple(self._raw(X, heads)), (phase, poles, resp)
        oof = [np.zeros((X.shape[0], len(PHASES))), np.zeros((X.shape[0], len(POLES))),
               np.zeros((X.shape[0], len(RESPONSE_CLASSES)))]
        for tr, te in GroupKFold(n_splits=min(self.settings.folds, n_groups)).split(X, phase, groups):
            for o, r in zip(oof, self._raw(X[te], self._fit_heads(X[tr], phase[tr], poles[tr], resp[tr]))):
                o[te] = r
        return tuple(oof), (phase, poles, resp)

    # ------------------------------------------------------------------ predict
    def embed(self, texts: list[str]):
        """The features the heads read (sparse TF-IDF rows, dense USE rows, or both side by side)."""
        return self.featurizer_.transform(list(texts))

    def raw_scores(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # the three heads' transposed coefficients side by side, kept contiguous: one product for all
        if getattr(self, "_coef_t", None) is None:
            self._coef_t = np.ascontiguousarray(np.hstack([self.phase_coef_.T, self.pole_coef_.T,
                                                           self.response_coef_.T]))
        texts = list(texts)
        dot = getattr(self.featurizer_, "dot", None)  # TF-IDF alone: numpy only, no scipy import
        S = dot(texts, self._coef_t) if dot is not None else np.asarray(self.embed(texts) @ self._coef_t)
        a, b = len(PHASES), len(PHASES) + len(POLES)
        return (S[:, :a] + self.phase_intercept_, S[:, a:b] + self.pole_intercept_,
                S[:, b:] + self.response_intercept_)

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
        dense = None  # the rows when the features are dense (USE alone); else CSR arrays
        if hasattr(self.featurizer_, "csr"):  # TF-IDF alone: CSR arrays with numpy, no scipy import
            data, indices, indptr = self.featurizer_.csr(list(texts))
        else:
            X = self.featurizer_.transform(list(texts))
            X = X.tocsr() if hasattr(X, "tocsr") else X
            if hasattr(X, "indptr"):
                data, indices, indptr = X.data, X.indices, X.indptr
            else:
                dense = np.asarray(X)
        out = []
        for r, labs in enumerate(labels):
            if dense is None:
                idx, vals = indices[indptr[r]:indptr[r + 1]], data[indptr[r]:indptr[r + 1]]
            else:
                idx, vals = np.arange(dense.shape[1]), dense[r]
            res = {}
            for label in labs:
                w = self._label_weights(label)
                if w is None:
                    continue
                contrib = vals * w[idx]
                order = np.argsort(-contrib)[:80]  # enough left once function words are dropped
                res[label] = _to_words(texts[r], [(names[idx[i]], float(contrib[i])) for i in order
                                                  if contrib[i] > 0], k)
            out.append(res)
        return out

    def _label_weights(self, label: str) -> np.ndarray | None:
        """The weights by which a feature pushes ``label`` up (computed once per label and model)."""
        cache = self.__dict__.setdefault("_weights_by_label", {})
        if label not in cache:
            if label in PHASES:
                w = self.phase_coef_[PHASES.index(label)] - self.phase_coef_.mean(axis=0)
            elif label in POLES:
                w = self.pole_coef_[POLES.index(label)] * self.platt_a_[POLES.index(label)]
            elif label in RESPONSES:
                w = self.response_coef_[1 + RESPONSES.index(label)] - self.response_coef_[0]
            else:
                w = None
            cache[label] = w
        return cache[label]

    # ------------------------------------------------------------------ persistence
    def to_arrays(self) -> tuple[dict, dict[str, np.ndarray], dict[str, list[str]]]:
        fcfg, arrays, vocabs = self.featurizer_.to_config()
        arrays = dict(arrays)
        for name in ("phase_coef_", "phase_intercept_", "pole_coef_", "pole_intercept_", "response_coef_",
                     "response_intercept_"):
            arrays[name.rstrip("_")] = np.ascontiguousarray(getattr(self, name), dtype=np.float32)
        cal_cfg, cal_arrays = self.calibration_.to_config()
        arrays.update(cal_arrays)
        st = self.settings
        cfg = {"features": fcfg, "settings": {"features": st.features, "C": st.C, "folds": st.folds,
                                              "threshold_shrink": st.threshold_shrink,
                                              "abstain_max_accuracy": st.abstain_max_accuracy,
                                              "abstain_max_share": st.abstain_max_share,
                                              "calibrate_on": st.calibrate_on, "phase_priors": st.phase_priors,
                                              "prior_shrink": st.prior_shrink,
                                              "document_context": st.document_context,
                                              "round2_weight": st.round2_weight},
               **cal_cfg, **self.decisions_.to_config()}
        return cfg, arrays, vocabs

    @classmethod
    def from_arrays(cls, cfg: dict, arrays: dict[str, np.ndarray], vocabs: dict[str, list[str]]) -> "LinearModel":
        self = cls(**cfg["settings"])
        self.featurizer_ = FEATURIZERS[cfg["features"]["name"]].from_config(cfg["features"], arrays, vocabs)
        for name in ("phase_coef", "phase_intercept", "pole_coef", "pole_intercept", "response_coef",
                     "response_intercept"):
            setattr(self, name + "_", arrays[name].astype(np.float64))
        self.calibration_ = Calibration.from_config(cfg, arrays)
        self.decisions_ = Decisions.from_config(cfg)
        self.n_features_ = self.phase_coef_.shape[1]
        return self
