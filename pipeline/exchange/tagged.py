"""The one reader of a ``paradox tag`` output folder that every exchange uses."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import errors
from ..types import AnnotatedPassage, TaggedPassage
from ..corpus import read_corpus


def passages_file(out_dir: str | os.PathLike) -> Path:
    """``DIR/passages.jsonl``, or the ``passages.jsonl`` named directly."""
    out_dir = Path(out_dir)
    return out_dir / "passages.jsonl" if out_dir.is_dir() else out_dir


def read_run(out_dir: str | os.PathLike) -> dict:
    """The ``run`` record of ``DIR/summary.json`` (model, counts, time; empty when there is none)."""
    path = Path(out_dir) / "summary.json"
    if not path.exists():
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")).get("run") or {})
    except (json.JSONDecodeError, AttributeError):
        return {}


def read_tagged(out_dir: str | os.PathLike) -> list[TaggedPassage]:
    """The tagged passages of ``DIR/passages.jsonl`` (or of a ``passages.jsonl`` file named directly)."""
    path = passages_file(out_dir)
    if not path.exists():
        raise errors.ParadoxError(f"{path} does not exist: DIR must be an output folder of `paradox tag` "
                                  f"(run `paradox tag INPUT --out {out_dir}` first)")
    out = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(TaggedPassage.from_dict(json.loads(line)))
            except (json.JSONDecodeError, TypeError) as e:
                raise errors.ParadoxError(f"{path}:{lineno}: not a tagged passage ({e}); "
                                          f"rerun `paradox tag` to rewrite the folder") from None
    return out


def read_passages(path: str | os.PathLike) -> list[TaggedPassage] | list[AnnotatedPassage]:
    """Passages to export: from a ``paradox tag`` output folder or its ``passages.jsonl`` (tagged), or from
    corpus JSONL files or folders (annotated)."""

    path = Path(path)
    candidate = passages_file(path)
    if candidate.is_file() and candidate.suffix == ".jsonl":
        with candidate.open(encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
        try:
            tagged = "phase_scores" in json.loads(first) if first else False
        except json.JSONDecodeError:
            tagged = False
        if tagged:
            return read_tagged(candidate)
    return read_corpus(path)
