"""Save and load model folders: config JSON plus safetensors arrays (no pickles)."""

from __future__ import annotations

import json
import os
import platform
import tempfile
from pathlib import Path
from typing import Any

from .. import errors
from ..labels import TABLE
from importlib import metadata
from safetensors.numpy import save_file
from safetensors.numpy import load_file

DEFAULT_MODEL = Path(__file__).resolve().parent.parent.parent / "models" / "default"
FORMAT = 1


def _versions() -> dict[str, str]:

    out = {"python": platform.python_version()}
    for pkg in ("numpy", "scipy", "scikit-learn", "paradox-tagger"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def save_model(model, path: str | os.PathLike, name: str = "model", version: str = "1.0.0",
               info: dict[str, Any] | None = None) -> Path:
    """Write ``model`` to the folder ``path`` (created; files replaced atomically)."""

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    cfg, arrays, vocabs = model.to_arrays()
    config = {"format": FORMAT, "name": name, "version": version, "backend": model.backend,
              "labels": TABLE.lists(),
              "model": cfg, "versions": _versions(), **(info or {})}
    with tempfile.TemporaryDirectory(dir=path) as tmp:
        tmp = Path(tmp)
        # a backend with more than arrays (e.g. the transformer's encoder/) writes it here first
        extra = list(model.save_files(tmp)) if hasattr(model, "save_files") else []
        save_file(arrays, str(tmp / "weights.safetensors"), metadata={"format": str(FORMAT)})
        (tmp / "vocab.json").write_text(json.dumps(vocabs, ensure_ascii=False), encoding="utf-8")
        (tmp / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False), encoding="utf-8")
        for f in (*extra, "weights.safetensors", "vocab.json", "config.json"):
            if (path / f).is_dir():  # a folder cannot be replaced in one step: move the old one out first
                os.replace(path / f, tmp / f"old-{f}")
            os.replace(tmp / f, path / f)
    return path


def read_config(path: str | os.PathLike) -> dict[str, Any]:
    path = Path(path)
    cfg_path = path / "config.json"
    if not cfg_path.exists():
        raise errors.ModelError(f"{path} is not a model folder: no config.json "
                                f"(train one with `paradox train annotations/ --out {path}`)")
    try:
        return json.loads(cfg_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise errors.ModelError(f"{cfg_path}: malformed JSON ({e.msg}, line {e.lineno})") from None


def label_difference(labels: dict) -> str:
    """How a model's label lists differ from the label table's, in words ("" when they are the same)."""
    out = []
    for kind, ours in TABLE.lists().items():
        theirs = labels.get(kind)
        if theirs == ours:
            continue
        if not isinstance(theirs, list):
            out.append(f"{kind}: none recorded")
            continue
        missing = [x for x in ours if x not in theirs]
        extra = [x for x in theirs if x not in ours]
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(extra)}"] if extra
                                                                         else [])
        out.append(f"{kind}: " + ("; ".join(parts) if parts else f"order {theirs}, expected {ours}"))
    return "; ".join(out)


def load_model(path: str | os.PathLike | None = None):
    """Load a model folder (default: the shipped ``models/default``). Returns ``(model, config)``."""

    from . import BACKENDS

    path = Path(path) if path else DEFAULT_MODEL
    config = read_config(path)
    backend = config.get("backend")
    if backend == "linear":  # models saved before the backend table had one name per backend
        backend = {"tfidf+use": "ensemble"}.get(config["model"]["settings"]["features"],
                                                config["model"]["settings"]["features"])
    if backend not in BACKENDS:
        raise errors.ModelError(f"{path}/config.json: unknown backend {backend!r}; known: {', '.join(BACKENDS)}")
    difference = label_difference(config.get("labels") or {})
    if difference:
        raise errors.ModelError(f"{path}: its labels differ from the label table ({difference}); retrain it "
                                f"with `paradox train`")
    arrays = load_file(str(path / "weights.safetensors")) if (path / "weights.safetensors").exists() else {}
    vocab_path = path / "vocab.json"
    vocabs = json.loads(vocab_path.read_text(encoding="utf-8")) if vocab_path.exists() else {}
    cls = BACKENDS[backend].load()
    if hasattr(cls, "from_folder"):  # backends that keep more than arrays in the folder
        return cls.from_folder(path, config["model"], arrays, vocabs), config
    return cls.from_arrays(config["model"], arrays, vocabs), config
