"""Mistakes users make end in a clear message, and nothing is read twice (issue cases one by one)."""

import json

from typer.testing import CliRunner

from pipeline.batch import run
from pipeline.cli import app
from pipeline.corpus import read_corpus
from pipeline.errors import CorpusError

runner = CliRunner()
TEXT = "De leden spraken lang met elkaar over de statuten en het secretariaat.\n\nThe board met in May.\n"


def test_an_output_folder_inside_the_input_is_never_read_back(tiny_model_dir, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_text(TEXT, encoding="utf-8")
    first = run([src], src / "results", model_path=str(tiny_model_dir))
    second = run([src], src / "results", model_path=str(tiny_model_dir))
    assert first.passages == second.passages == 2 and second.documents == 1
    assert second.output_folders_left_out == [str(src / "results")]
    # another run's output folder in the input is left out too, and the CLI says so once
    other = run([src], src / "elsewhere", model_path=str(tiny_model_dir))
    assert other.documents == 1 and sorted(other.output_folders_left_out) == sorted(
        [str(src / "elsewhere"), str(src / "results")])
    r = runner.invoke(app, ["tag", str(src), "--out", str(tmp_path / "o"), "--model", str(tiny_model_dir)])
    assert r.exit_code == 0 and r.output.count("output folder(s), never read as input") == 1


def test_out_naming_a_file_is_a_usage_error(tiny_model_dir, tmp_path):
    (tmp_path / "a.md").write_text(TEXT, encoding="utf-8")
    target = tmp_path / "taken.txt"
    target.write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["tag", str(tmp_path / "a.md"), "--out", str(target), "--model", str(tiny_model_dir)])
    assert r.exit_code == 2 and f"--out {target} is a file, not a folder" in r.output
    assert target.read_text(encoding="utf-8") == "x"


def test_wrong_types_in_input_jsonl_say_what_is_wrong(tiny_model_dir, tmp_path):
    lines = [{"id": "p1", "text": "Een goede passage over de statuten."}, {"id": "p3", "text": 5},
             {"id": ["x"], "text": "ok"}, {"id": "p5", "text": "ok", "lang": 7}, ["not", "an", "object"],
             {"id": "p7"}, {"id": "p8", "text": "   "}]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken\n", encoding="utf-8")
    s = run([f], tmp_path / "out", model_path=str(tiny_model_dir))
    messages = [e["message"] for e in s.errors]
    assert s.passages == 1
    assert messages == ["line 2: field 'text' must be a string, got a number",
                        "line 3: field 'id' must be a string, got a list",
                        "line 4: field 'lang' must be a string (nl, en or other), got a number",
                        "line 5: expected a JSON object, got a list",
                        "line 6: field 'text' is missing",
                        "line 7: field 'text' is empty",
                        "line 8: malformed JSON (Expecting property name enclosed in double quotes at column 2)"]


def test_wrong_types_in_the_corpus_say_what_is_wrong(tmp_path):
    import pytest

    base = {"id": "d#1", "text": "Tekst.", "phase": "none"}
    cases = [({**base, "text": 5}, "field 'text': must be a string, got a number"),
             ({**base, "id": 12}, "field 'id': must be a string, got a number"),
             ({**base, "phase": ["none"]}, "field 'phase': must be a string (a phase id), got a list"),
             ({**base, "poles": "trust"}, "field 'poles': must be a list of pole ids, got a string"),
             ({**base, "poles": [1]}, "field 'poles': must be a list of pole ids (strings), got an item that is a number"),
             ({**base, "meta": {"start": "3"}}, "field 'meta.start': must be a character offset"),
             ({**base, "meta": {"end": -1}}, "field 'meta.end': must be a character offset")]
    for rec, words in cases:
        f = tmp_path / "c.jsonl"
        f.write_text(json.dumps(rec) + "\n", encoding="utf-8")
        with pytest.raises(CorpusError) as e:
            read_corpus(f)
        assert f"{f}:1: {words}" in str(e.value), str(e.value)


def test_refi_export_finds_the_sources_from_any_directory(tiny_model_dir, tmp_path, monkeypatch):
    """summary.json records the absolute input roots, so the export needs no --input-root (issue case 5)."""
    import zipfile

    project = tmp_path / "project"
    (project / "examples").mkdir(parents=True)
    (project / "examples" / "a.md").write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(project)
    run(["examples"], tmp_path / "o", model_path=str(tiny_model_dir))  # a relative input, as a user types it
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["run"]["input_roots"] == [str(project / "examples")]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    r = runner.invoke(app, ["export", "refi", str(tmp_path / "o"), "--out", str(tmp_path / "p.qdpx")])
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(tmp_path / "p.qdpx") as zf:
        texts = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("sources/")]
    assert texts == [TEXT.rstrip("\n")] or texts == [TEXT]
