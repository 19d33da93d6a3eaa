"""Active learning: the uncertainty measures, the three strategies, the files written for the tools."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.exchange import import_annotations
from pipeline.labels import POLES
from pipeline.suggest import (phase_margin, phase_uncertainty, pole_uncertainty, rank, suggest, tag_pool,
                              write_suggestions)
from pipeline.tagger import load_tagger

from .conftest import TINY

POOL = [
    "The coordinator visited every member to talk through the frictions.",          # near a training passage
    "De werkgroep voerde gesprekken en de statuten regelen het secretariaat.",     # mixes two phases
    "We met our targets, and we kept our core identity while the market shifted.",
    "Samen droomden we van nieuwe plannen, maar eerst kijken we wat werkt.",
    "The next meeting will be held on 3 May at 10 am.",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    "Toen de subsidie wegviel, vroegen we drie jaar cijfers op.",
    "Over a long dinner the founders shared their audited accounts.",
    "Aanwezig: Jan, Piet en Klaas.",
    "Aanwezig:   Jan, Piet en Klaas.",                                              # the same text again
    "The charter sets out voting rules, fees and the admission criteria.",
    "Het proces-verbaal is opgemaakt door de deurwaarder.",
]


@pytest.fixture(scope="module")
def pool_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("pool") / "pool.jsonl"
    path.write_text("".join(json.dumps({"id": f"u{i}", "text": t}) + "\n" for i, t in enumerate(POOL)),
                    encoding="utf-8")
    return path


def test_uncertainty_measures():
    phase = np.array([[0.2] * 5, [1.0, 0, 0, 0, 0], [0.5, 0.5, 0, 0, 0]])
    assert np.allclose(phase_uncertainty(phase), [1.0, 0.0, np.log(2) / np.log(5)])
    assert np.allclose(phase_margin(phase), [0.0, 1.0, 0.0])
    t = np.array([0.3, 0.6])
    poles = np.array([[0.3, 0.0], [0.0, 1.0], [0.65, 0.8], [0.15, 0.6]])
    assert np.allclose(pole_uncertainty(poles, t), [1.0, 0.0, 0.5, 1.0])


def test_uncertainty_and_margin_rank_best_first(pool_file, tiny_model_dir):
    tagger = load_tagger(tiny_model_dir)
    res = suggest([pool_file], n=5, strategy="uncertainty", tagger=tagger)
    assert res.pool == len(POOL) and res.candidates == len(POOL) - 1  # the repeated text counts once
    scores = [s.score for s in res.suggestions]
    assert len(scores) == 5 and scores == sorted(scores, reverse=True)
    assert [s.rank for s in res.suggestions] == [1, 2, 3, 4, 5]
    # the score is what it says: the mean of phase entropy and pole closeness to threshold
    passages, _ = tag_pool([pool_file], tagger)
    all_ranked = rank(passages, tagger, n=len(passages))
    th = np.array([tagger.thresholds[k] for k in POLES])
    for s in all_ranked:
        ph = np.array([list(s.passage.phase_scores.values())])
        po = np.array([[s.passage.pole_scores[k] for k in POLES]])
        assert s.score == pytest.approx((phase_uncertainty(ph)[0] + pole_uncertainty(po, th)[0]) / 2)
    assert all_ranked[0].score >= all_ranked[-1].score
    res = suggest([pool_file], n=4, strategy="margin", tagger=tagger)
    margins = [s.margin for s in res.suggestions]
    assert margins == sorted(margins) and all(s.score == pytest.approx(1 - s.margin) for s in res.suggestions)


def test_diverse_takes_one_per_cluster(pool_file, tiny_model_dir):
    tagger = load_tagger(tiny_model_dir)
    res = suggest([pool_file], n=4, strategy="diverse", tagger=tagger, seed=1)
    picks = res.suggestions
    assert len(picks) == 4 and len({s.cluster for s in picks}) == 4
    assert len({s.passage.id for s in picks}) == 4
    again = suggest([pool_file], n=4, strategy="diverse", tagger=tagger, seed=1)
    assert [s.passage.id for s in again.suggestions] == [s.passage.id for s in picks]  # seeded
    # within its cluster, each pick is the most uncertain passage
    passages, _ = tag_pool([pool_file], tagger)
    full = {s.passage.id: s for s in rank(passages, tagger, n=len(passages))}
    for s in picks:
        assert s.score == pytest.approx(full[s.passage.id].score)
    # asking for more than the pool gives the whole pool
    assert len(suggest([pool_file], n=50, strategy="diverse", tagger=tagger).suggestions) == len(POOL) - 1


def test_exclude_annotated_and_folders(tmp_path, pool_file, tiny_model_dir, tiny_corpus_file):
    tagger = load_tagger(tiny_model_dir)
    corpus_texts = [t[-1] for t in TINY]
    path = tmp_path / "docs" / "minutes.md"
    path.parent.mkdir()
    path.write_text("\n\n".join(corpus_texts[:3] + ["Een geheel nieuwe alinea over de samenwerking."]),
                    encoding="utf-8")
    res = suggest([path.parent], n=10, tagger=tagger, exclude=[tiny_corpus_file])
    assert res.pool == 4 and res.candidates == 1
    assert res.suggestions[0].passage.text.startswith("Een geheel nieuwe")


@pytest.mark.parametrize("fmt", ["labelstudio", "prodigy", "doccano", "csv", "jsonl"])
def test_written_for_each_tool_with_pre_annotations(fmt, tmp_path, pool_file, tiny_model_dir):
    tagger = load_tagger(tiny_model_dir)
    res = suggest([pool_file], n=3, strategy="uncertainty", tagger=tagger)
    dest = write_suggestions(res, fmt, tmp_path / f"s.{fmt}")
    first = res.suggestions[0]
    if fmt == "labelstudio":
        tasks = json.loads(dest.read_text(encoding="utf-8"))
        assert [t["data"]["passage_id"] for t in tasks] == [s.passage.id for s in res.suggestions]
        result = tasks[0]["predictions"][0]["result"]
        assert result[0]["value"]["choices"] == [first.passage.phase]
        assert tasks[0]["data"]["meta"]["suggest"]["rank"] == 1
        assert tasks[0]["data"]["meta"]["suggest"]["strategy"] == "uncertainty"
    elif fmt == "jsonl":
        recs = [json.loads(line) for line in dest.read_text(encoding="utf-8").splitlines()]
        assert recs[0]["id"] == first.passage.id and recs[0]["suggest"]["score"] == round(first.score, 4)
        assert recs[0]["phase_scores"] == first.passage.phase_scores
    else:
        # the tool's own format reads back with the model's labels, which stay pre-labels unless accepted
        if fmt == "prodigy":
            lines = [json.loads(x) for x in dest.read_text(encoding="utf-8").splitlines()]
            assert lines[0]["meta"]["priority"] == pytest.approx(round(first.score, 4))
            dest.write_text("".join(json.dumps({**x, "answer": "accept"}) + "\n" for x in lines), encoding="utf-8")
        passages, report = import_annotations(dest, fmt)
        assert passages == [] and [u["id"] for u in report.unreviewed] == [s.passage.id for s in res.suggestions]
        passages, report = import_annotations(dest, fmt, accept_unreviewed=True)
        assert [p.id for p in passages] == [s.passage.id for s in res.suggestions]
        assert [(p.phase, p.poles) for p in passages] == [(s.passage.phase, s.passage.poles) for s in res.suggestions]


def test_cli_suggest(tmp_path, pool_file, tiny_model_dir):
    runner = CliRunner()
    out = tmp_path / "tasks.json"
    r = runner.invoke(app, ["suggest", str(pool_file), "--n", "3", "--strategy", "diverse", "--format",
                            "labelstudio", "--out", str(out), "--model", str(tiny_model_dir)])
    assert r.exit_code == 0, r.output
    assert len(json.loads(out.read_text())) == 3 and "3 suggested (diverse)" in r.output
    r = runner.invoke(app, ["suggest", str(pool_file), "--strategy", "random", "--out", str(out)])
    assert r.exit_code == 2 and "allowed: uncertainty, margin, diverse" in r.output
    assert "Example: paradox suggest" in runner.invoke(app, ["suggest", "--help"]).output
