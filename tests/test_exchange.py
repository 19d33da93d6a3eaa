"""The exchange with other tools: Label Studio, Prodigy, doccano and CSV files written, annotated, read back
(REFI-QDA has tests/test_refi.py)."""

import csv
import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corpus import read_corpus
from pipeline.errors import CorpusError
from pipeline.exchange import ANNOTATION_TOOLS as FORMATS
from pipeline.exchange import import_annotations, labelstudio, prodigy, tool
from pipeline.exchange.importer import write_corpus
from pipeline.exchange.labelstudio import CONFIG_PATH
from pipeline.exchange.tagged import read_passages
from pipeline.labels import PHASES, POLES, RESPONSES

from .conftest import tiny_passages

runner = CliRunner()


def _core(p):
    return (p.id, p.text, p.phase, p.poles, p.response, p.doc_id, p.lang, p.genre, p.meta.get("alliance"))


def _annotate(fmt, exported, dest):
    """What an annotator accepting every pre-annotation gets back from the tool's export."""
    if fmt == "labelstudio":
        tasks = json.loads(exported.read_text(encoding="utf-8"))
        for n, t in enumerate(tasks, 1):
            t["id"] = n
            t["annotations"] = [{"id": n, "completed_by": 7, "was_cancelled": False,
                                 "result": t.pop("predictions")[0]["result"]}]
        dest.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    elif fmt == "prodigy":
        with dest.open("w", encoding="utf-8") as fh:
            for line in exported.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                rec.update(answer="accept", _input_hash=hash(rec["text"]), _annotator_id="ann-1", _view_id="choice")
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elif fmt == "doccano":  # doccano's export: its own id, the text, the label list, other columns kept
        with dest.open("w", encoding="utf-8") as fh:
            for n, line in enumerate(exported.read_text(encoding="utf-8").splitlines(), 1):
                fh.write(json.dumps({"id": n, **json.loads(line), "Comments": []}, ensure_ascii=False) + "\n")
    else:
        dest.write_bytes(exported.read_bytes())
    return dest


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_through_each_tool(fmt, tmp_path):
    gold = tiny_passages()
    exported = tool(fmt).export(list(gold), tmp_path / f"tasks.{fmt}")
    annotated = _annotate(fmt, exported, tmp_path / f"annotated.{fmt}")
    passages, report = import_annotations(annotated, fmt)
    assert [_core(p) for p in passages] == [_core(p) for p in gold]
    assert report.imported == report.records == len(gold) and not report.conflicts
    assert all(p.meta["source"] == fmt for p in passages)
    out = write_corpus(passages, tmp_path / "corpus.jsonl")
    assert [_core(p) for p in read_corpus(out)] == [_core(p) for p in gold]


def test_formats_look_like_the_tools_expect(tmp_path):
    items = tiny_passages()[:2]
    # Label Studio: a JSON array of tasks with data.text and choices predictions
    tasks = json.loads(tool("labelstudio").export(items, tmp_path / "t.json").read_text(encoding="utf-8"))
    assert isinstance(tasks, list) and tasks[1]["data"]["text"] == items[1].text
    results = {r["from_name"]: r for r in tasks[1]["predictions"][0]["result"]}
    assert {r["type"] for r in results.values()} == {"choices"}
    assert all(r["to_name"] == "text" for r in results.values())
    assert results["phase"]["value"]["choices"] == ["forming"]
    assert results["poles"]["value"]["choices"] == ["trust", "analysis"]
    assert results["response"]["value"]["choices"] == ["balance"]
    # Prodigy: options and accept
    rec = json.loads((tool("prodigy").export(items, tmp_path / "p.jsonl")).read_text().splitlines()[1])
    assert rec["accept"] == ["phase:forming", "pole:trust", "pole:analysis", "response:balance"]
    assert {o["id"] for o in rec["options"]} >= set(rec["accept"]) and len(rec["options"]) == 17
    assert rec["config"] == {"choice_style": "multiple"}
    # doccano: text and label list
    rec = json.loads((tool("doccano").export(items, tmp_path / "d.jsonl")).read_text().splitlines()[0])
    assert rec["label"] == ["phase:forming", "pole:trust"] and rec["passage_id"] == items[0].id
    # CSV: a header and one row per passage
    with tool("csv").export(items, tmp_path / "c.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[1]["poles"] == "trust analysis" and rows[1]["response"] == "balance"


def test_labelstudio_config_matches_the_labels():
    # the shipped file is the one made from the label table
    assert CONFIG_PATH.read_text(encoding="utf-8") == labelstudio.config_xml()
    root = ET.fromstring(labelstudio.config_xml())
    assert root.tag == "View" and CONFIG_PATH.name == "labelstudio_config.xml"
    (text,) = root.iter("Text")
    assert text.get("name") == "text" and text.get("value") == "$text"
    choices = {c.get("name"): c for c in root.iter("Choices")}
    assert set(choices) == {"phase", "poles", "response"}
    assert all(c.get("toName") == "text" for c in choices.values())
    assert [x.get("value") for x in choices["phase"]] == list(PHASES) and choices["phase"].get("required") == "true"
    assert [x.get("value") for x in choices["poles"]] == list(POLES) and choices["poles"].get("choice") == "multiple"
    assert [x.get("value") for x in choices["response"]] == list(RESPONSES)
    # the exporter's predictions use exactly these control names and values
    pred = labelstudio.tasks([tiny_passages()[1]])[0]["predictions"][0]["result"]
    for r in pred:
        assert set(r["value"]["choices"]) <= {x.get("value") for x in choices[r["from_name"]]}
    assert [o["id"].split(":")[1] for o in prodigy.options()] == [*PHASES, *POLES, *RESPONSES]


def test_export_tagged_output_with_scores(tiny_model_dir, tmp_path):
    from pipeline.batch import run

    doc = tmp_path / "docs" / "a.md"
    doc.parent.mkdir()
    doc.write_text("We kept our core identity while reacting quickly to the new regulation.\n\n"
                   "Apologies were received from Sarah and Tom.\n", encoding="utf-8")
    run([doc.parent], tmp_path / "out", model_path=str(tiny_model_dir))
    items = read_passages(tmp_path / "out")
    assert len(items) == 2 and items[0].model == "tiny@0.0.1" and items[0].phase_scores
    task = labelstudio.tasks(items)[0]
    pred = task["predictions"][0]
    assert pred["model_version"] == "tiny@0.0.1" and 0 < pred["score"] <= 1
    assert task["data"]["meta"]["path"] == "a.md" and task["data"]["meta"]["start"] == 0
    r = runner.invoke(app, ["annotations", "export", str(tmp_path / "out"), "--to", "doccano",
                            "--out", str(tmp_path / "d.jsonl")])
    assert r.exit_code == 0, r.output
    assert len((tmp_path / "d.jsonl").read_text().splitlines()) == 2


def test_labelstudio_import_details(tmp_path):
    def res(phase, poles=()):
        out = [{"from_name": "phase", "to_name": "text", "type": "choices", "value": {"choices": [phase]}}]
        if poles:
            out.append({"from_name": "poles", "to_name": "text", "type": "choices", "value": {"choices": list(poles)}})
        return out

    tasks = [
        {"id": 1, "data": {"text": "De statuten regelen alles.", "passage_id": "d#1"},
         "annotations": [{"result": res("founding", ["content"]), "completed_by": 1, "updated_at": "2024-01-02"},
                         {"result": res("none"), "completed_by": 2, "updated_at": "2024-01-01"},
                         {"result": res("forming"), "completed_by": 3, "was_cancelled": True}]},
        {"id": 2, "data": {"text": "Nog niet gelabeld."}, "annotations": [],
         "predictions": [{"result": res("none")}]},
        {"id": 3, "data": {"text": "Zonder passage id."}, "annotations": [{"result": res("none"), "completed_by": 1}]},
    ]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    passages, report = import_annotations(path, "labelstudio")
    assert [(p.id, p.phase, p.poles) for p in passages] == [("d#1", "founding", ["content"]), ("ls-3", "none", [])]
    assert report.unlabelled == 1 and passages[0].meta["annotator"] == "1"  # a user id, as the string the corpus keeps
    (c,) = report.conflicts
    assert c["kind"] == "passage" and c["id"] == "d#1" and len(c["labels"]) == 2 and c["annotators"] == ["2", "1"]
    _, report = import_annotations(path, "labelstudio", on_conflict="drop")
    assert report.imported == 1
    # JSON-MIN export: flat records
    path.write_text(json.dumps([{"id": 5, "text": "Samen droomden we.", "phase": "forming",
                                 "poles": {"choices": ["cocreation", "trust"]}, "annotator": "a@b"}]), encoding="utf-8")
    (p,), _ = import_annotations(path, "labelstudio")
    assert (p.phase, p.poles, p.meta["annotator"]) == ("forming", ["trust", "cocreation"], "a@b")


def test_prodigy_answers_and_doccano_bare_labels(tmp_path):
    lines = [{"text": "a b c", "accept": ["phase:none"], "answer": "accept", "passage_id": "x"},
             {"text": "d e f", "accept": ["phase:none"], "answer": "reject"},
             {"text": "g h i", "accept": ["phase:none"], "answer": "ignore"},
             {"text": "j k l", "accept": ["phase:none"]}]
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    passages, report = import_annotations(path, "prodigy")
    assert [p.id for p in passages] == ["x"] and report.rejected == 2 and report.unlabelled == 1
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": 9, "text": "m n o", "label": ["evolution", "process", "accept"]}) + "\n"
                    + json.dumps({"id": 10, "text": "p q r", "label": []}) + "\n", encoding="utf-8")
    (p,), report = import_annotations(path, "doccano")
    assert (p.id, p.phase, p.poles, p.response) == ("d-9", "evolution", ["process"], "accept")
    assert report.unlabelled == 1


def test_errors_name_file_and_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "ok", "label": ["phase:none"]}) + "\n"
                    + json.dumps({"text": "bad", "label": ["phase:none", "pole:trusst"]}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"d\.jsonl:2: field 'poles': unknown pole 'trusst'; allowed: trust"):
        import_annotations(path, "doccano")
    path.write_text(json.dumps({"text": "x", "label": ["phase:none", "phase:forming"]}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"d\.jsonl:1: field 'phase': line 1: more than one phase"):
        import_annotations(path, "doccano")
    path.write_text(json.dumps({"text": "  ", "label": ["phase:none"]}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"d\.jsonl:1: field 'text': empty text"):
        import_annotations(path, "doccano")
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"d\.jsonl:1: malformed JSON"):
        import_annotations(path, "doccano")
    ls = tmp_path / "ls.json"
    ls.write_text(json.dumps([{"id": 4, "data": {"text": "t"}, "annotations": [{"result": [
        {"from_name": "phase", "type": "choices", "value": {"choices": ["middle"]}}]}]}]), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"ls\.json: field 'phase': task 1 \(Label Studio id 4\): unknown phase "
                                          r"'middle'"):
        import_annotations(ls, "labelstudio")
    c = tmp_path / "c.csv"
    c.write_text("passage_id,text,phase,poles\na,\"two\nlines\",none,\nb,fine,none,stability wendbaar\n",
                 encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.csv:4: field 'poles': unknown pole 'wendbaar'"):
        import_annotations(c, "csv")
    c.write_text("id,phase\nx,none\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.csv:1: the header needs the columns text and phase"):
        import_annotations(c, "csv")


def test_conflicting_and_exact_duplicates(tmp_path):
    rows = [("a", "Tekst een.", "none", ""), ("a", "Tekst een.", "none", ""),       # exact duplicate
            ("b", "Tekst twee.", "forming", "trust"), ("b", "Tekst twee.", "founding", "trust"),  # same id
            ("c", "Tekst  drie.", "evolution", ""), ("d", "tekst drie.", "transformation", ""),  # same text
            ("e", "Tekst een.", "none", "")]                                        # same text, same labels: kept
    c = tmp_path / "c.csv"
    with c.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["passage_id", "text", "phase", "poles"])
        w.writerows(rows)
    passages, report = import_annotations(c, "csv")
    assert [p.id for p in passages] == ["a", "b", "c", "e"] and report.duplicates == 1
    kinds = [(x["kind"], x["id"]) for x in report.conflicts]
    assert kinds == [("passage", "b"), ("text", "d")]
    assert report.conflicts[0]["where"] == ["line 4", "line 5"] and "founding" in report.conflicts[0]["labels"][1]
    passages, _ = import_annotations(c, "csv", on_conflict="drop")
    assert [p.id for p in passages] == ["a", "e"]
    with pytest.raises(CorpusError, match="2 conflicting duplicate"):
        import_annotations(c, "csv", on_conflict="error")


def test_cli_import_and_export(tmp_path, tiny_corpus_file):
    out = tmp_path / "tasks.json"
    r = runner.invoke(app, ["annotations", "export", str(tiny_corpus_file), "--to", "labelstudio", "--out", str(out)])
    assert r.exit_code == 0 and "labelstudio_config.xml" in r.output
    done = _annotate("labelstudio", out, tmp_path / "done.json")
    r = runner.invoke(app, ["annotations", "import", "--from", "labelstudio", str(done), "--out",
                            str(tmp_path / "corpus.jsonl"), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["imported"] == 28
    r = runner.invoke(app, ["corpus", "validate", str(tmp_path / "corpus.jsonl")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["annotations", "import", "--from", "excel", str(done), "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "allowed: labelstudio, prodigy, doccano, csv" in r.output
    for cmd in (["import"], ["export"]):
        assert "Example: paradox annotations" in runner.invoke(app, ["annotations", *cmd, "--help"]).output
