"""Models: backends built by name from one table, saved and loaded as folders.

A model is a folder: ``config.json`` (backend, labels, thresholds, versions,
training-data hash, scores), ``weights.safetensors`` (arrays only: loading runs
no code) and, for TF-IDF features, ``vocab.json``. Every backend keeps the
contract of :mod:`.base`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from .base import Backend, Calibration, Decisions, Scores
from .io import DEFAULT_MODEL, load_model, save_model
from .. import errors


@dataclass(frozen=True)
class BackendSpec:
    """One row of the backend table: where the class lives and the settings that make this backend."""

    module: str
    cls: str
    fixed: dict = field(default_factory=dict)
    extra: str | None = None  # the optional dependency it needs, if any

    def load(self) -> type[Backend]:
        """The class, imported on first use (so that the linear default never imports torch)."""
        mod = import_module(self.module, __name__)
        if hasattr(mod, "require"):
            mod.require()
        return getattr(mod, self.cls)


# every backend, by its one name: the name a model's config records and `paradox train --backend` takes
BACKENDS: dict[str, BackendSpec] = {
    "tfidf": BackendSpec(".linear", "LinearModel", {"features": "tfidf"}),
    "use": BackendSpec(".linear", "LinearModel", {"features": "use"}),
    "ensemble": BackendSpec(".linear", "LinearModel", {"features": "tfidf+use"}),
    "tfidf-lexicon": BackendSpec(".linear", "LinearModel", {"features": "tfidf+lexicon"}),
    "ensemble-lexicon": BackendSpec(".linear", "LinearModel", {"features": "tfidf+use+lexicon"}),
    "tfidf-wordllama": BackendSpec(".linear", "LinearModel", {"features": "tfidf+wordllama"}, extra="wordllama"),
    "transformer": BackendSpec(".transformer", "TransformerModel", extra="transformers"),
}

__all__ = ["BACKENDS", "Backend", "Calibration", "DEFAULT_MODEL", "Decisions", "Scores", "load_model", "make_model",
           "save_model"]


def make_model(backend: str = "tfidf", **settings) -> Backend:
    """A new, unfitted model of the backend named ``backend`` (a key of :data:`BACKENDS`: ``tfidf``, ``use``,
    ``ensemble`` = TF-IDF and USE, ``tfidf-lexicon`` and ``ensemble-lexicon`` = the same with the theory
    lexicon of the label table's cue terms, ``tfidf-wordllama`` = TF-IDF and WordLlama's static embeddings (the
    ``wordllama`` extra), ``transformer`` = a fine-tuned encoder, needing the ``transformers``
    extra). Settings are checked by the backend's settings dataclass."""

    if backend not in BACKENDS:
        raise errors.ModelError(f"unknown backend {backend!r}; known: {', '.join(BACKENDS)}")
    spec = BACKENDS[backend]
    clash = sorted(k for k in settings if k in spec.fixed and settings[k] != spec.fixed[k])
    if clash:
        raise errors.ModelError(f"backend {backend!r} fixes {', '.join(f'{k}={spec.fixed[k]!r}' for k in clash)}; "
                                f"choose another backend instead")
    return spec.load()(**{**settings, **spec.fixed})
