"""Models: backends built by name from a model folder's ``config.json``.

A model is a folder: ``config.json`` (backend, labels, thresholds, versions,
training-data hash, scores), ``weights.safetensors`` (arrays only: loading runs
no code) and, for TF-IDF features, ``vocab.json``.
"""

from __future__ import annotations

from pathlib import Path

from .io import DEFAULT_MODEL, load_model, save_model
from .linear import LinearModel, Scores

BACKENDS = {"linear": LinearModel}

__all__ = ["BACKENDS", "DEFAULT_MODEL", "LinearModel", "Scores", "load_model", "make_model", "save_model"]


def make_model(backend: str = "tfidf", **settings):
    """A new, unfitted model. ``backend`` is ``tfidf``, ``use`` or ``ensemble`` (TF-IDF and USE)."""
    from .. import errors

    features = {"tfidf": "tfidf", "use": "use", "ensemble": "tfidf+use"}
    if backend not in features:
        raise errors.ModelError(f"unknown backend {backend!r}; known: {', '.join(features)}")
    return LinearModel(features=features[backend], **settings)
