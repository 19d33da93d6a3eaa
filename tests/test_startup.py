"""What a small run loads: the tagging path stays free of heavy imports, and the numpy-only product that
makes that possible gives the same scores as the sparse one."""

import json
import subprocess
import sys

import numpy as np

from pipeline.model import features
from pipeline.tagger import load_tagger

HEAVY = ("torch", "spacy", "scipy", "sklearn", "pandas", "pydantic", "lingua", "transformers")


def test_tagging_a_one_line_file_imports_nothing_heavy(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Bij de eerste ontmoeting klikte het meteen tussen de twee directeuren.\n",
                                           encoding="utf-8")
    code = ("import sys, json\n"
            f"sys.argv = ['paradox', 'tag', {str(tmp_path / 'in')!r}, '--out', {str(tmp_path / 'out')!r}]\n"
            "from pipeline.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(res.stdout.strip().splitlines()[-1]))
    # the run wrote its Parquet file; the detector's model is not even loaded: two Dutch function words
    # ("bij", "het") settle the language
    assert {"numpy", "pyarrow"} <= loaded and "fasttext" not in loaded
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    rows = [json.loads(line) for line in (tmp_path / "out" / "passages.jsonl").read_text().splitlines()]
    assert len(rows) == 1 and rows[0]["lang"] == "nl"


def test_numpy_product_equals_the_sparse_one(monkeypatch):
    model = load_tagger().model
    texts = ["Trust came first; the figures followed.", "", "Wij spraken af: eerst vertrouwen, dan controle.",
             "x", "Het bestuur evalueert de samenwerking na drie jaar en stuurt bij waar nodig."] * 3
    model.raw_scores(texts[:1])
    W = model._coef_t
    sparse_scores = np.asarray(model.featurizer_.transform(texts) @ W)
    monkeypatch.setattr(features, "DOT_NUMPY_MAX", 10**9)
    numpy_scores = model.featurizer_.dot(texts, W)
    assert numpy_scores.shape == (len(texts), W.shape[1])
    np.testing.assert_allclose(numpy_scores, sparse_scores, rtol=0, atol=1e-12)
    assert np.abs(sparse_scores[1]).max() == 0.0 and np.abs(sparse_scores[0]).max() > 0.01  # empty text: zeros
    monkeypatch.setattr(features, "DOT_NUMPY_MAX", 0)
    np.testing.assert_array_equal(model.featurizer_.dot(texts, W), sparse_scores)


def test_numpy_csr_rows_equal_the_sparse_matrix():
    fz = load_tagger().model.featurizer_
    texts = ["Samen bouwen we vertrouwen op.", "", "Process before content, always."]
    data, indices, indptr = fz.csr(texts)
    dense = fz.transform(texts).toarray()
    for r in range(len(texts)):
        row = np.zeros(dense.shape[1])
        row[indices[indptr[r]:indptr[r + 1]]] = data[indptr[r]:indptr[r + 1]]
        np.testing.assert_allclose(row, dense[r], atol=1e-15)
    assert indptr[2] == indptr[1]  # the empty text has no features
