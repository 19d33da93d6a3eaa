"""Annotations back from a tool: records checked like the corpus, duplicates and conflicts reported."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from .. import errors
from ..types import AnnotatedPassage
from .records import CONFLICTS, Raw, conflict, unreviewed_prediction
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
    unreviewed: list[dict] = field(default_factory=list)  # the model's pre-labels come back untouched: left out
    accepted_unreviewed: int = 0  # ... kept, by request

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


def import_annotations(path: str | os.PathLike, fmt: str, on_conflict: str = "first",
                       accept_unreviewed: bool = False) -> tuple[list[AnnotatedPassage], ImportReport]:
    """Read a tool's export (``fmt``: a format of :mod:`pipeline.exchange`) into corpus passages, checked
    like the corpus.

    The model's predictions never become annotations by themselves: a row whose labels equal the
    pre-labels it was exported with (``meta.model_labels``) and that carries no reviewer mark
    (:func:`~pipeline.exchange.records.reviewed`) is listed in ``report.unreviewed`` and left out, unless
    ``accept_unreviewed``.

    Conflicting duplicates (kind ``passage``: one passage id annotated more than once with different labels,
    in one task or in several rows; kind ``text``: one text under two ids with different labels) are listed in
    the report. ``on_conflict`` says what is kept: ``first`` the first version, ``drop`` none of them,
    ``error`` raises :class:`~pipeline.errors.CorpusError`. Exact duplicates are dropped and counted.
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
        if unreviewed_prediction(p):
            if not accept_unreviewed:
                report.unreviewed.append({"id": p.id, "where": raw.where})
                continue
            report.accepted_unreviewed += 1
        if raw.conflict:
            report.conflicts.append(raw.conflict)
            dropped.add(p.id)
        norm = " ".join(p.text.split()).casefold()
        prev = by_id.get(p.id)
        if prev is not None:
            if _labels_of(prev) == _labels_of(p) and prev.text == p.text:
                report.duplicates += 1
                continue
            report.conflicts.append(conflict("passage", p.id, [where_of[prev.id], raw.where], [prev, p],
                                             [prev.meta.get("annotator"), p.meta.get("annotator")], prev))
            dropped.add(p.id)
            continue
        other = by_text.get(norm)
        if other is not None and _labels_of(other) != _labels_of(p):
            c = conflict("text", p.id, [where_of[other.id], raw.where], [other, p],
                         [other.meta.get("annotator"), p.meta.get("annotator")], other)
            report.conflicts.append({**c, "other_id": other.id})
            dropped.add(other.id)
            continue
        by_id[p.id] = p
        by_text.setdefault(norm, p)
        where_of[p.id] = raw.where
        kept.append(p)
    if report.conflicts and on_conflict == "error":
        c = report.conflicts[0]
        raise errors.CorpusError(str(path), None, f"{len(report.conflicts)} conflicting duplicate(s); first: "
                                 f"{CONFLICTS[c['kind']]}: {c['id']!r} at {', '.join(c['where'])}: {' vs '.join(c['labels'])}; "
                                 f"resolve them in the tool or pass --on-conflict first|drop")
    if on_conflict == "drop":
        kept = [p for p in kept if p.id not in dropped]
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
