"""Calibration and thresholds: small, pure functions on score arrays.

Temperature scaling for softmax heads (phase, response), Platt scaling for the
binary pole heads, per-label decision thresholds tuned for F1 on dev data
and shrunk towards 0.5 so that a small dev set cannot pull them far, and the
document context of a passage's phase (:func:`document_context`).
"""

from __future__ import annotations

import numpy as np


def softmax(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64) / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature T minimising the negative log-likelihood of softmax(logits / T)."""
    logits, y = np.asarray(logits, dtype=np.float64), np.asarray(y)
    if len(y) == 0:
        return 1.0
    grid = np.exp(np.linspace(np.log(0.05), np.log(20.0), 200))
    nll = [-np.log(np.clip(softmax(logits, t)[np.arange(len(y)), y], 1e-12, None)).mean() for t in grid]
    return float(grid[int(np.argmin(nll))])


def fit_platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, b) so that sigmoid(a * score + b) is calibrated; Platt's smoothed targets, Newton steps."""
    s, y = np.asarray(scores, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n_pos, n_neg = y.sum(), len(y) - y.sum()
    if n_pos == 0 or n_neg == 0:
        prior = (n_pos + 1) / (len(y) + 2)
        return 0.0, float(np.log(prior / (1 - prior)))
    t = np.where(y > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a, b = 1.0, 0.0
    for _ in range(100):
        p = sigmoid(a * s + b)
        g = np.array([((p - t) * s).sum(), (p - t).sum()])
        w = p * (1 - p) + 1e-9
        H = np.array([[(w * s * s).sum(), (w * s).sum()], [(w * s).sum(), w.sum()]]) + 1e-6 * np.eye(2)
        step = np.linalg.solve(H, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def f1_at(probs: np.ndarray, y: np.ndarray, threshold: float) -> float:
    pred = probs >= threshold
    tp = float((pred & (y > 0)).sum())
    fp = float((pred & (y <= 0)).sum())
    fn = float((~pred & (y > 0)).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def tune_threshold(probs: np.ndarray, y: np.ndarray, shrink: float = 0.5, lo: float = 0.15,
                   hi: float = 0.85, min_positives: int = 5) -> float:
    """The F1-best threshold on a grid in [lo, hi], shrunk towards 0.5 by ``shrink``.

    With fewer than ``min_positives`` positives the data cannot tell, and 0.5 is kept.
    """
    probs, y = np.asarray(probs), np.asarray(y)
    if (y > 0).sum() < min_positives:
        return 0.5
    grid = np.round(np.arange(lo, hi + 1e-9, 0.025), 3)
    f1s = np.array([f1_at(probs, y, t) for t in grid])
    best = f1s.max()
    # the middle of the plateau of near-best thresholds is less noisy than its first point
    near = grid[f1s >= best - 0.005]
    t = float(np.median(near))
    return float(round(0.5 + (1 - shrink) * (t - 0.5), 4))


def expected_calibration_error(probs: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """ECE: the bin-weighted gap between confidence and accuracy."""
    probs, correct = np.asarray(probs, dtype=np.float64), np.asarray(correct, dtype=np.float64)
    if len(probs) == 0:
        return 0.0
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(probs, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            ece += m.mean() * abs(probs[m].mean() - correct[m].mean())
    return float(ece)


def tune_abstention(top_prob: np.ndarray, correct: np.ndarray, max_accuracy: float = 0.5,
                    min_count: int = 5, max_share: float = 1.0) -> float:
    """The largest confidence threshold below which the predictions are right at most ``max_accuracy`` of
    the time: passages under it are more likely wrong than right, so the tagger marks them uncertain.
    At most ``max_share`` of the passages fall under it: ``uncertain`` marks a minority.

    Returns 0.0 (never abstain) when no such group of at least ``min_count`` passages exists.
    """
    top_prob, correct = np.asarray(top_prob, dtype=np.float64), np.asarray(correct, dtype=np.float64)
    best = 0.0
    for t in np.round(np.arange(0.2, 0.9001, 0.01), 2):
        below = top_prob < t
        if below.sum() >= min_count and correct[below].mean() <= max_accuracy and below.mean() <= max_share:
            best = float(t)
    return best


def document_context(phase: np.ndarray, groups, weight: float, none_index: int) -> np.ndarray:
    """Phase probabilities read in their document's light, as a coder reads a passage after the whole document.

    A passage's ``P(none)`` stays its own (whether a passage speaks of the alliance's life at all is its own
    business); which of the four phases it is, given that it is one, is mixed with its document's: the mean of
    the document's passages' phase distributions, each weighed by how much phase it carries. ``weight`` 0 leaves
    the scores as they are, 1 gives every passage of a document the document's mix. ``groups`` (one per row, a
    document id) say which rows belong together; the rows still sum to 1.
    """
    phase = np.asarray(phase, dtype=np.float64)
    if weight <= 0 or len(phase) == 0:
        return phase
    _, inv = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    ph = np.delete(phase, none_index, axis=1)
    mass = ph.sum(axis=1)
    cond = ph / np.maximum(mass, 1e-12)[:, None]
    n_groups = int(inv.max()) + 1
    num = np.zeros((n_groups, ph.shape[1]))
    np.add.at(num, inv, ph)
    doc = num / np.maximum(np.bincount(inv, weights=mass, minlength=n_groups), 1e-12)[:, None]
    mixed = ((1.0 - weight) * cond + weight * doc[inv]) * mass[:, None]
    return np.insert(mixed, none_index, phase[:, none_index], axis=1)


def tune_context_weight(phase: np.ndarray, groups, y: np.ndarray, none_index: int,
                        grid: np.ndarray | None = None, tolerance: float = 0.005) -> float:
    """The :func:`document_context` weight that gives the best phase macro-F1 on held-out passages (``y``: class
    indices), the smallest of those within ``tolerance`` of the best: the context is used only as far as the
    held-out documents show that it helps. 0.0 when no document has two passages."""
    from sklearn.metrics import f1_score

    phase, y = np.asarray(phase, dtype=np.float64), np.asarray(y)
    groups = np.asarray(groups, dtype=object).astype(str)
    if len(set(groups)) == len(groups):
        return 0.0
    grid = np.round(np.arange(0.0, 1.0001, 0.1), 2) if grid is None else grid
    labels = range(phase.shape[1])
    f1s = [f1_score(y, document_context(phase, groups, w, none_index).argmax(1), labels=labels, average="macro",
                    zero_division=0) for w in grid]
    best = max(f1s)
    return float(next(w for w, f in zip(grid, f1s) if f >= best - tolerance))
