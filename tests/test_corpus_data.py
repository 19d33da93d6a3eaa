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
    sizes = {k: len(v) / len(corpus) for k, v in parts.items()}
    assert 0.6 <= sizes["train"] <= 0.8 and 0.1 <= sizes["dev"] <= 0.2 and 0.1 <= sizes["test"] <= 0.2
