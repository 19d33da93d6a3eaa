"""Comparing two models: the same numbers as `paradox evaluate`, a seeded paired bootstrap, the CLI."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.compare import SUMMARY_ROWS, bootstrap_deltas, compare, compare_taggers, label_matrix
from pipeline.evaluate import evaluate_tagger
from pipeline.model import make_model, save_model
from pipeline.tagger import load_tagger

from .conftest import tiny_passages


@pytest.fixture(scope="module")
def weak_model_dir(tmp_path_factory):
    """A model that saw only the first alliance: worse on the rest."""
    train = [p for p in tiny_passages() if p.alliance == "a1"]
    model = make_model("tfidf", C=1.0, folds=2, min_df=1).fit(train)
    return save_model(model, tmp_path_factory.mktemp("weak") / "weak", name="weak", version="0.0.1")


def test_point_estimates_are_evaluates(tiny_model_dir, weak_model_dir):
    gold = tiny_passages()
    res = compare(str(weak_model_dir), str(tiny_model_dir), gold, draws=200, seed=3)
    ev_a = evaluate_tagger(load_tagger(weak_model_dir), gold)["all"]
    ev_b = evaluate_tagger(load_tagger(tiny_model_dir), gold)["all"]
    rows = {r["label"]: r for r in res["rows"]}
    assert res["model_a"] == "weak@0.0.1" and res["model_b"] == "tiny@0.0.1" and res["n"] == len(gold)
    for label, r in rows.items():
        if label in SUMMARY_ROWS:
            assert (r["f1_a"], r["f1_b"]) == (ev_a["headline"][label], ev_b["headline"][label])
            continue
        dim, name = label.split(":")
        src_a = ev_a["tensions"]["any"] if label == "tension:any" else ev_a[dim]["per_label"][name]
        src_b = ev_b["tensions"]["any"] if label == "tension:any" else ev_b[dim]["per_label"][name]
        assert (r["f1_a"], r["f1_b"], r["support"]) == (src_a["f1"], src_b["f1"], src_a["support"])
        assert r["delta"] == pytest.approx(r["f1_b"] - r["f1_a"], abs=1e-4)
    # the overfitted model is better overall, and the interval says so
    head = rows["phase_macro_f1"]
    assert head["delta"] > 0 and head["ci_low"] > 0 and head["significant"]
    for r in res["rows"]:
        assert r["ci_low"] <= r["ci_high"]


def test_a_model_against_itself_differs_by_nothing(tiny_model_dir):
    tagger = load_tagger(tiny_model_dir)
    res = compare_taggers(tagger, tagger, tiny_passages(), draws=50)
    assert all(r["delta"] == 0 and r["ci_low"] == 0 and r["ci_high"] == 0 and not r["significant"]
               for r in res["rows"])


def test_bootstrap_is_paired_seeded_and_exact_on_hand_made_labels():
    gold = tiny_passages()
    names, G = label_matrix(gold, "gold")
    perfect = G.copy()
    wrong = ~G
    d = bootstrap_deltas(G, wrong, perfect, names, draws=300, seed=0)
    assert d["phase:none"].shape == (300,)
    # a perfect B against an always-wrong A: F1 1 against 0 on every draw where the label occurs
    assert set(np.round(d["phase:none"], 6)) <= {0.0, 1.0} and np.median(d["phase:none"]) == 1.0
    assert np.allclose(d["phase_macro_f1"], 1.0)
    again = bootstrap_deltas(G, wrong, perfect, names, draws=300, seed=0)
    assert all(np.array_equal(again[k], d[k]) for k in d)
    other = bootstrap_deltas(G, wrong, perfect, names, draws=300, seed=1, chunk=70)
    assert other.keys() == d.keys()
    # the F1 of a draw is the F1 of the resampled passages: check one draw by hand
    rng = np.random.default_rng(5)
    half = G.copy()
    half[::2] = False
    one = bootstrap_deltas(G, G, half, names, draws=1, seed=5)
    idx = rng.integers(0, len(G), size=(1, len(G)))[0]
    g, p = G[idx], half[idx]
    j = names.index("poles:trust")
    tp, fp, fn = (g[:, j] & p[:, j]).sum(), (~g[:, j] & p[:, j]).sum(), (g[:, j] & ~p[:, j]).sum()
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    assert one["poles:trust"][0] == pytest.approx(f1 - (1.0 if g[:, j].any() else 0.0))


def test_cli_compare(tiny_model_dir, weak_model_dir, tiny_corpus_file, tmp_path):
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"documents": {"a1-doc": "train", "a2-doc": "dev", "a3-doc": "test",
                                                "a4-doc": "test"}}), encoding="utf-8")
    runner = CliRunner()
    args = ["compare", str(weak_model_dir), str(tiny_model_dir), str(tiny_corpus_file), "--splits", str(splits),
            "--draws", "100"]
    r = runner.invoke(app, args + ["--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["n"] == 14 and out["draws"] == 100 and len(out["rows"]) == 22 + len(SUMMARY_ROWS)
    r = runner.invoke(app, args)
    assert r.exit_code == 0 and "95% CI" in r.stdout and "phase:forming" in r.stdout
    r = runner.invoke(app, ["compare", str(tmp_path / "nope"), str(tiny_model_dir), str(tiny_corpus_file)])
    assert r.exit_code == 2 and "does not exist" in r.output
    r = runner.invoke(app, args + ["--split", "holdout"])
    assert r.exit_code == 2 and "allowed: all, train, dev, test" in r.output
    assert "Example: paradox compare" in runner.invoke(app, ["compare", "--help"]).output
