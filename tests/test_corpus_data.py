"""The shipped corpus stays valid, meets its coverage minimums, and its splits never share an alliance."""

import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.corpus import corpus_files, load_splits, read_corpus, split_corpus, validate
from pipeline.labels import PARADOXES, PHASES, POLES, RESPONSES, tensions

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "annotations" / "corpus"


@pytest.fixture(scope="module")
def corpus():
    return read_corpus(CORPUS)


def test_valid(corpus):
    assert validate([CORPUS]) == []
    assert len(corpus) >= 2000


def test_every_passage_points_into_its_document(corpus):
    texts = {}
    for p in corpus:
        f = p.meta["file"]
        if f not in texts:
            texts[f] = (ROOT / f).read_text(encoding="utf-8")
        assert texts[f][p.meta["start"]:p.meta["end"]] == p.text, p.id
        assert p.meta["alliance"] and p.meta["date"] and p.meta["annotator"]


def test_coverage_minimums(corpus):
    n = len(corpus)
    phase = Counter(p.phase for p in corpus)
    assert all(phase[k] >= 200 for k in PHASES if k != "none")
    assert phase["none"] >= 0.25 * n
    assert sum(bool(p.meta.get("hard_negative")) for p in corpus) >= 200
    for pole in POLES:
        by_lang = Counter(p.lang for p in corpus if pole in p.poles)
        assert sum(by_lang.values()) >= 120 and by_lang["nl"] >= 50 and by_lang["en"] >= 50, pole
    tens = Counter(t for p in corpus for t in tensions(p.poles))
    assert sum(bool(tensions(p.poles)) for p in corpus) >= 200
    assert all(tens[t] >= 30 for t in PARADOXES)
    resp = Counter(p.response for p in corpus)
    assert all(resp[r] >= 40 for r in RESPONSES)
    assert any(p.phase != "none" and not p.poles for p in corpus)
    assert any(p.phase == "none" and p.poles for p in corpus)


def test_documents_languages_and_genres(corpus):
    docs = {p.doc_id: p for p in corpus}
    assert len(docs) >= 100 and len({p.alliance for p in corpus}) >= 25
    lang = Counter(p.lang for p in docs.values())
    genre = Counter(p.genre for p in docs.values())
    assert lang["nl"] >= 0.4 * len(docs) and lang["en"] >= 0.4 * len(docs)
    assert all(genre[g] >= 0.2 * len(docs) for g in ("mission_statement", "minutes", "report", "other"))


def test_splits_cover_every_document_and_keep_alliances_apart(corpus):
    splits = load_splits()
    assert {p.doc_id for p in corpus} == set(splits)
    parts = split_corpus(corpus, splits)
    owner = {}
    for name, ps in parts.items():
        for p in ps:
            assert owner.setdefault(p.alliance, name) == name, p.alliance
    round1 = [p for p in corpus if p.meta["round"] == 1]
    sizes = {k: sum(p.meta["round"] == 1 for p in v) / len(round1) for k, v in parts.items()}
    assert 0.6 <= sizes["train"] <= 0.8 and 0.1 <= sizes["dev"] <= 0.2 and 0.1 <= sizes["test"] <= 0.2


def test_every_passage_records_its_round_writer_annotator_and_form(corpus):
    for p in corpus:
        assert p.meta["round"] in (1, 2) and p.meta["writer"] and p.meta["annotator"] and p.meta["form"], p.id
    v2 = [p for p in corpus if p.meta["round"] == 2]
    assert all(p.meta["writer"] != p.meta["annotator"] for p in v2)  # written first, coded by someone else
    assert all(p.meta["writer"].startswith("writer-") and p.meta["annotator"].startswith("coder-") for p in v2)


def test_round_two_is_large_and_has_the_forms_real_alliances_publish(corpus):
    v2 = [p for p in corpus if p.meta["round"] == 2]
    docs = {p.doc_id: p for p in v2}
    assert len(v2) >= 3000 and len(docs) >= 120 and len({p.alliance for p in v2}) >= 30
    forms = Counter(p.meta["form"] for p in docs.values())
    assert sum(n >= 4 for n in forms.values()) >= 12  # at least twelve forms with four documents or more
    lang = Counter(p.lang for p in docs.values())
    assert lang["nl"] == lang["en"]


def test_transfer_split_is_by_other_writers(corpus):
    parts = split_corpus(corpus, load_splits())
    transfer = parts["transfer-dev"] + parts["transfer-test"]
    assert len(transfer) >= 600 and len({p.alliance for p in transfer}) >= 8
    train_writers = {p.meta["writer"] for p in parts["train"]}
    assert not train_writers & {p.meta["writer"] for p in transfer}
    for name in ("transfer-dev", "transfer-test"):
        ps = parts[name]
        assert {p.lang for p in ps} == {"nl", "en"} and len({p.alliance for p in ps}) >= 4, name
    dev_alliances = {p.alliance for p in parts["transfer-dev"]}
    assert not dev_alliances & {p.alliance for p in parts["transfer-test"]}
