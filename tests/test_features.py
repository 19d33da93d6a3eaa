"""The TF-IDF featurizer's fast path gives the numbers of the plain per-text computation (the same terms in
the same order, weights equal but for the order of summing the norm), and the same bits for a text alone as in
a batch."""

from collections import Counter

import numpy as np
import pytest
from scipy import sparse

from pipeline.model import features
from pipeline.model.features import Block, TfidfFeatures, char_wb_ngrams, word_ngrams

from .conftest import tiny_passages

ODD = ["", " ", "a", "Ab", "x" * 40, "ΣΑΣ ΣΑΣ. σας", "İstanbul\u00a0en\tde\n\nstad", "de de de de", "A B C",
       "Een nieuwe zin die niemand kent!", "e.g. U.S. (art. 3.5) — 12,5 %"]


def reference_rows(block: Block, texts: list[str]):
    """The straightforward computation: count in-vocabulary terms per text, (1 + log tf) * idf, L2 per row."""
    indptr, indices, data = [0], [], []
    for t in texts:
        counts = Counter(j for j in map(block.index.get, block.analyze(t)) if j is not None)
        if counts:
            idx = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
            tf = np.fromiter((counts[j] for j in idx.tolist()), dtype=np.float64, count=len(counts))
            w = (1.0 + np.log(tf)) * block.idf[idx]
            w /= np.sqrt((w * w).sum())
            indices.extend(idx.tolist())
            data.extend(w.tolist())
        indptr.append(len(indices))
    return sparse.csr_matrix((np.asarray(data), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                             shape=(len(texts), len(block.vocab)))


def same(a, b) -> None:
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert a.data.tobytes() == b.data.tobytes()  # bit for bit, not approximately


@pytest.fixture(scope="module")
def fitted():
    return TfidfFeatures(min_df=1).fit([p.text for p in tiny_passages()])


def test_rows_equal_the_plain_computation(fitted):
    texts = [p.text for p in tiny_passages()] + ODD
    for block in fitted.blocks:
        fast, ref = block.rows(texts), reference_rows(block, texts)
        assert fast.shape == ref.shape
        assert np.array_equal(fast.indptr, ref.indptr) and np.array_equal(fast.indices, ref.indices)
        np.testing.assert_allclose(fast.data, ref.data, rtol=1e-15, atol=0)  # a norm summed in another order


def test_ids_follow_the_analyzer(fitted):
    for block in fitted.blocks:
        for t in ODD + [p.text for p in tiny_passages()]:
            assert block.ids(t) == [j for j in map(block.index.get, block.analyze(t)) if j is not None]


def test_word_memo_overflow_changes_nothing(fitted, monkeypatch):
    texts = [p.text for p in tiny_passages()] + ODD
    before = fitted.transform(texts)
    monkeypatch.setattr(features, "WORD_CACHE_SIZE", 3)
    fresh = TfidfFeatures.from_config(*fitted.to_config())
    same(fresh.transform(texts), before)
    char = next(b for b in fresh.blocks if b.kind == "char")
    assert len(char._word_ids) > 3  # one batch's words are all remembered while it is featurised ...
    same(fresh.transform(["één twee drie vier"]), fitted.transform(["één twee drie vier"]))
    assert len(char._word_ids) == 4  # ... and the next batch starts a new memo: it never grows past one batch


def test_batch_and_single_rows_agree(fitted):
    texts = [p.text for p in tiny_passages()]
    whole = fitted.transform(texts)
    for i, t in enumerate(texts):
        same(fitted.transform([t]), whole[i])


def test_analyzers_keep_their_contract():
    assert word_ngrams("De leden, de LEDEN!") == ["de", "leden", "de", "leden", "de leden", "leden de", "de leden"]
    assert char_wb_ngrams("ab  C", 2, 3) == [" a", "ab", "b ", " ab", "ab ", " c", "c ", " c "]


def test_vectorised_ngram_lookup_equals_the_analyzer(fitted, monkeypatch):
    """The numpy lookup of new words' n-grams gives each word the ids of its analyzer n-grams, in order, for
    words with characters no vocabulary term has, one-letter words, long words and repeated letters."""
    char = next(b for b in fitted.blocks if b.kind == "char")
    words = sorted({w for t in ODD + [p.text for p in tiny_passages()] for w in t.lower().split()})
    words += ["a", "é", "ß", "σας", "x" * 40, "ab-cd", "0,5%", "i\u0307stanbul"]
    flat, lens = char._grams(words, *char._gram_table())
    assert lens.sum() == len(flat) and len(lens) == len(words)
    ends = np.cumsum(lens)
    for w, end, n in zip(words, ends, lens):
        want = [j for j in map(char.index.get, features._char_wb_word(w, *char.ngram)) if j is not None]
        assert flat[end - n:end].tolist() == want, w
    # the memo filled either way gives the same rows
    texts = [p.text for p in tiny_passages()] + ODD
    monkeypatch.setattr(features, "VECTOR_WORDS", 10 ** 9)
    plain = TfidfFeatures.from_config(*fitted.to_config()).transform(texts)
    monkeypatch.setattr(features, "VECTOR_WORDS", 1)
    same(TfidfFeatures.from_config(*fitted.to_config()).transform(texts), plain)


def test_vectorised_word_ngrams_stay_inside_each_text():
    """The numpy lookup of word n-grams (batches of more than DOT_NUMPY_MAX texts) counts what the analyzer
    counts: no n-gram across two texts or across a word the vocabulary lacks, trigrams too."""
    train = ["de leden besluiten samen", "de leden stemmen", "samen de leden", "leden de stemmen samen"]
    feats = TfidfFeatures(word_ngram=(1, 3), min_df=1).fit(train)
    word = next(b for b in feats.blocks if b.kind == "word")
    assert "de leden" in word.index and "de leden besluiten" in word.index
    texts = ["samen de", "leden besluiten", "de onbekend leden", "de leden besluiten", "", "de"] + ODD
    assert len(texts) > features.DOT_NUMPY_MAX and word._word_table() is not None
    same(word.rows(texts), reference_rows(word, texts))
    row = word.rows(texts)
    assert row[0, word.index["de leden"]] == 0 and row[2, word.index["de leden"]] == 0
    assert row[3, word.index["de leden besluiten"]] > 0
