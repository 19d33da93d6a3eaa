"""Annotations back from a tool: records checked like the corpus, duplicates and conflicts reported."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from .. import errors
from ..types import AnnotatedPassage
from .records import Raw, describe
from ..corpus import _parse_line
from . import tool
from ..output import atomic_write

CONFLICT_POLICIES = ("first", "drop", "error")


@dataclass
class ImportReport:
    """What an import read, kept, skipped, and the conflicting duplicates it met."""

    source: str
    format: str
    records: int = 0
    imported: int = 0
    unlabelled: int = 0
    rejected: int = 0
    duplicates: int = 0
    conflicts: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def check(path: Path, raw: Raw) -> AnnotatedPassage:
    """The corpus rules (:mod:`pipeline.corpus`) on one record; errors name file and line (or task)."""

    rec = raw.rec
    if isinstance(rec.get("phase"), list):
        raise errors.CorpusError(str(path), raw.line, f"{raw.where}: more than one phase {rec['phase']}; "
                                 f"a passage has exactly one", "phase")
    if isinstance(rec.get("response"), list):
        raise errors.CorpusError(str(path), raw.line, f"{raw.where}: more than one response {rec['response']}; "
                                 f"a passage has at most one", "response")
    try:
        return _parse_line("", None, json.dumps(rec, ensure_ascii=False))  # type: ignore[arg-type]
    except errors.CorpusError as e:  # re-raised with this file's name and the record's line or task
        msg = str(e)[2:]
        if e.field:
            msg = msg[len(f"field '{e.field}': "):]
        if raw.line is None:
            msg = f"{raw.where}: {msg}"
        raise errors.CorpusError(str(path), raw.line, msg, e.field) from None


def _labels_of(p: AnnotatedPassage) -> tuple:
    return p.phase, tuple(p.poles), p.response


def import_annotations(path: str | os.PathLike, fmt: str, on_conflict: str = "first"
                       ) -> tuple[list[AnnotatedPassage], ImportReport]:
    """Read a tool's export (``fmt``: a format of :mod:`pipeline.exchange`) into corpus passages, checked
    like the corpus.

    Conflicting duplicates (the same id, or the same text, with different labels; or the annotators of
    one task disagreeing) are listed in the report. ``on_conflict`` says what is kept: ``first`` the first
    version, ``drop`` none of them, ``error`` raises :class:`~pipeline.errors.CorpusError`. Exact
    duplicates are dropped and counted.
    """

    reader = tool(fmt).read
    if on_conflict not in CONFLICT_POLICIES:
        raise ValueError(errors.unknown_label("conflict policy", on_conflict, CONFLICT_POLICIES))
    path = Path(path)
    if not path.is_file():
        raise errors.CorpusError(str(path), None, "no such file")
    report = ImportReport(str(path), fmt)
    kept: list[AnnotatedPassage] = []
    where_of: dict[str, str] = {}
    by_id: dict[str, AnnotatedPassage] = {}
    by_text: dict[str, AnnotatedPassage] = {}
    dropped: set[str] = set()
    for raw in reader(path, report):
        p = check(path, raw)
        p.meta.setdefault("source", fmt)
        if raw.conflict:
            report.conflicts.append(raw.conflict)
        norm = " ".join(p.text.split()).casefold()
        prev = by_id.get(p.id)
        if prev is not None:
            if _labels_of(prev) == _labels_of(p) and prev.text == p.text:
                report.duplicates += 1
                continue
            report.conflicts.append({"kind": "id", "id": p.id, "where": [where_of[prev.id], raw.where],
                                     "labels": [describe(prev), describe(p)], "kept": describe(prev)})
            dropped.add(p.id)
            continue
        other = by_text.get(norm)
        if other is not None and _labels_of(other) != _labels_of(p):
            report.conflicts.append({"kind": "text", "id": p.id, "other_id": other.id,
                                     "where": [where_of[other.id], raw.where],
                                     "labels": [describe(other), describe(p)], "kept": describe(other)})
            dropped.add(other.id)
            continue
        by_id[p.id] = p
        by_text.setdefault(norm, p)
        where_of[p.id] = raw.where
        kept.append(p)
    if report.conflicts and on_conflict == "error":
        c = report.conflicts[0]
        raise errors.CorpusError(str(path), None, f"{len(report.conflicts)} conflicting duplicate(s); first: "
                                 f"{c['kind']} {c['id']!r} at {', '.join(c['where'])}: {' vs '.join(c['labels'])}; "
                                 f"resolve them in the tool or pass --on-conflict first|drop")
    if on_conflict == "drop":
        kept = [p for p in kept if p.id not in dropped
                and not any(c["kind"] == "annotators" and c["id"] == p.id for c in report.conflicts)]
    for c in report.conflicts:
        c["kept"] = c["kept"] if on_conflict == "first" else None
    report.imported = len(kept)
    return kept, report


def write_corpus(passages: Iterable[AnnotatedPassage], dest: str | os.PathLike) -> Path:
    """Write annotated passages as corpus JSONL, atomically."""

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(dest) as fh:
        for p in passages:
            fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    return dest
