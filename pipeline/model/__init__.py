"""Models: backends built by name from a model folder's ``config.json``.

A model is a folder: ``config.json`` (backend, labels, thresholds, versions,
training-data hash, scores), ``weights.safetensors`` (arrays only: loading runs
no code) and, for TF-IDF features, ``vocab.json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from pathlib import Path

from .io import DEFAULT_MODEL, load_model, save_model
from .linear import LinearModel, Scores


class _Backends(Mapping):
    """Backend name (a config's ``backend``) -> model class; heavy backends are imported on first use,
    so that loading and using the linear default never imports torch."""

    def __init__(self, eager: dict, lazy: dict[str, tuple[str, str]]):
        self._eager, self._lazy = dict(eager), dict(lazy)

    def __getitem__(self, name: str):
        if name in self._eager:
            return self._eager[name]
        module, attr = self._lazy[name]
        mod = import_module(module, __name__)
        if hasattr(mod, "require"):
            mod.require()
        return getattr(mod, attr)

    def __contains__(self, name: object) -> bool:  # without importing anything
        return name in self._eager or name in self._lazy

    def __iter__(self):
        yield from self._eager
        yield from (k for k in self._lazy if k not in self._eager)

    def __len__(self) -> int:
        return len(set(self._eager) | set(self._lazy))


BACKENDS = _Backends({"linear": LinearModel}, {"transformer": (".transformer", "TransformerModel")})

__all__ = ["BACKENDS", "DEFAULT_MODEL", "LinearModel", "Scores", "load_model", "make_model", "save_model"]


def make_model(backend: str = "tfidf", **settings):
    """A new, unfitted model. ``backend`` is ``tfidf``, ``use`` or ``ensemble`` (TF-IDF and USE), or
    ``transformer`` (a fine-tuned encoder; needs the ``transformers`` extra)."""
    from .. import errors

    features = {"tfidf": "tfidf", "use": "use", "ensemble": "tfidf+use"}
    if backend == "transformer":
        cls = BACKENDS["transformer"]
        unknown = sorted(set(settings) - set(cls.SETTINGS))
        if unknown:
            raise errors.ModelError(f"unknown transformer setting(s) {', '.join(unknown)}; "
                                    f"known: {', '.join(cls.SETTINGS)}")
        return cls(**settings)
    if backend not in features:
        raise errors.ModelError(f"unknown backend {backend!r}; known: {', '.join([*features, 'transformer'])}")
    return LinearModel(features=features[backend], **settings)
