"""Passages reviewed in the report: read back by `paradox annotations import --from review`, learnt from by
`paradox train`, counted in the model's lineage."""

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.corpus import split_of
from pipeline.errors import CorpusError
from pipeline.exchange.importer import import_annotations

runner = CliRunner()


def row(i: int, phase: str = "founding", poles=("content",), model_phase: str = "none", **meta) -> dict:
    """One row as the report's download writes it."""
    return {"id": f"reports/2021#{i}", "doc_id": "reports/2021", "text": f"De statuten regelen punt {i}.",
            "lang": "nl", "phase": phase, "poles": list(poles), "response": None,
            "meta": {"path": "reports/2021.docx", "start": 40 * i, "end": 40 * i + 28, "model": "default@2.0.0",
                     "reviewed": True, "reviewer": "A. de Vries", "reviewed_at": "2025-03-14T09:30:00.000Z",
                     "model_labels": {"phase": model_phase, "poles": []}, **meta}}


def write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_reviewed_rows_import_as_they_are(tmp_path):
    untouched = row(9)
    untouched["meta"]["reviewed"] = False
    src = write(tmp_path / "review.jsonl", [row(1), row(2, "none", (), model_phase="none"), untouched])
    out = tmp_path / "reviewed.jsonl"
    r = runner.invoke(app, ["annotations", "import", "--from", "review", str(src), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "3 records: 2 passages" in r.output and "1 unlabelled" in r.output
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == ["reports/2021#1", "reports/2021#2"]
    assert got[0]["phase"] == "founding" and got[0]["poles"] == ["content"]
    m = got[0]["meta"]
    assert m["reviewed"] is True and m["reviewer"] == "A. de Vries" and m["reviewed_at"].startswith("2025-03-14")
    assert m["model_labels"] == {"phase": "none", "poles": []} and (m["start"], m["end"]) == (40, 68)
    assert m["source"] == "review"


@pytest.mark.parametrize("meta,field", [({"reviewer": " "}, "meta.reviewer"),
                                        ({"reviewed_at": "yesterday"}, "meta.reviewed_at"),
                                        ({"reviewed_at": 20250314}, "meta.reviewed_at"),
                                        ({"model_labels": {"phase": "storming", "poles": []}}, "meta.model_labels"),
                                        ({"model_labels": {"phase": "none", "poles": ["hope"]}}, "meta.model_labels")])
def test_a_malformed_review_names_line_and_field(tmp_path, meta, field):
    src = write(tmp_path / "review.jsonl", [row(1), row(2, **meta)])
    with pytest.raises(CorpusError) as e:
        import_annotations(src, "review")
    assert e.value.field == field and ":2:" in str(e.value)


def test_reviewed_passages_go_to_train_unless_the_splits_say_otherwise(tmp_path):
    src = write(tmp_path / "review.jsonl", [row(1)])
    (p,), _ = import_annotations(src, "review")
    assert p.reviewed and split_of(p, {}) == "train"
    assert split_of(p, {"reports/2021": "test"}) == "test"
    unsigned = row(2, reviewer="")
    assert not type(p)(**{**p.__dict__, "meta": unsigned["meta"]}).reviewed


def test_train_learns_from_reviewed_passages_and_counts_them(tiny_corpus_file, tmp_path):
    src = write(tmp_path / "review.jsonl", [row(1), row(2), row(3, "evolution", ("process",))])
    reviewed = tmp_path / "reviewed.jsonl"
    assert runner.invoke(app, ["annotations", "import", "--from", "review", str(src), "--out", str(reviewed)]).exit_code == 0
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"documents": {"a1-doc": "train", "a3-doc": "train", "a2-doc": "dev",
                                                "a4-doc": "test"}}), encoding="utf-8")
    model = tmp_path / "model"
    r = runner.invoke(app, ["train", str(tiny_corpus_file), str(reviewed), "--out", str(model),
                            "--splits", str(splits)])
    assert r.exit_code == 0, r.output
    tr = json.loads((model / "config.json").read_text())["training"]
    assert tr["n"]["train"] == 20 + 3
    assert tr["reviewed_passages"] == 3 == tr["reviewed_in_train"] and tr["reviewers"] == ["A. de Vries"]
    assert "reviewed in a report: 3 passages (3 in train) by A. de Vries" in (model / "README.md").read_text()
