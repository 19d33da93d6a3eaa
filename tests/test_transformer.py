"""The transformer backend, on a tiny randomly initialised BERT built here (no download, a few seconds)."""

import json
import re
import subprocess
import sys
from importlib.util import find_spec

import numpy as np
import pytest

from pipeline.labels import PHASES, POLES
from tests.conftest import ROOT, tiny_passages

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out; `make test` runs it

HAVE_TORCH = find_spec("torch") is not None and find_spec("transformers") is not None
needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="torch and transformers are not installed")

# small enough that the tiny corpus' longer passages already need two windows
SETTINGS = dict(max_length=24, stride=6, epochs=30, batch_size=8, lr=3e-3, head_lr=1e-2, head_dropout=0.0,
                warmup_ratio=0.0, device="cpu", seed=0)


# ---------------------------------------------------------------- without torch

def test_linear_default_never_imports_torch():
    code = ("import sys, pipeline\n"
            "from pipeline.tagger import load_tagger\n"
            "from pipeline.model import BACKENDS\n"
            "tagged = load_tagger().tag_text('We kept our core identity while reacting quickly to change.')\n"
            "assert tagged and tagged[0].phase and 'transformer' in BACKENDS\n"
            "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"


def test_missing_dependency_names_the_extra(monkeypatch):
    from pipeline.errors import MissingDependency
    from pipeline.model import make_model

    monkeypatch.setitem(sys.modules, "torch", None)   # `import torch` now fails as if not installed
    with pytest.raises(MissingDependency, match=r"The transformer backend needs the package 'torch'.*"
                                                r"paradox-tagger\[transformers\]"):
        make_model("transformer")


# ---------------------------------------------------------------- a tiny BERT

@pytest.fixture(scope="module")
def one_thread():
    """Tiny models train fastest on one thread (and do not fight other processes for the cores)."""
    if not HAVE_TORCH:
        yield
        return
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory, one_thread):
    """A randomly initialised 2-layer BERT (hidden 32) with a WordPiece vocabulary of the tiny corpus."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-bert")
    texts = [p.text.lower() for p in tiny_passages()]
    words = sorted({w for t in texts for w in re.findall(r"\w+", t)})
    chars = sorted({c for t in texts for c in t if not c.isspace()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars, *("##" + c for c in chars if c.isalnum()), *words]
    (folder / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast.from_pretrained(str(folder), do_lower_case=True)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    BertModel(config).save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def tiny_tf(tiny_base):
    from pipeline.model import make_model

    return make_model("transformer", base_model=str(tiny_base), **SETTINGS).fit(tiny_passages())


@pytest.fixture(scope="module")
def tiny_tf_dir(tiny_tf, tmp_path_factory):
    from pipeline.model import save_model

    return save_model(tiny_tf, tmp_path_factory.mktemp("tf") / "tiny", name="tiny-tf", version="0.0.1")


@needs_torch
def test_overfit_save_reload_same_predictions(tiny_tf, tiny_tf_dir):
    from pipeline.model import load_model, save_model
    from pipeline.tagger import Tagger

    gold = tiny_passages()
    texts = [p.text for p in gold]
    s = tiny_tf.predict_scores(texts)
    assert np.mean([PHASES[i] == p.phase for i, p in zip(s.phase.argmax(1), gold)]) >= 0.9
    tagged = Tagger(tiny_tf, {"name": "tiny", "version": "0"}).tag_texts(texts)
    assert sum(set(t.poles) == set(g.poles) for t, g in zip(tagged, gold)) / len(gold) >= 0.8
    assert tiny_tf.history_[-1] < tiny_tf.history_[0] / 5     # the loss fell

    # the folder: our config, head arrays, the encoder as safetensors plus its tokenizer; nothing pickled
    files = {p.relative_to(tiny_tf_dir).as_posix() for p in tiny_tf_dir.rglob("*") if p.is_file()}
    assert {"config.json", "weights.safetensors", "encoder/config.json", "encoder/model.safetensors",
            "encoder/tokenizer.json"} <= files
    assert not [f for f in files if f.endswith((".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt"))]
    cfg = json.loads((tiny_tf_dir / "config.json").read_text())
    assert cfg["backend"] == "transformer" and cfg["model"]["settings"]["max_length"] == 24
    assert cfg["model"]["encoder"] == "encoder" and len(cfg["model"]["history"]["loss"]) == 30

    model2, cfg2 = load_model(tiny_tf_dir)
    s2 = model2.predict_scores(texts)
    for a, b in ((s.phase, s2.phase), (s.poles, s2.poles), (s.response, s2.response)):
        np.testing.assert_allclose(a, b, atol=1e-5)
    assert model2.thresholds_ == tiny_tf.thresholds_ and model2.response_threshold_ == tiny_tf.response_threshold_
    tagged2 = Tagger(model2, cfg2).tag_texts(texts)
    assert [(t.phase, t.poles, t.response) for t in tagged2] == [(t.phase, t.poles, t.response) for t in tagged]

    # saving again over the same folder replaces encoder/ as a whole
    save_model(model2, tiny_tf_dir, name="tiny-tf", version="0.0.2")
    model3, cfg3 = load_model(tiny_tf_dir)
    assert cfg3["version"] == "0.0.2"
    np.testing.assert_allclose(model3.predict_scores(texts[:3]).poles, s.poles[:3], atol=1e-5)
    assert not [p for p in tiny_tf_dir.iterdir() if p.name.startswith("tmp")]


@needs_torch
def test_batch_and_single_calls_agree(tiny_tf):
    texts = [p.text for p in tiny_passages()][:6] + [" ".join(p.text for p in tiny_passages()[:5])]
    batch = tiny_tf.predict_scores(texts)
    for i, t in enumerate(texts):
        one = tiny_tf.predict_scores([t])
        np.testing.assert_allclose(one.phase[0], batch.phase[i], atol=1e-5)
        np.testing.assert_allclose(one.poles[0], batch.poles[i], atol=1e-5)
        np.testing.assert_allclose(one.response[0], batch.response[i], atol=1e-5)


@needs_torch
def test_probabilities_are_valid(tiny_tf):
    s = tiny_tf.predict_scores(["Iets heel anders over het weer.", "The weather was nice.", ""])
    assert s.phase.shape == (3, 5) and s.poles.shape == (3, 8) and s.response.shape == (3, 5)
    np.testing.assert_allclose(s.phase.sum(1), 1.0)
    np.testing.assert_allclose(s.response.sum(1), 1.0)
    assert ((s.poles >= 0) & (s.poles <= 1)).all()
    empty = tiny_tf.predict_scores([])
    assert empty.phase.shape == (0, 5) and empty.poles.shape == (0, 8) and empty.response.shape == (0, 5)


@needs_torch
def test_long_text_is_chunked_and_aggregated(tiny_tf):
    short = tiny_passages()[8].text                        # "Aanwezig: Jan, Piet en Klaas."
    long = " ".join(p.text for p in tiny_passages())
    chunks = tiny_tf._chunks([long, short])
    assert len(chunks[0]) > 5 and len(chunks[1]) == 1
    assert all(len(c) <= 24 for c in chunks[0])
    stride = tiny_tf.settings.stride
    for a, b in zip(chunks[0], chunks[0][1:]):            # windows overlap by `stride` tokens
        assert a[-1 - stride:-1] == b[1:1 + stride]

    logits, spans = tiny_tf._chunk_logits([long, short])
    assert spans == [(0, len(chunks[0])), (len(chunks[0]), len(chunks[0]) + 1)]
    try:
        tiny_tf.settings.aggregation = "mean"
        mean = tiny_tf.raw_scores([long, short])
        tiny_tf.settings.aggregation = "max"
        high = tiny_tf.raw_scores([long, short])
    finally:
        tiny_tf.settings.aggregation = "mean"
    a, b = spans[0]
    for x, m, h in zip(logits, mean, high):
        np.testing.assert_allclose(m[0], x[a:b].mean(0), atol=1e-5)
        np.testing.assert_allclose(h[0], x[a:b].max(0), atol=1e-5)
        assert (h[0] >= m[0] - 1e-6).all() and (h[0] > m[0] + 1e-3).any()   # max over windows exceeds their mean
        np.testing.assert_allclose(h[1], m[1], atol=1e-6)                    # one window: the modes agree
    s = tiny_tf.predict_scores([long])
    np.testing.assert_allclose(s.phase.sum(1), 1.0)


@needs_torch
def test_explain_returns_words_of_the_text(tiny_tf):
    from pipeline.tagger import Tagger

    text = "The charter sets out voting rules, fees and the admission criteria."
    out = tiny_tf.explain(text, ["founding", "content", "balance", "not-a-label"], k=3)
    assert set(out) == {"founding", "content", "balance"}
    assert out["founding"] and out["content"]
    words = set(re.findall(r"\w+", text))
    for label, pairs in out.items():
        assert len(pairs) <= 3
        for word, drop in pairs:
            assert word in words and drop > 0
        assert [d for _, d in pairs] == sorted((d for _, d in pairs), reverse=True)
    tagger_out = Tagger(tiny_tf, {"name": "tiny"}).explain(text, k=2)
    assert tagger_out and all(len(v) <= 2 for v in tagger_out.values())


@needs_torch
def test_train_cli_with_transformer_backend(tiny_base, tiny_corpus_file, tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"documents": {"a1-doc": "train", "a3-doc": "train", "a2-doc": "dev",
                                                "a4-doc": "test"}}), encoding="utf-8")
    out = tmp_path / "m"
    r = CliRunner().invoke(app, ["train", str(tiny_corpus_file), "--out", str(out), "--splits", str(splits),
                                 "--backend", "transformer", "--base-model", str(tiny_base), "--epochs", "1",
                                 "--batch-size", "8"])
    assert r.exit_code == 0, r.output
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["backend"] == "transformer" and cfg["model"]["calibrated_on"] == "dev"
    assert cfg["model"]["settings"]["epochs"] == 1 and cfg["training"]["n"] == {"train": 20, "dev": 4, "test": 4, "transfer-dev": 0, "transfer-test": 0}
    assert cfg["model"]["settings"]["max_length"] == 256 and cfg["model"]["max_length"] == 64   # the encoder's limit
    r = CliRunner().invoke(app, ["train", str(tiny_corpus_file), "--out", str(out), "--epochs", "2"])
    assert r.exit_code == 2 and "only apply to --backend transformer" in r.output


@needs_torch
def test_settings_and_base_model_errors(tiny_base, tmp_path):
    from pipeline.errors import ModelError
    from pipeline.model import make_model

    with pytest.raises(ModelError, match="unknown transformer setting.*epoch_count"):
        make_model("transformer", epoch_count=3)
    with pytest.raises(ModelError, match="aggregation='median' is invalid; allowed: mean, max"):
        make_model("transformer", aggregation="median").fit(tiny_passages())
    with pytest.raises(ModelError, match="could not be loaded.*nothing is downloaded"):
        make_model("transformer", base_model=str(tmp_path / "nope"), device="cpu").fit(tiny_passages())
    with pytest.raises(ModelError, match="stride=40 is too large for windows of 64 tokens"):
        make_model("transformer", base_model=str(tiny_base), max_length=100, stride=40, device="cpu"
                   ).fit(tiny_passages())
