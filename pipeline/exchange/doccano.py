"""doccano: text-classification JSONL, ``text`` and a ``label`` list; its JSONL export read back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from .. import errors
from ..types import Passage
from . import records
from .importer import ImportReport
from .records import ID_KEY, Raw

SUFFIX = ".jsonl"


def tasks(passages: Iterable[Passage], extra: dict[str, dict] | None = None) -> list[dict]:
    return [{"text": p.text, "label": records.labels(p), ID_KEY: p.id, "doc_id": p.doc_id, "lang": records.lang(p),
             "genre": records.genre(p), "meta": meta} for p, meta in records.extras(passages, extra)]


def export(passages: Iterable[Passage], dest: str | os.PathLike, extra: dict[str, dict] | None = None) -> Path:
    """Write the tasks as JSONL to ``dest``, atomically."""
    return records.write_json_lines(tasks(passages, extra), dest)


def read(path: Path, report: ImportReport) -> Iterator[Raw]:
    """The labelled records of a doccano JSONL export (bare or prefixed label ids, or span-style triples)."""
    for lineno, rec in records.json_lines(path):
        report.records += 1
        labels = rec.get("label", rec.get("labels", []))
        if isinstance(labels, str):
            labels = [labels]
        if not isinstance(labels, list):
            raise errors.CorpusError(str(path), lineno, f"must be a list of labels, got {labels!r}", "label")
        labels = [x[-1] if isinstance(x, list) else x for x in labels]  # span-style [start, end, label]
        if not labels:
            report.unlabelled += 1
            continue
        base = records.common(rec, f"{path.stem}-{rec.get('id', lineno)}")
        approver = rec.get("annotation_approver")
        if isinstance(approver, (str, int)) and str(approver).strip():  # doccano's approval is a reviewer mark
            base["meta"].update(reviewed=True, reviewer=str(approver))
        yield Raw(f"line {lineno}", lineno, {**base, **records.labels_to_fields(labels)})
