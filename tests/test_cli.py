import json

from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import ROOT

runner = CliRunner()


def test_help_has_examples():
    for cmd in (["tag"], ["train"], ["evaluate"], ["corpus", "validate"], ["corpus", "stats"], ["explain"],
                ["stats"]):
        r = runner.invoke(app, [*cmd, "--help"])
        assert r.exit_code == 0 and "Example: paradox" in r.output, cmd


def test_corpus_validate_and_stats(tiny_corpus_file, tmp_path):
    r = runner.invoke(app, ["corpus", "validate", str(tiny_corpus_file)])
    assert r.exit_code == 0, r.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "t", "phase": "nope"}\n', encoding="utf-8")
    r = runner.invoke(app, ["corpus", "validate", str(bad)])
    assert r.exit_code == 1 and f"{bad}:1: field 'phase': unknown phase 'nope'" in r.output
    r = runner.invoke(app, ["corpus", "stats", str(tiny_corpus_file), "--json"])
    assert json.loads(r.stdout)["passages"] == 28


def test_train_evaluate_tag_stats(tiny_corpus_file, tmp_path):
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"documents": {"a1-doc": "train", "a3-doc": "train", "a2-doc": "dev",
                                                "a4-doc": "test"}}), encoding="utf-8")
    model = tmp_path / "m"
    r = runner.invoke(app, ["train", str(tiny_corpus_file), "--out", str(model), "--splits", str(splits)])
    assert r.exit_code == 0, r.output
    cfg = json.loads((model / "config.json").read_text())
    assert cfg["training"]["n"] == {"train": 20, "dev": 4, "test": 4, "transfer-dev": 0, "transfer-test": 0} and len(cfg["training"]["data_hash"]) == 16
    # without --backend it repeats the shipped default's recipe: its backend and every setting
    default = json.loads((ROOT / "models" / "default" / "config.json").read_text())
    assert cfg["backend"] == default["backend"]
    assert default["model"]["settings"].items() <= cfg["model"]["settings"].items()
    assert "recipe: the shipped default's" in r.output
    plain = tmp_path / "plain"
    r = runner.invoke(app, ["train", str(tiny_corpus_file), "--out", str(plain), "--splits", str(splits),
                            "--backend", "tfidf"])
    assert r.exit_code == 0, r.output
    assert json.loads((plain / "config.json").read_text())["model"]["settings"]["calibrate_on"] == "oof"
    r = runner.invoke(app, ["evaluate", str(model), str(tiny_corpus_file), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["all"]["n"] == 28
    doc = tmp_path / "d.md"
    doc.write_text("Het bestuur kwam bijeen.\n\nThe board met.\n", encoding="utf-8")
    out = tmp_path / "out"
    r = runner.invoke(app, ["tag", str(doc), "--out", str(out), "--model", str(model), "--json", "--quiet"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["passages"] == 2
    r = runner.invoke(app, ["stats", str(out)])
    assert r.exit_code == 0 and json.loads((out / "summary.json").read_text())["statistics"]["overall"]["passages"] == 2


def test_usage_errors_exit_2(tmp_path):
    r = runner.invoke(app, ["tag", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "does not exist" in r.output
    r = runner.invoke(app, ["tag", str(tmp_path), "--out", str(tmp_path / "o"), "--model", str(tmp_path)])
    assert r.exit_code == 2 and "no config.json" in r.output


def test_explain(tiny_model_dir):
    r = runner.invoke(app, ["explain", "The charter sets out voting rules and fees.", "--model", str(tiny_model_dir),
                            "--json"])
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert out["phase"] == "founding" and any(x["label"] == "founding" for x in out["reasons"])
    r = runner.invoke(app, ["explain", "The charter sets out voting rules and fees.", "--model", str(tiny_model_dir)])
    assert r.exit_code == 0 and r.output.startswith("phase founding") and "\nphase founding (" in r.output
