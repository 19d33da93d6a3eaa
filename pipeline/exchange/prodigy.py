"""Prodigy: choice tasks (``textcat_multi`` style) with every label as an option and the labels pre-selected
in ``accept``; its ``db-out`` JSONL read back (only accepted answers)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from .. import errors
from ..labels import DUTCH
from ..types import Passage
from . import records
from .importer import ImportReport
from .records import ID_KEY, KINDS, Raw

SUFFIX = ".jsonl"


def options() -> list[dict]:
    """The choice options of a task: every phase, pole and response, with Dutch names."""
    return [{"id": f"{kind}:{label}", "text": f"{kind}: {label} ({DUTCH[label]})"}
            for kind, labels in KINDS.items() for label in labels]


def tasks(passages: Iterable[Passage], extra: dict[str, dict] | None = None) -> list[dict]:
    opts = options()
    out = []
    for p, meta in records.extras(passages, extra):
        info = {ID_KEY: p.id, "doc_id": p.doc_id, "lang": records.lang(p)}
        if records.confidence(p) is not None:
            info["phase_score"] = round(records.confidence(p), 3)
        if "suggest" in meta:
            info["priority"] = meta["suggest"].get("score")
        out.append({"text": p.text, "options": opts, "accept": records.labels(p), ID_KEY: p.id, "doc_id": p.doc_id,
                    "lang": records.lang(p), "genre": records.genre(p), "paradox_meta": meta, "meta": info,
                    "config": {"choice_style": "multiple"}})
    return out


def export(passages: Iterable[Passage], dest: str | os.PathLike, extra: dict[str, dict] | None = None) -> Path:
    """Write the tasks as JSONL to ``dest``, atomically."""
    return records.write_json_lines(tasks(passages, extra), dest)


def read(path: Path, report: ImportReport) -> Iterator[Raw]:
    """The accepted answers of a ``db-out`` file (rejected and ignored ones are counted, not kept)."""
    for lineno, rec in records.json_lines(path):
        report.records += 1
        answer = rec.get("answer")
        if answer is None:
            report.unlabelled += 1
            continue
        if answer != "accept":
            report.rejected += 1
            continue
        base = records.common(rec, f"{path.stem}-{rec.get('_input_hash', lineno)}")
        base["meta"] = {**(rec.get("paradox_meta") if isinstance(rec.get("paradox_meta"), dict) else {})}
        if rec.get("_annotator_id") or rec.get("_session_id"):
            base["meta"]["annotator"] = rec.get("_annotator_id") or rec.get("_session_id")
        accept = rec.get("accept") or []
        if not isinstance(accept, list):
            raise errors.CorpusError(str(path), lineno, f"must be a list of option ids, got {accept!r}", "accept")
        yield Raw(f"line {lineno}", lineno, {**base, **records.labels_to_fields(accept)})
