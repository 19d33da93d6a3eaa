"""What every annotation tool's module shares: a passage's labels and metadata on the way out, and the
parsing of label lists and common fields on the way back."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from .. import errors
from ..labels import LANGS, PHASES, POLES, RESPONSES
from ..output import atomic_write
from ..types import AnnotatedPassage, Passage, TaggedPassage, reviewer_mark
from ..labels import sort_poles

ID_KEY = "passage_id"
KINDS = {"phase": PHASES, "pole": POLES, "response": RESPONSES}


# --------------------------------------------------------------------------- export

def labels(p: Passage) -> list[str]:
    """Prefixed label ids of a tagged or annotated passage: ``phase:…``, ``pole:…``, ``response:…``."""
    phase, poles, response = getattr(p, "phase", None), getattr(p, "poles", []), getattr(p, "response", None)
    out = [f"phase:{phase}"] if phase else []
    return out + [f"pole:{x}" for x in poles] + ([f"response:{response}"] if response else [])


def lang(p: Passage) -> str:
    """The passage's language as the corpus knows it (``nl``, ``en``, or empty)."""
    return p.lang if p.lang in LANGS else ""


def model_labels(p: TaggedPassage) -> dict[str, Any]:
    """The tagger's labels of a passage as they travel in ``meta.model_labels``: what an import compares a
    row's labels with, to tell a person's annotation from the model's pre-label left as it was."""
    return {"phase": p.phase, "poles": list(p.poles), "response": p.response}


def meta(p: Passage, extra: dict | None = None) -> dict[str, Any]:
    """The metadata that travels with a passage: a corpus passage's ``meta``; for a tagged one, where it
    stands in its document (and a detected language the corpus does not know) and its pre-labels
    (``model_labels``)."""
    if isinstance(p, TaggedPassage):
        out: dict[str, Any] = {"path": p.path, "start": p.start, "end": p.end}
        if p.lang not in LANGS:
            out["detected_lang"] = p.lang
        out["model_labels"] = model_labels(p)
    else:
        out = dict(getattr(p, "meta", {}) or {})
    return {**out, **(extra or {})}


def genre(p: Passage) -> str:
    return getattr(p, "genre", "other")


def confidence(p: Passage) -> float | None:
    """The tagger's probability of the phase it chose (None for a corpus passage)."""
    return p.phase_scores.get(p.phase) if isinstance(p, TaggedPassage) else None


def extras(passages: Iterable[Passage], extra: dict[str, dict] | None) -> Iterator[tuple[Passage, dict]]:
    """Each passage with its exported metadata (``extra`` maps passage ids to more metadata)."""
    for p in passages:
        yield p, meta(p, (extra or {}).get(p.id))


def write_json_lines(rows: Iterable[dict], dest: str | os.PathLike) -> Path:
    """One JSON object per line to ``dest``, atomically (the JSONL exports)."""
    dest = Path(dest)
    with atomic_write(dest) as fh:
        for rec in rows:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return dest


# --------------------------------------------------------------------------- import

@dataclass
class Raw:
    """One record read from a tool's file, before it is checked like the corpus."""

    where: str            # "line 3" or "task 3"
    line: int | None      # for CorpusError
    rec: dict             # the fields of an annotated passage
    conflict: dict | None = None  # annotators of one task who disagree


def split_label(value: Any) -> tuple[str | None, str]:
    """``"phase:forming"`` -> ("phase", "forming"); a bare id is looked up among all labels."""
    s = str(value).strip()
    if ":" in s:
        kind, label = s.split(":", 1)
        kind = {"poles": "pole", "phases": "phase", "responses": "response"}.get(kind, kind)
        return (kind if kind in KINDS else None), label
    for kind, ids in KINDS.items():
        if s in ids:
            return kind, s
    return None, s


def labels_to_fields(values: Iterable[Any]) -> dict:
    """Prefixed or bare label ids to ``phase``/``poles``/``response`` (unknown ones kept for the checker)."""
    phase: list[str] = []
    poles: list[str] = []
    response: list[str] = []
    unknown: list[str] = []
    for v in values:
        kind, label = split_label(v)
        {"phase": phase, "pole": poles, "response": response}.get(kind, unknown).append(label)
    rec: dict[str, Any] = {"poles": poles + unknown}
    if phase:
        rec["phase"] = phase[0] if len(phase) == 1 else phase
    rec["response"] = response[0] if len(response) == 1 else (response or None)
    return rec


def common(rec: dict, fallback_id: str) -> dict:
    """The fields every tool carries through: passage id, text, document, language, genre, metadata."""
    m = dict(rec.get("meta")) if isinstance(rec.get("meta"), dict) else {}
    if isinstance(rec.get("model_labels"), dict):  # a tool that moved the metadata to the top level
        m.setdefault("model_labels", rec["model_labels"])
    out = {"id": str(rec.get(ID_KEY) or fallback_id), "text": rec.get("text", ""), "doc_id": rec.get("doc_id") or "",
           "lang": rec.get("lang") or "", "genre": rec.get("genre") or "other", "meta": dict(m)}
    if not out["doc_id"]:
        out.pop("doc_id")
    return out


def json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """The JSON objects of a JSON-lines file, with their line numbers; errors name file and line."""
    with path.open(encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise errors.CorpusError(str(path), lineno, f"malformed JSON ({e.msg} at column {e.colno})") from None
            if not isinstance(rec, dict):
                raise errors.CorpusError(str(path), lineno, f"expected a JSON object, got {type(rec).__name__}")
            yield lineno, rec


def key(fields: dict) -> tuple:
    """The labels of a record, hashable, to compare versions."""
    def hashable(v):
        return tuple(v) if isinstance(v, list) else v

    return hashable(fields.get("phase")), tuple(sorted(fields.get("poles", []))), hashable(fields.get("response"))


def describe(fields_or_passage) -> str:
    """Labels in words, for conflict reports."""

    if isinstance(fields_or_passage, AnnotatedPassage):
        p = fields_or_passage
        phase, poles, response = p.phase, p.poles, p.response
    else:
        phase, poles, response = (fields_or_passage.get("phase"), fields_or_passage.get("poles", []),
                                  fields_or_passage.get("response"))
    return f"{phase}; poles: {' '.join(sort_poles(poles)) or '-'}; response: {response or '-'}"


# --------------------------------------------------------------------------- pre-labels left as they were

def reviewed(meta: dict) -> bool:
    """Whether a row carries a reviewer mark: ``meta.reviewed`` is true and ``meta.reviewer`` names a person (the
    report's review mode writes both; doccano's approval and a QDA program's own coding are read as one)."""
    return reviewer_mark(meta)


def unreviewed_prediction(p: AnnotatedPassage) -> bool:
    """Whether an imported passage is the model's pre-label come back untouched: its labels equal
    ``meta.model_labels`` (the labels it was exported with) and no reviewer marked it."""
    ml = p.meta.get("model_labels")
    if not isinstance(ml, dict) or reviewed(p.meta):
        return False
    poles = ml.get("poles") or []
    return (p.phase == ml.get("phase") and isinstance(poles, list) and sorted(p.poles) == sorted(map(str, poles))
            and ("response" not in ml or (p.response or None) == (ml.get("response") or None)))


CONFLICTS = {"passage": "one passage annotated more than once, with different labels",
             "text": "one text under two passage ids, with different labels"}


def conflict(kind: str, pid: str, where: list[str], versions: list, annotators: list, kept) -> dict:
    """A conflict of an import, worded the same for every tool: ``kind`` is ``passage`` (the same passage id
    annotated more than once, by one person or several, in one task or in several rows) or ``text``."""
    return {"kind": kind, "id": pid, "where": where, "labels": [describe(v) for v in versions],
            "annotators": [None if a is None else str(a) for a in annotators],
            "kept": describe(kept) if kept is not None else None}
