"""Label Studio: tasks with the labels as ``predictions``; its JSON or JSON-MIN export read back.

The labelling config (:func:`config_xml`, shipped as ``labelstudio_config.xml`` beside this module) has
three ``Choices`` controls, ``phase``, ``poles`` and ``response``, whose values are the label ids.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from .. import errors
from ..labels import TABLE, LabelTable
from ..types import Passage
from . import records
from .importer import ImportReport
from .records import ID_KEY, Raw
from xml.sax.saxutils import quoteattr
from ..output import atomic_write

SUFFIX = ".json"
CONFIG_PATH = Path(__file__).resolve().parent / "labelstudio_config.xml"


def config_xml(table: LabelTable = TABLE) -> str:
    """The labelling config (XML) whose control names the tasks' predictions use, made from the label table
    (the copy shipped beside this module, :data:`CONFIG_PATH`, is checked against it by a test)."""

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


def _choice(name: str, choices: list[str], score: float | None = None) -> dict:
    r: dict[str, Any] = {"id": name, "from_name": name, "to_name": "text", "type": "choices",
                         "value": {"choices": choices}}
    if score is not None:
        r["score"] = score
    return r


def tasks(passages: Iterable[Passage], extra: dict[str, dict] | None = None) -> list[dict]:
    """Label Studio tasks with the labels as ``predictions`` (pre-annotations)."""
    out = []
    for p, meta in records.extras(passages, extra):
        phase, poles, response = getattr(p, "phase", None), list(getattr(p, "poles", [])), getattr(p, "response", None)
        result = []
        if phase:
            result.append(_choice("phase", [phase], getattr(p, "phase_scores", {}).get(phase)))
        if poles:
            result.append(_choice("poles", poles))
        if response:
            result.append(_choice("response", [response], getattr(p, "response_scores", {}).get(response)))
        task: dict[str, Any] = {"data": {"text": p.text, ID_KEY: p.id, "doc_id": p.doc_id, "lang": records.lang(p),
                                         "genre": records.genre(p), "meta": meta}}
        if result:
            pred: dict[str, Any] = {"model_version": getattr(p, "model", "") or "corpus", "result": result}
            if records.confidence(p) is not None:
                pred["score"] = records.confidence(p)
            task["predictions"] = [pred]
        out.append(task)
    return out


def export(passages: Iterable[Passage], dest: str | os.PathLike, extra: dict[str, dict] | None = None) -> Path:
    """Write the tasks as a JSON array to ``dest``, atomically."""

    dest = Path(dest)
    with atomic_write(dest) as fh:
        json.dump(tasks(passages, extra), fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return dest


def _result_labels(result: list[dict]) -> list[str]:
    labels: list[str] = []
    for r in result or []:
        if r.get("type") not in (None, "choices"):
            continue
        name = {"phase": "phase", "poles": "pole", "response": "response"}.get(r.get("from_name", ""), "")
        for c in (r.get("value") or {}).get("choices", []):
            labels.append(f"{name}:{c}" if name and ":" not in str(c) else c)
    return labels


def _min_labels(rec: dict) -> list[str]:
    labels: list[str] = []
    for k, kind in (("phase", "phase"), ("poles", "pole"), ("response", "response")):
        v = rec.get(k)
        if isinstance(v, dict):
            v = v.get("choices", [])
        if isinstance(v, str):
            v = [v] if v else []
        labels += [f"{kind}:{x}" for x in (v or [])]
    return labels


def _annotator(annotation: dict):
    who = annotation.get("completed_by")
    return who.get("email") or who.get("id") if isinstance(who, dict) else who


def read(path: Path, report: ImportReport) -> Iterator[Raw]:
    """The annotated tasks of a JSON or JSON-MIN export (the last annotation of a task is kept; annotators
    who disagree are reported as a conflict)."""
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
            labels = _min_labels(task)
            if not labels:
                report.unlabelled += 1
                continue
            rec = records.common(task, f"{path.stem}-{task.get('id', i)}")
            if task.get("annotator") is not None:
                rec["meta"]["annotator"] = str(task["annotator"])
            yield Raw(where, None, {**rec, **records.labels_to_fields(labels)})
            continue
        anns = [a for a in task.get("annotations") or task.get("completions") or []
                if isinstance(a, dict) and not a.get("was_cancelled")]
        anns = [a for a in anns if _result_labels(a.get("result", []))]
        if not anns:
            report.unlabelled += 1
            continue
        anns.sort(key=lambda a: str(a.get("updated_at") or a.get("created_at") or ""))
        rec = records.common(task["data"], f"{path.stem}-{task.get('id', i)}")
        versions = [records.labels_to_fields(_result_labels(a["result"])) for a in anns]
        annotator = _annotator(anns[-1])
        if annotator is not None:
            rec["meta"]["annotator"] = str(annotator)
        conflict = None
        if len({records.key(v) for v in versions}) > 1:
            conflict = records.conflict("passage", rec["id"], [where], versions,
                                        [_annotator(a) for a in anns], versions[-1])
        yield Raw(where, None, {**rec, **versions[-1]}, conflict)
