"""The model contract, and what every backend shares: scores, targets, calibration and decisions.

A backend follows the scikit-learn estimator contract: ``__init__`` only stores its settings (a
dataclass of the backend's own that validates itself and round-trips to a dict), ``fit`` learns and
returns ``self``, learned state ends in ``_``. It implements four things:

- :meth:`Backend.fit` (train, optional dev) -> ``self``;
- :meth:`Backend.raw_scores` (texts) -> uncalibrated logits for phase, poles and response;
- :meth:`Backend.embed` (texts) -> the representation its heads read (for clustering, similarity);
- persistence: :meth:`Backend.to_arrays` and :meth:`Backend.from_arrays` (config JSON plus arrays, never
  a pickle).

Calibration (temperature scaling for phase and response, Platt scaling per pole) and the decision
thresholds are the same for every backend and live here, in :class:`Calibration` and
:class:`Decisions`; :meth:`Backend.predict_scores` is raw scores through the calibration.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar

import numpy as np

from .. import errors
from ..labels import PHASES, POLES, RESPONSES
from ..types import AnnotatedPassage
from . import calibrate

RESPONSE_CLASSES = ("no_response", *RESPONSES)


@dataclass
class Scores:
    """Calibrated probabilities, one row per text; columns in label order of :mod:`pipeline.labels`."""

    phase: np.ndarray      # (n, 5) sums to 1
    poles: np.ndarray      # (n, 8) independent
    response: np.ndarray   # (n, 5) sums to 1, column 0 = no response

    def __len__(self) -> int:
        return len(self.phase)

    @classmethod
    def empty(cls) -> "Scores":
        return cls(np.zeros((0, len(PHASES))), np.zeros((0, len(POLES))), np.zeros((0, len(RESPONSE_CLASSES))))


def targets(passages: list[AnnotatedPassage]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class indices of the phase, a 0/1 matrix of the poles, class indices of the response (0 = none)."""
    phase = np.array([PHASES.index(p.phase) for p in passages], dtype=np.int64)
    poles = np.array([[int(x in p.poles) for x in POLES] for p in passages], dtype=np.int64).reshape(-1, len(POLES))
    resp = np.array([0 if p.response is None else 1 + RESPONSES.index(p.response) for p in passages],
                    dtype=np.int64)
    return phase, poles, resp


@dataclass
class Calibration:
    """Raw logits -> calibrated probabilities: a softmax temperature each for phase and response, and
    Platt's ``sigmoid(a * logit + b)`` per pole."""

    phase_temperature: float = 1.0
    response_temperature: float = 1.0
    platt_a: np.ndarray | None = None
    platt_b: np.ndarray | None = None
    phase_bias: np.ndarray | None = None  # added to the tempered phase logits: priors fitted to held-out data

    def tune_phase_bias(self, lp: np.ndarray, phase: np.ndarray, grid: np.ndarray | None = None,
                        rounds: int = 2, shrink: float = 0.0) -> "Calibration":
        """Per-phase offsets of the tempered logits that maximise phase macro-F1 on held-out data (coordinate
        ascent over a grid): the priors of a training corpus need not be those of the documents tagged. The
        offsets found are pulled back towards 0 by ``shrink`` (0 keeps them, 1 drops them), as thresholds are
        towards 0.5: a few held-out documents should not move the priors all the way."""
        from sklearn.metrics import f1_score

        grid = np.round(np.arange(-2.0, 2.01, 0.25), 2) if grid is None else grid
        z = np.asarray(lp, dtype=np.float64) / self.phase_temperature
        bias = np.zeros(z.shape[1])

        def macro(b):
            return f1_score(phase, (z + b).argmax(1), labels=range(z.shape[1]), average="macro", zero_division=0)

        best = macro(bias)
        for _ in range(rounds):
            for j in range(z.shape[1]):
                for v in grid:
                    trial = bias.copy()
                    trial[j] = v
                    f = macro(trial)
                    if f > best + 1e-9:
                        best, bias = f, trial
        self.phase_bias = bias * (1.0 - shrink)
        return self

    @classmethod
    def fit(cls, raw: tuple[np.ndarray, np.ndarray, np.ndarray],
            y: tuple[np.ndarray, np.ndarray, np.ndarray]) -> "Calibration":
        """Fitted on held-out logits (out of fold, or dev) and their targets."""
        (lp, lb, lr), (phase, poles, resp) = raw, y
        platt = [calibrate.fit_platt(lb[:, j], poles[:, j]) for j in range(lb.shape[1])]
        return cls(calibrate.fit_temperature(lp, phase), calibrate.fit_temperature(lr, resp),
                   np.array([a for a, _ in platt]), np.array([b for _, b in platt]))

    def scores(self, lp: np.ndarray, lb: np.ndarray, lr: np.ndarray) -> Scores:
        z = np.asarray(lp, dtype=np.float64) / self.phase_temperature
        if self.phase_bias is not None:
            z = z + self.phase_bias
        return Scores(calibrate.softmax(z),
                      calibrate.sigmoid(np.asarray(lb) * self.platt_a + self.platt_b),
                      calibrate.softmax(np.asarray(lr), self.response_temperature))

    def to_config(self, dtype=np.float32) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        cfg: dict[str, Any] = {"phase_temperature": self.phase_temperature,
                               "response_temperature": self.response_temperature}
        if self.phase_bias is not None:
            cfg["phase_bias"] = [round(float(x), 4) for x in self.phase_bias]
        return cfg, {"platt_a": np.ascontiguousarray(self.platt_a, dtype=dtype),
                     "platt_b": np.ascontiguousarray(self.platt_b, dtype=dtype)}

    @classmethod
    def from_config(cls, cfg: dict, arrays: dict[str, np.ndarray]) -> "Calibration":
        bias = cfg.get("phase_bias")
        return cls(cfg["phase_temperature"], cfg["response_temperature"],
                   np.asarray(arrays["platt_a"], dtype=np.float64), np.asarray(arrays["platt_b"], dtype=np.float64),
                   None if bias is None else np.asarray(bias, dtype=np.float64))


@dataclass
class Decisions:
    """Scores -> labels: a threshold per pole, one for giving a response at all, the top phase
    probability under which a passage is marked ``uncertain``, and how far a passage's phase is read with its
    document's (:func:`calibrate.document_context`; 0 = not at all)."""

    thresholds: dict[str, float]
    response_threshold: float = 0.5
    abstain_threshold: float = 0.0
    context_weight: float = 0.0

    @classmethod
    def tune(cls, scores: Scores, poles: np.ndarray, resp: np.ndarray, shrink: float,
             abstain_threshold: float, context_weight: float = 0.0) -> "Decisions":
        """F1-best thresholds on held-out scores (:func:`calibrate.tune_threshold`, shrunk towards 0.5)."""
        return cls({pole: calibrate.tune_threshold(scores.poles[:, j], poles[:, j], shrink)
                    for j, pole in enumerate(POLES)},
                   calibrate.tune_threshold(1 - scores.response[:, 0], (resp > 0).astype(int), shrink),
                   abstain_threshold, context_weight)

    def to_config(self) -> dict[str, Any]:
        return {"thresholds": dict(self.thresholds), "response_threshold": self.response_threshold,
                "abstain_threshold": self.abstain_threshold, "context_weight": self.context_weight}

    @classmethod
    def from_config(cls, cfg: dict) -> "Decisions":
        return cls(dict(cfg["thresholds"]), cfg["response_threshold"], cfg["abstain_threshold"],
                   float(cfg.get("context_weight", 0.0)))


@dataclass
class Settings:
    """Base of a backend's settings: a dataclass that validates itself (:meth:`check`) and round-trips to a
    dict. Unknown names are refused with the known ones."""

    backend: ClassVar[str] = "model"

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Raise :class:`~pipeline.errors.ModelError` naming a setting whose value cannot work."""

    def invalid(self, name: str, allowed: str) -> errors.ModelError:
        return errors.ModelError(f"{self.backend} setting {name}={getattr(self, name)!r} is invalid; "
                                 f"allowed: {allowed}")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Settings":
        unknown = sorted(set(d) - set(cls.names()))
        if unknown:
            raise errors.ModelError(f"unknown {cls.backend} setting(s) {', '.join(unknown)}; "
                                    f"known: {', '.join(cls.names())}")
        return cls(**d)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Backend:
    """What every model is: settings in, :meth:`fit`, calibrated :meth:`predict_scores`, :meth:`embed`,
    persistence. Subclasses set :attr:`Settings` and implement the four methods of the module docstring.
    """

    Settings: ClassVar[type[Settings]] = Settings
    calibration_: Calibration
    decisions_: Decisions

    def __init__(self, **settings: Any):
        self.settings = self.Settings.from_dict(settings)

    @property
    def backend(self) -> str:
        """The backend's one name (a key of :data:`pipeline.model.BACKENDS`)."""
        return self.Settings.backend

    def get_params(self) -> dict[str, Any]:
        return self.settings.to_dict()

    # ------------------------------------------------------------------ to implement
    def fit(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None = None) -> "Backend":
        raise NotImplementedError

    def raw_scores(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Uncalibrated logits: phase (n, 5), poles (n, 8), response (n, 5)."""
        raise NotImplementedError

    def embed(self, texts: list[str]):
        """The representation the heads read, one row per text (sparse or dense)."""
        raise NotImplementedError

    def to_arrays(self) -> tuple[dict, dict[str, np.ndarray], dict[str, list[str]]]:
        raise NotImplementedError

    # ------------------------------------------------------------------ shared
    def predict_scores(self, texts: list[str]) -> Scores:
        """Calibrated probabilities for ``texts``."""
        if not texts:
            return Scores.empty()
        return self.calibration_.scores(*self.raw_scores(list(texts)))

    def check_fitted(self) -> None:
        if not hasattr(self, "calibration_"):
            raise errors.ModelError(f"this {self.backend} model is not fitted yet; call fit(train, dev) first")

    @property
    def thresholds_(self) -> dict[str, float]:
        return self.decisions_.thresholds

    @property
    def response_threshold_(self) -> float:
        return self.decisions_.response_threshold

    @property
    def abstain_threshold_(self) -> float:
        return self.decisions_.abstain_threshold

    @property
    def context_weight_(self) -> float:
        return self.decisions_.context_weight

    @property
    def phase_temperature_(self) -> float:
        return self.calibration_.phase_temperature

    @property
    def response_temperature_(self) -> float:
        return self.calibration_.response_temperature

    @property
    def platt_a_(self) -> np.ndarray:
        return self.calibration_.platt_a

    @property
    def platt_b_(self) -> np.ndarray:
        return self.calibration_.platt_b
