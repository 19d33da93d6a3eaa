"""Passages to and from annotation tools: Label Studio, Prodigy, doccano and CSV.

Export writes tagged passages (``paradox tag`` output) or corpus passages
(SPEC §3.1) with their labels as pre-annotations, for annotators to correct:

- ``labelstudio``: a JSON array of tasks, ``data.text`` plus ``predictions``
  of ``choices`` results for the ``phase``, ``poles`` and ``response``
  controls of the labelling config shipped beside this module
  (:func:`labelstudio_config`);
- ``prodigy``: JSONL for a ``textcat_multi``-style choice interface:
  ``options`` (``phase:forming``, ``pole:trust``, ``response:balance``, ...)
  and the pre-selected ``accept`` list;
- ``doccano``: JSONL for text classification, ``text`` and a ``label`` list;
- ``csv``: one row per passage, poles separated by spaces.

Every format carries the passage id as ``passage_id`` (the tools keep their
own ``id``), and ``doc_id``, ``lang``, ``genre``, ``meta``.

Import reads what the tools export (Label Studio's JSON or JSON-MIN export,
Prodigy's ``db-out`` JSONL, doccano's JSONL, the CSV) back into
:class:`~pipeline.types.AnnotatedPassage`, each record checked with the very
rules of :mod:`pipeline.corpus` (errors name the file and the line or task),
and reports the conflicting duplicates: the same id, or the same text, with
different labels.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .. import errors
from ..labels import DUTCH, LANGS, PHASES, POLES, RESPONSES, TABLE, LabelTable, sort_poles
from ..types import AnnotatedPassage, TaggedPassage

FORMATS = ("labelstudio", "prodigy", "doccano", "csv")
SUFFIX = {"labelstudio": ".json", "prodigy": ".jsonl", "doccano": ".jsonl", "csv": ".csv"}
CONFLICT_POLICIES = ("first", "drop", "error")
ID_KEY = "passage_id"
CSV_COLUMNS = ["passage_id", "text", "phase", "poles", "response", "doc_id", "lang", "genre", "meta"]
CONFIG_PATH = Path(__file__).resolve().parent / "labelstudio_config.xml"
KINDS = {"phase": PHASES, "pole": POLES, "response": RESPONSES}


@dataclass
class Item:
    """A passage on its way to an annotation tool: text, labels and, for tagged passages, scores."""

    id: str
    text: str
    phase: str | None = None
    poles: list[str] = field(default_factory=list)
    response: str | None = None
    doc_id: str = ""
    lang: str = ""
    genre: str = "other"
    meta: dict[str, Any] = field(default_factory=dict)
    phase_scores: dict[str, float] = field(default_factory=dict)
    pole_scores: dict[str, float] = field(default_factory=dict)
    response_scores: dict[str, float] = field(default_factory=dict)
    model: str = ""

    @classmethod
    def from_tagged(cls, t: TaggedPassage, meta: dict | None = None) -> "Item":
        extra = {} if t.lang in LANGS else {"detected_lang": t.lang}  # the corpus knows nl and en only
        return cls(t.id, t.text, t.phase, list(t.poles), t.response, t.doc_id, t.lang if t.lang in LANGS else "",
                   "other", {"path": t.path, "start": t.start, "end": t.end, **extra, **(meta or {})},
                   dict(t.phase_scores), dict(t.pole_scores), dict(t.response_scores), t.model)

    @classmethod
    def from_annotated(cls, p: AnnotatedPassage) -> "Item":
        return cls(p.id, p.text, p.phase, list(p.poles), p.response, p.doc_id, p.lang, p.genre, dict(p.meta))

    @property
    def labels(self) -> list[str]:
        """Prefixed label ids: ``phase:…``, ``pole:…``, ``response:…``."""
        out = [f"phase:{self.phase}"] if self.phase else []
        return out + [f"pole:{p}" for p in self.poles] + ([f"response:{self.response}"] if self.response else [])

    @property
    def confidence(self) -> float | None:
        return self.phase_scores.get(self.phase) if self.phase and self.phase_scores else None


def read_items(path: str | os.PathLike) -> list[Item]:
    """Passages to export from a ``paradox tag`` output folder, a tagged ``passages.jsonl`` or corpus JSONL."""
    from ..corpus import read_corpus

    path = Path(path)
    if path.is_dir() and (path / "passages.jsonl").exists():
        path = path / "passages.jsonl"
    if path.is_file() and path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
        try:
            tagged = "phase_scores" in json.loads(first) if first else False
        except json.JSONDecodeError:
            tagged = False
        if tagged:
            from ..export.refi import read_tagged

            return [Item.from_tagged(t) for t in read_tagged(path)]
    return [Item.from_annotated(p) for p in read_corpus(path)]


# --------------------------------------------------------------------------- export

def labelstudio_config(table: LabelTable = TABLE) -> str:
    """The Label Studio labelling config (XML) whose control names the tasks' predictions use, made from the
    label table (the copy shipped beside this module, :data:`CONFIG_PATH`, is checked against it by a test)."""
    from xml.sax.saxutils import quoteattr

    def choices(kind: str, hint) -> str:
        return "\n".join(f"        <Choice value={quoteattr(lab.id)} hint={quoteattr(hint(lab))}/>"
                         for lab in table.of_kind(kind))

    return f"""<View>
  <!-- Label Studio labelling config of the paradox tagger, made from the label table (pipeline/labels.py).
       Control names (phase, poles, response) and choice values are the label ids that the
       labelstudio export of `paradox annotations export` pre-annotates and `paradox annotations import` reads. -->
  <Header value="Passage"/>
  <Text name="text" value="$text" granularity="word"/>
  <View style="display: flex; gap: 2em;">
    <View>
      <Header value="Phase (fase): exactly one"/>
      <Choices name="phase" toName="text" choice="single-radio" required="true">
{choices("phase", lambda lab: f"{lab.dutch}: {lab.definition}")}
      </Choices>
    </View>
    <View>
      <Header value="Paradox poles (polen): zero or more"/>
      <Choices name="poles" toName="text" choice="multiple">
{choices("pole", lambda lab: f"{lab.dutch} ({lab.paradox}): {lab.definition}")}
      </Choices>
    </View>
    <View>
      <Header value="Response to a tension (omgang): at most one"/>
      <Choices name="response" toName="text" choice="single">
{choices("response", lambda lab: f"{lab.dutch}: {lab.definition}")}
      </Choices>
    </View>
  </View>
</View>
"""


def _data(item: Item) -> dict:
    return {"text": item.text, ID_KEY: item.id, "doc_id": item.doc_id, "lang": item.lang, "genre": item.genre,
            "meta": item.meta}


def to_labelstudio(items: Iterable[Item]) -> list[dict]:
    """Label Studio tasks with the labels as ``predictions`` (pre-annotations)."""
    tasks = []
    for it in items:
        result = []
        if it.phase:
            result.append(_ls_choice("phase", [it.phase], it.phase_scores.get(it.phase)))
        if it.poles:
            result.append(_ls_choice("poles", list(it.poles)))
        if it.response:
            result.append(_ls_choice("response", [it.response], it.response_scores.get(it.response)))
        task: dict[str, Any] = {"data": _data(it)}
        if result:
            pred: dict[str, Any] = {"model_version": it.model or "corpus", "result": result}
            if it.confidence is not None:
                pred["score"] = it.confidence
            task["predictions"] = [pred]
        tasks.append(task)
    return tasks


def _ls_choice(name: str, choices: list[str], score: float | None = None) -> dict:
    r: dict[str, Any] = {"id": name, "from_name": name, "to_name": "text", "type": "choices",
                         "value": {"choices": choices}}
    if score is not None:
        r["score"] = score
    return r


def prodigy_options() -> list[dict]:
    """The choice options of a Prodigy task: every phase, pole and response, with Dutch names."""
    return [{"id": f"{kind}:{label}", "text": f"{kind}: {label} ({DUTCH[label]})"}
            for kind, labels in KINDS.items() for label in labels]


def to_prodigy(items: Iterable[Item]) -> list[dict]:
    """Prodigy choice tasks (``textcat_multi`` style): ``options`` and the pre-selected ``accept``."""
    options = prodigy_options()
    out = []
    for it in items:
        meta = {ID_KEY: it.id, "doc_id": it.doc_id, "lang": it.lang}
        if it.confidence is not None:
            meta["phase_score"] = round(it.confidence, 3)
        if "suggest" in it.meta:
            meta["priority"] = it.meta["suggest"].get("score")
        out.append({"text": it.text, "options": options, "accept": it.labels, ID_KEY: it.id, "doc_id": it.doc_id,
                    "lang": it.lang, "genre": it.genre, "paradox_meta": it.meta, "meta": meta,
                    "config": {"choice_style": "multiple"}})
    return out


def to_doccano(items: Iterable[Item]) -> list[dict]:
    """doccano text-classification records: ``text`` and the ``label`` list."""
    return [{"text": it.text, "label": it.labels, ID_KEY: it.id, "doc_id": it.doc_id, "lang": it.lang,
             "genre": it.genre, "meta": it.meta} for it in items]


def to_csv_rows(items: Iterable[Item]) -> list[dict]:
    return [{"passage_id": it.id, "text": it.text, "phase": it.phase or "", "poles": " ".join(it.poles),
             "response": it.response or "", "doc_id": it.doc_id, "lang": it.lang, "genre": it.genre,
             "meta": json.dumps(it.meta, ensure_ascii=False) if it.meta else ""} for it in items]


def export_items(items: Iterable[Item], fmt: str, dest: str | os.PathLike) -> Path:
    """Write ``items`` for the tool ``fmt`` (see :data:`FORMATS`) to ``dest``, atomically."""
    from ..output import atomic_write

    if fmt not in FORMATS:
        raise ValueError(errors.unknown_label("format", fmt, FORMATS))
    items = list(items)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(dest) as fh:
        if fmt == "labelstudio":
            json.dump(to_labelstudio(items), fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        elif fmt == "csv":
            w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
            w.writeheader()
            w.writerows(to_csv_rows(items))
        else:
            for rec in (to_prodigy if fmt == "prodigy" else to_doccano)(items):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return dest


def export_annotations(source: str | os.PathLike, fmt: str, dest: str | os.PathLike) -> int:
    """Read passages from ``source`` (see :func:`read_items`) and write them for ``fmt``; returns the count."""
    items = read_items(source)
    export_items(items, fmt, dest)
    return len(items)


# --------------------------------------------------------------------------- import

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


@dataclass
class _Raw:
    where: str            # "line 3" or "task 3"
    line: int | None      # for CorpusError
    rec: dict             # SPEC §3.1 fields
    conflict: dict | None = None  # annotators of one task who disagree


def _split_label(value: Any) -> tuple[str | None, str]:
    """``"phase:forming"`` -> ("phase", "forming"); a bare id is looked up among all labels."""
    s = str(value).strip()
    if ":" in s:
        kind, label = s.split(":", 1)
        kind = {"poles": "pole", "phases": "phase", "responses": "response"}.get(kind, kind)
        return (kind if kind in KINDS else None), label
    for kind, labels in KINDS.items():
        if s in labels:
            return kind, s
    return None, s


def _labels_to_fields(labels: Iterable[Any]) -> dict:
    """Prefixed or bare label ids to ``phase``/``poles``/``response`` (unknown ones kept for the checker)."""
    phase: list[str] = []
    poles: list[str] = []
    response: list[str] = []
    unknown: list[str] = []
    for v in labels:
        kind, label = _split_label(v)
        {"phase": phase, "pole": poles, "response": response}.get(kind, unknown).append(label)
    rec: dict[str, Any] = {"poles": poles + unknown}
    if phase:
        rec["phase"] = phase[0] if len(phase) == 1 else phase
    rec["response"] = response[0] if len(response) == 1 else (response or None)
    return rec


def _check(path: Path, raw: _Raw) -> AnnotatedPassage:
    """SPEC §3.1 rules of :mod:`pipeline.corpus` on one record; errors name file and line (or task)."""
    from ..corpus import _parse_line

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


def _common(rec: dict, fallback_id: str) -> dict:
    meta = rec.get("meta") if isinstance(rec.get("meta"), dict) else {}
    out = {"id": str(rec.get(ID_KEY) or fallback_id), "text": rec.get("text", ""), "doc_id": rec.get("doc_id") or "",
           "lang": rec.get("lang") or "", "genre": rec.get("genre") or "other", "meta": dict(meta)}
    if not out["doc_id"]:
        out.pop("doc_id")
    return out


def _json_lines(path: Path) -> Iterator[tuple[int, dict]]:
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


def _ls_result_labels(result: list[dict]) -> list[str]:
    labels: list[str] = []
    for r in result or []:
        if r.get("type") not in (None, "choices"):
            continue
        name = {"phase": "phase", "poles": "pole", "response": "response"}.get(r.get("from_name", ""), "")
        for c in (r.get("value") or {}).get("choices", []):
            labels.append(f"{name}:{c}" if name and ":" not in str(c) else c)
    return labels


def _ls_min_labels(rec: dict) -> list[str]:
    labels: list[str] = []
    for key, kind in (("phase", "phase"), ("poles", "pole"), ("response", "response")):
        v = rec.get(key)
        if isinstance(v, dict):
            v = v.get("choices", [])
        if isinstance(v, str):
            v = [v] if v else []
        labels += [f"{kind}:{x}" for x in (v or [])]
    return labels


def _key(fields: dict) -> tuple:
    return (fields.get("phase") if not isinstance(fields.get("phase"), list) else tuple(fields["phase"]),
            tuple(sorted(fields.get("poles", []))), fields.get("response") if not isinstance(
                fields.get("response"), list) else tuple(fields["response"]))


def _read_labelstudio(path: Path, report: ImportReport) -> Iterator[_Raw]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as e:
        raise errors.CorpusError(str(path), e.lineno, f"malformed JSON ({e.msg} at column {e.colno}); expected "
                                 f"Label Studio's JSON export (a list of tasks)") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise errors.CorpusError(str(path), None, f"expected a list of Label Studio tasks, got "
                                 f"{type(data).__name__}; export the project as JSON or JSON-MIN")
    for i, task in enumerate(data, 1):
        report.records += 1
        where = f"task {i}" + (f" (Label Studio id {task.get('id')})" if isinstance(task, dict) and "id" in task
                               else "")
        if not isinstance(task, dict):
            raise errors.CorpusError(str(path), None, f"{where}: expected a JSON object, got {type(task).__name__}")
        if "data" not in task:  # JSON-MIN: one flat object per annotation
            labels = _ls_min_labels(task)
            if not labels:
                report.unlabelled += 1
                continue
            rec = _common(task, f"{path.stem}-{task.get('id', i)}")
            if task.get("annotator") is not None:
                rec["meta"]["annotator"] = task["annotator"]
            yield _Raw(where, None, {**rec, **_labels_to_fields(labels)})
            continue
        anns = [a for a in task.get("annotations") or task.get("completions") or []
                if isinstance(a, dict) and not a.get("was_cancelled")]
        anns = [a for a in anns if _ls_result_labels(a.get("result", []))]
        if not anns:
            report.unlabelled += 1
            continue
        anns.sort(key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))
        rec = _common(task["data"], f"{path.stem}-{task.get('id', i)}")
        versions = [_labels_to_fields(_ls_result_labels(a["result"])) for a in anns]
        chosen = anns[-1]
        annotator = chosen.get("completed_by")
        if isinstance(annotator, dict):
            annotator = annotator.get("email") or annotator.get("id")
        if annotator is not None:
            rec["meta"]["annotator"] = annotator
        conflict = None
        if len({_key(v) for v in versions}) > 1:
            conflict = {"kind": "annotators", "id": rec["id"], "where": [where],
                        "labels": [_describe(v) for v in versions],
                        "annotators": [a.get("completed_by") for a in anns], "kept": _describe(versions[-1])}
        yield _Raw(where, None, {**rec, **versions[-1]}, conflict)


def _read_prodigy(path: Path, report: ImportReport) -> Iterator[_Raw]:
    for lineno, rec in _json_lines(path):
        report.records += 1
        answer = rec.get("answer")
        if answer is None:
            report.unlabelled += 1
            continue
        if answer != "accept":
            report.rejected += 1
            continue
        base = _common(rec, f"{path.stem}-{rec.get('_input_hash', lineno)}")
        base["meta"] = {**(rec.get("paradox_meta") if isinstance(rec.get("paradox_meta"), dict) else {})}
        if rec.get("_annotator_id") or rec.get("_session_id"):
            base["meta"]["annotator"] = rec.get("_annotator_id") or rec.get("_session_id")
        accept = rec.get("accept") or []
        if not isinstance(accept, list):
            raise errors.CorpusError(str(path), lineno, f"must be a list of option ids, got {accept!r}", "accept")
        yield _Raw(f"line {lineno}", lineno, {**base, **_labels_to_fields(accept)})


def _read_doccano(path: Path, report: ImportReport) -> Iterator[_Raw]:
    for lineno, rec in _json_lines(path):
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
        base = _common(rec, f"{path.stem}-{rec.get('id', lineno)}")
        yield _Raw(f"line {lineno}", lineno, {**base, **_labels_to_fields(labels)})


def _read_csv(path: Path, report: ImportReport) -> Iterator[_Raw]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise errors.CorpusError(str(path), None, f"not UTF-8 ({e.reason} at byte {e.start}); save the CSV as "
                                 f"UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise errors.CorpusError(str(path), 1, f"the header needs the columns text and phase (and passage_id, "
                                 f"poles, response, doc_id, lang, genre, meta); got {reader.fieldnames}")
    prev = 1
    for row in reader:
        lineno, prev = prev + 1, reader.line_num
        report.records += 1
        if not (row.get("phase") or "").strip():
            report.unlabelled += 1
            continue
        meta: dict = {}
        if (row.get("meta") or "").strip():
            try:
                meta = json.loads(row["meta"])
            except json.JSONDecodeError as e:
                raise errors.CorpusError(str(path), lineno, f"malformed JSON ({e.msg})", "meta") from None
        row = {k: v for k, v in row.items() if k is not None}
        base = _common({**row, ID_KEY: row.get(ID_KEY) or row.get("id"), "meta": meta},
                       f"{path.stem}#{lineno}")
        poles = [p for p in re.split(r"[\s;,|]+", row.get("poles") or "") if p]
        labels = [f"phase:{row['phase'].strip()}"] + [f"pole:{p}" if ":" not in p else p for p in poles]
        if (row.get("response") or "").strip():
            labels.append(f"response:{row['response'].strip()}")
        yield _Raw(f"line {lineno}", lineno, {**base, **_labels_to_fields(labels)})


READERS = {"labelstudio": _read_labelstudio, "prodigy": _read_prodigy, "doccano": _read_doccano, "csv": _read_csv}


def _describe(fields_or_passage) -> str:
    if isinstance(fields_or_passage, AnnotatedPassage):
        p = fields_or_passage
        phase, poles, response = p.phase, p.poles, p.response
    else:
        phase, poles, response = (fields_or_passage.get("phase"), fields_or_passage.get("poles", []),
                                  fields_or_passage.get("response"))
    return f"{phase}; poles: {' '.join(sort_poles(poles)) or '-'}; response: {response or '-'}"


def _labels_of(p: AnnotatedPassage) -> tuple:
    return p.phase, tuple(p.poles), p.response


def import_annotations(path: str | os.PathLike, fmt: str, on_conflict: str = "first"
                       ) -> tuple[list[AnnotatedPassage], ImportReport]:
    """Read an annotation tool's export into corpus passages, checked like the corpus.

    Conflicting duplicates (the same id, or the same text, with different
    labels; or the annotators of one Label Studio task disagreeing) are listed
    in the report. ``on_conflict`` says what is kept: ``first`` the first
    version, ``drop`` none of them, ``error`` raises
    :class:`~pipeline.errors.CorpusError`. Exact duplicates are dropped and
    counted.
    """
    if fmt not in FORMATS:
        raise ValueError(errors.unknown_label("format", fmt, FORMATS))
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
    for raw in READERS[fmt](path, report):
        p = _check(path, raw)
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
                                     "labels": [_describe(prev), _describe(p)], "kept": _describe(prev)})
            dropped.add(p.id)
            continue
        other = by_text.get(norm)
        if other is not None and _labels_of(other) != _labels_of(p):
            report.conflicts.append({"kind": "text", "id": p.id, "other_id": other.id,
                                     "where": [where_of[other.id], raw.where],
                                     "labels": [_describe(other), _describe(p)], "kept": _describe(other)})
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
    """Write corpus passages as SPEC §3.1 JSONL, atomically."""
    from ..output import atomic_write

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(dest) as fh:
        for p in passages:
            fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    return dest
