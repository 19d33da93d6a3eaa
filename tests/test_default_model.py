"""The shipped default on the transfer split: what it scores, how often it abstains, how it was tuned.

Transfer-test is written by writers the model never saw; these are regression floors just under what the
shipped default 2.0.0 measured (phase macro-F1 0.60, poles micro-F1 0.48, 30 % uncertain), so that a new
default cannot quietly do worse on it."""

import json

import pytest

from pipeline.corpus import read_corpus, split_corpus
from pipeline.evaluate import evaluate_tagger
from pipeline.model.io import DEFAULT_MODEL
from pipeline.tagger import load_tagger


@pytest.fixture(scope="module")
def transfer_test():
    return split_corpus(read_corpus())["transfer-test"]


def test_the_default_was_tuned_on_transfer_dev_and_never_saw_transfer_test():
    cfg = json.loads((DEFAULT_MODEL / "config.json").read_text(encoding="utf-8"))
    assert cfg["training"]["tuned_on"] == "transfer-dev"
    assert cfg["training"]["n"]["transfer-test"] >= 600
    assert "transfer-test" in cfg["scores"] and "test" in cfg["scores"]


def test_transfer_test_scores_and_abstention(transfer_test):
    tagger = load_tagger()
    s = evaluate_tagger(tagger, transfer_test)
    assert s["all"]["headline"]["phase_macro_f1"] >= 0.58
    assert s["all"]["headline"]["poles_micro_f1"] >= 0.45
    for lang in ("nl", "en"):
        assert s[lang]["headline"]["phase_macro_f1"] >= 0.5 and s[lang]["headline"]["poles_micro_f1"] >= 0.4
    tagged = tagger.tag_texts([p.text for p in transfer_test])
    uncertain = [t for t in tagged if t.uncertain]
    assert len(uncertain) / len(tagged) < 0.35
    # an uncertain passage is more often wrong than a confident one
    gold = {p.text: p.phase for p in transfer_test}
    wrong = lambda ts: sum(t.phase != gold[t.text] for t in ts) / max(1, len(ts))  # noqa: E731
    assert wrong(uncertain) > 2 * wrong([t for t in tagged if not t.uncertain])
