import numpy as np
import pytest

from pipeline.labels import PHASES, POLES
from pipeline.model import calibrate, load_model, make_model
from pipeline.tagger import Tagger
from tests.conftest import tiny_passages


def test_overfit_save_reload_same_predictions(tiny_model, tiny_model_dir):
    gold = tiny_passages()
    texts = [p.text for p in gold]
    s = tiny_model.predict_scores(texts)
    # it learnt the training data
    acc = np.mean([PHASES[i] == p.phase for i, p in zip(s.phase.argmax(1), gold)])
    assert acc >= 0.9
    tagger = Tagger(tiny_model, {"name": "tiny", "version": "0"})
    tagged = tagger.tag_texts(texts)
    pole_hits = sum(set(t.poles) == set(g.poles) for t, g in zip(tagged, gold))
    assert pole_hits / len(gold) >= 0.8
    # reload from disk: the same numbers
    model2, cfg = load_model(tiny_model_dir)
    s2 = model2.predict_scores(texts)
    np.testing.assert_allclose(s.phase, s2.phase, atol=1e-5)
    np.testing.assert_allclose(s.poles, s2.poles, atol=1e-5)
    np.testing.assert_allclose(s.response, s2.response, atol=1e-5)
    assert cfg["labels"]["poles"] == list(POLES) and cfg["backend"] == "tfidf"  # one name per backend


def test_batch_and_single_calls_agree(tiny_model):
    texts = [p.text for p in tiny_passages()][:6]
    batch = tiny_model.predict_scores(texts)
    for i, t in enumerate(texts):
        one = tiny_model.predict_scores([t])
        np.testing.assert_allclose(one.phase[0], batch.phase[i], atol=1e-9)
        np.testing.assert_allclose(one.poles[0], batch.poles[i], atol=1e-9)


def test_probabilities_are_valid(tiny_model):
    s = tiny_model.predict_scores(["Iets heel anders over het weer.", "The weather was nice."])
    np.testing.assert_allclose(s.phase.sum(1), 1.0)
    np.testing.assert_allclose(s.response.sum(1), 1.0)
    assert ((s.poles >= 0) & (s.poles <= 1)).all()


def test_tfidf_transform_equals_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from pipeline.model.features import TfidfFeatures

    texts = [p.text for p in tiny_passages()]
    f = TfidfFeatures(min_df=1).fit(texts)
    ours = f.transform(texts + ["Een nieuwe zin die niemand kent!"]).toarray()
    ref = np.hstack([TfidfVectorizer(analyzer=a, ngram_range=n, sublinear_tf=True, min_df=1).fit(texts)
                     .transform(texts + ["Een nieuwe zin die niemand kent!"]).toarray()
                     for a, n in (("word", (1, 2)), ("char_wb", (2, 5)))])
    np.testing.assert_allclose(ours, ref, atol=1e-12)


def test_unknown_backend_is_named():
    from pipeline.errors import ModelError

    with pytest.raises(ModelError, match="unknown backend 'bert'; known: tfidf, use, ensemble"):
        make_model("bert")


def test_missing_model_folder(tmp_path):
    from pipeline.errors import ModelError

    with pytest.raises(ModelError, match="no config.json"):
        load_model(tmp_path)


def test_a_model_with_other_labels_is_refused_with_the_difference(tiny_model_dir, tmp_path):
    import json
    import shutil

    from pipeline.errors import ModelError

    folder = tmp_path / "m"
    shutil.copytree(tiny_model_dir, folder)
    cfg = json.loads((folder / "config.json").read_text())
    cfg["labels"]["poles"] = [p for p in cfg["labels"]["poles"] if p != "agility"] + ["hope"]
    cfg["labels"]["phase"] = list(reversed(cfg["labels"]["phase"]))
    (folder / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match=r"poles: missing agility; unknown hope") as e:
        load_model(folder)
    assert "phase: order" in str(e.value) and "retrain" in str(e.value)


# ---------------------------------------------------------------- calibration, thresholds

def test_temperature_softens_overconfident_logits():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 400)
    logits = rng.normal(size=(400, 3))
    logits[np.arange(400), y] += 1.0
    logits *= 8  # far too confident
    t = calibrate.fit_temperature(logits, y)
    assert t > 3
    ece_before = calibrate.expected_calibration_error(calibrate.softmax(logits).max(1),
                                                      calibrate.softmax(logits).argmax(1) == y)
    p = calibrate.softmax(logits, t)
    assert calibrate.expected_calibration_error(p.max(1), p.argmax(1) == y) < ece_before / 2


def test_platt_recovers_a_known_sigmoid():
    rng = np.random.default_rng(1)
    s = rng.normal(size=5000)
    y = (rng.random(5000) < calibrate.sigmoid(2.0 * s - 1.0)).astype(int)
    a, b = calibrate.fit_platt(s, y)
    assert abs(a - 2.0) < 0.25 and abs(b + 1.0) < 0.2


def test_threshold_is_tuned_and_shrunk():
    probs = np.array([0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.6, 0.7, 0.8, 0.9])
    y = np.array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    raw = calibrate.tune_threshold(probs, y, shrink=0.0)
    assert 0.25 <= raw <= 0.3
    assert calibrate.tune_threshold(probs, y, shrink=0.5) == pytest.approx(0.5 + 0.5 * (raw - 0.5), abs=1e-4)
    assert calibrate.tune_threshold(probs, np.array([0] * 8 + [1, 1])) == 0.5  # too few positives to tell


def test_ece_of_perfect_calibration_is_small():
    rng = np.random.default_rng(2)
    p = rng.random(20000)
    assert calibrate.expected_calibration_error(p, rng.random(20000) < p) < 0.02


def test_abstention_threshold_marks_where_mostly_wrong():
    conf = np.array([0.25, 0.3, 0.32, 0.35, 0.38, 0.4, 0.45, 0.6, 0.7, 0.8, 0.9, 0.95])
    right = np.array([0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1])
    # below 0.7 the model is right 4 times of 8 (at most half); 0.7 itself would make it 5 of 9
    assert calibrate.tune_abstention(conf, right) == pytest.approx(0.70)
    # stricter: right at most 40 % -> below 0.45 (2 of 6 right); adding 0.45 makes it 3 of 7
    assert calibrate.tune_abstention(conf, right, max_accuracy=0.4) == pytest.approx(0.45)
    assert calibrate.tune_abstention(conf, np.ones(12)) == 0.0  # never wrong: never abstain
    # at most a third of the passages: 0.38 leaves four under it (one right); 0.39 would take in a fifth
    assert calibrate.tune_abstention(conf, right, min_count=3, max_share=1 / 3) == pytest.approx(0.38)


def test_document_context_mixes_the_phase_given_a_phase_and_keeps_none():
    none = PHASES.index("none")
    f, e = PHASES.index("forming"), PHASES.index("evolution")
    P = np.zeros((4, len(PHASES)))
    P[0, [none, f, e]] = [0.2, 0.5, 0.3]   # doc a: a forming-leaning passage
    P[1, [none, f, e]] = [0.6, 0.35, 0.05]  # doc a: mostly none, forming when a phase
    P[2, [none, f, e]] = [0.1, 0.2, 0.7]   # doc a: evolution-leaning
    P[3, [none, f, e]] = [0.1, 0.8, 0.1]   # doc b, alone
    same = calibrate.document_context(P, ["a", "a", "a", "b"], 0.0, none)
    np.testing.assert_array_equal(same, P)
    M = calibrate.document_context(P, ["a", "a", "a", "b"], 1.0, none)
    np.testing.assert_allclose(M.sum(1), 1.0)
    np.testing.assert_allclose(M[:, none], P[:, none])  # P(none) is each passage's own
    np.testing.assert_allclose(M[3], P[3])  # a document of one passage is its own context
    # weight 1: the passages of doc a share one conditional mix, the phase mass of each (0.8 + 0.4 + 0.9 = 2.1)
    doc = (P[:3, [f, e]]).sum(0) / 2.1
    for i in range(3):
        np.testing.assert_allclose(M[i, [f, e]] / (1 - P[i, none]), doc)
    H = calibrate.document_context(P, ["a", "a", "a", "b"], 0.5, none)
    assert H[2, e] < P[2, e] and H[2, f] > P[2, f]  # pulled half way towards the document's forming


def test_context_weight_is_tuned_on_held_out_documents():
    """Where each document keeps to one phase and single passages are noisy, the tuned weight is > 0; where
    passages of a document differ, it stays 0; without a document of two passages it is 0."""
    rng = np.random.default_rng(3)
    none = PHASES.index("none")
    groups, y, rows = [], [], []
    for d in range(40):
        true = rng.choice([j for j in range(len(PHASES)) if j != none])
        for _ in range(8):
            p = rng.dirichlet(np.ones(len(PHASES)))
            p[true] += 0.35
            rows.append(p / p.sum())
            groups.append(f"d{d}")
            y.append(true)
    P, y = np.array(rows), np.array(y)
    assert calibrate.tune_context_weight(P, groups, y, none) >= 0.5
    assert calibrate.tune_context_weight(P, [f"x{i}" for i in range(len(y))], y, none) == 0.0
    y_own = P.argmax(1)  # each passage's own argmax is right: the document can only hurt
    assert calibrate.tune_context_weight(P, groups, y_own, none) == 0.0


def test_tagger_reads_a_phase_with_its_document_only_when_the_model_says_so():
    from pipeline.model.base import Decisions, Scores
    from pipeline.types import Passage

    gold = tiny_passages()
    model = make_model("tfidf", C=10.0, folds=2, min_df=1).fit(gold)
    assert model.context_weight_ == 0.0
    tagger = Tagger(model, {"name": "t"})
    f, e, none = PHASES.index("forming"), PHASES.index("evolution"), PHASES.index("none")
    P = np.zeros((3, len(PHASES)))
    P[:, none] = 0.1
    P[0, [f, e]] = [0.5, 0.4]
    P[1, [f, e]] = [0.1, 0.8]
    P[2, [f, e]] = [0.1, 0.8]
    scores = Scores(P, np.zeros((3, 8)), np.tile([1.0, 0, 0, 0, 0], (3, 1)))
    ps = [Passage(id=f"d-{i}", doc_id="d", text="x", start=0, end=1) for i in range(3)]
    assert tagger.decide(ps, scores)[0].phase == "forming"
    model.decisions_ = Decisions(model.decisions_.thresholds, 0.5, 0.0, 0.6)
    tagger = Tagger(model, {"name": "t"})
    assert tagger.decide(ps, scores)[0].phase == "evolution"  # its document is about evolution
    other = [Passage(id="a-0", doc_id="a", text="x", start=0, end=1)] + ps[1:]
    assert tagger.decide(other, scores)[0].phase == "forming"  # alone in its document


@pytest.mark.parametrize("backend", ["use", "ensemble"])
def test_embedding_backends_overfit_save_reload(backend, tmp_path):
    from pipeline.model import save_model

    gold = tiny_passages()
    texts = [p.text for p in gold]
    model = make_model(backend, C=1000.0, folds=2, **({"min_df": 1} if backend == "ensemble" else {})).fit(gold)
    s = model.predict_scores(texts)
    acc = np.mean([PHASES[i] == p.phase for i, p in zip(s.phase.argmax(1), gold)])
    assert acc >= 0.9
    model2, cfg = load_model(save_model(model, tmp_path / backend, name=backend))
    assert cfg["model"]["features"]["name"] == {"use": "use", "ensemble": "tfidf+use"}[backend]
    s2 = model2.predict_scores(texts)
    np.testing.assert_allclose(s.phase, s2.phase, atol=1e-5)
    np.testing.assert_allclose(s.poles, s2.poles, atol=1e-5)
    one = model2.predict_scores(texts[:1])
    np.testing.assert_allclose(one.poles[0], s2.poles[0], atol=1e-6)


@pytest.mark.parametrize("backend", ["tfidf-lexicon", "ensemble-lexicon"])
def test_lexicon_backends_overfit_save_reload_and_keep_their_lexicon(backend, tmp_path):
    import json

    from pipeline.model import save_model

    gold = tiny_passages()
    texts = [p.text for p in gold]
    model = make_model(backend, C=1000.0, folds=2, min_df=1).fit(gold)
    s = model.predict_scores(texts)
    assert np.mean([PHASES[i] == p.phase for i, p in zip(s.phase.argmax(1), gold)]) >= 0.9
    folder = save_model(model, tmp_path / backend, name=backend)
    model2, cfg = load_model(folder)
    assert cfg["backend"] == backend
    vocab = json.loads((folder / "vocab.json").read_text())
    assert vocab["lexicon.trust"] and vocab["lexicon.forming"]  # the cue patterns travel with the model
    np.testing.assert_allclose(model2.predict_scores(texts).poles, s.poles, atol=1e-5)


def test_tfidf_wordllama_overfits_saves_reloads_and_embeds_offline(tmp_path):
    """The WordLlama block comes from the package's own files (no hub), is L2-normalised, and a model with it
    saves and reloads to the same scores."""
    from pipeline.model import save_model
    from pipeline.model.features import WordLlamaFeatures

    E = WordLlamaFeatures().transform(["Trust is the basis of our partnership.", "The partners rely on mutual trust.",
                                       "Present: John Smith, Peter Jones.", "De partners vertrouwen elkaar.",
                                       "Vertrouwen is de basis van onze samenwerking.", "Aanwezig: Jan en Piet."])
    assert E.shape == (6, 256)
    np.testing.assert_allclose(np.linalg.norm(E, axis=1), 1.0, atol=1e-9)
    # two sentences on trust lie closer to each other than to a list of names, in each language
    assert E[0] @ E[1] > E[0] @ E[2] + 0.3 and E[3] @ E[4] > E[3] @ E[5] + 0.3
    gold = tiny_passages()
    texts = [p.text for p in gold]
    model = make_model("tfidf-wordllama", C=1000.0, folds=2, min_df=1).fit(gold)
    s = model.predict_scores(texts)
    assert np.mean([PHASES[i] == p.phase for i, p in zip(s.phase.argmax(1), gold)]) >= 0.9
    model2, cfg = load_model(save_model(model, tmp_path / "wl", name="wl"))
    assert cfg["backend"] == "tfidf-wordllama"
    np.testing.assert_allclose(model2.predict_scores(texts).poles, s.poles, atol=1e-5)


def test_wordllama_features_without_the_package_name_the_extra(monkeypatch):
    import sys

    from pipeline import errors
    from pipeline.model import features

    monkeypatch.setattr(features, "_WORDLLAMA", None)
    monkeypatch.setitem(sys.modules, "wordllama", None)  # import fails as if not installed
    with pytest.raises(errors.MissingDependency, match=r"paradox-tagger\[wordllama\]"):
        features.WordLlamaFeatures().transform(["tekst"])


def test_lexicon_features_count_cues_in_both_languages():
    from pipeline.model.features import LexiconFeatures

    lex = LexiconFeatures()
    names = lex.feature_names()
    X = lex.transform(["Bij de eerste ontmoeting klikte het meteen; het vertrouwen was er.",
                       "We weigh stability against agility: our core identity, and adapting fast.",
                       "Aanwezig: Jan en Piet."])
    col = {n: i for i, n in enumerate(names)}
    assert X[0, col["lexicon:trust"]] > 0 and X[0, col["lexicon:forming"]] > 0
    assert X[1, col["lexicon:stability"]] > 0 and X[1, col["lexicon:agility"]] > 0
    assert not X[2].any()
    # the density column weighs a cue in a short passage more than the same cue in a long one
    short, long = lex.transform(["vertrouwen", "vertrouwen " + "woord " * 60])
    assert short[col["lexicon-density:trust"]] > long[col["lexicon-density:trust"]]


def test_lexicon_matches_regardless_of_case_and_keeps_escapes():
    """Cues are matched in the lower-cased text: the counts are those of case-insensitive matching, and a
    cue's upper-case escape (``\\S``) keeps its meaning."""
    import re

    from pipeline.model.features import LexiconFeatures

    cues = {"trust": ["vertrouw\\w*", "TRUST(?:ed)?"], "gap": ["a\\Sb"]}
    lex = LexiconFeatures(cues)
    texts = ["VERTROUWEN en Vertrouwd; Trusted partners TRUST us.", "A-B and a b, AxB"]
    X = lex.transform(texts)
    for i, t in enumerate(texts):
        for j, (label, pats) in enumerate(cues.items()):
            n = len(re.findall(r"\b(?:" + "|".join(pats) + r")\b", t, re.I))
            assert X[i, j] == pytest.approx(np.log1p(n))
    assert X[0, 0] == pytest.approx(np.log1p(4))  # VERTROUWEN, Vertrouwd, Trusted, TRUST
    assert X[1, 1] == pytest.approx(np.log1p(2))  # "A-B" and "AxB", not "a b"


def test_dev_calibration_and_phase_priors_are_fitted_to_dev():
    """With calibrate_on=dev the calibration and the phase offsets come from dev; the offsets move the
    decision towards dev's proportions and are saved with the model."""
    gold = tiny_passages()
    train = [p for p in gold if p.alliance in ("a1", "a3")]
    dev = [p for p in gold if p.alliance in ("a2", "a4")]
    plain = make_model("tfidf", C=100.0, folds=2, min_df=1).fit(train, dev)
    tuned = make_model("tfidf", C=100.0, folds=2, min_df=1, calibrate_on="dev", phase_priors=True).fit(train, dev)
    assert plain.calibration_.phase_bias is None
    bias = tuned.calibration_.phase_bias
    assert bias is not None and bias.shape == (len(PHASES),)
    from sklearn.metrics import f1_score

    def macro(m):
        s = m.predict_scores([p.text for p in dev])
        return f1_score([PHASES.index(p.phase) for p in dev], s.phase.argmax(1), average="macro")

    assert macro(tuned) >= macro(plain) - 1e-9
    cfg, _, _ = tuned.to_arrays()
    assert cfg["phase_bias"] == [round(float(x), 4) for x in bias]
    with pytest.raises(Exception, match="calibrate_on"):
        make_model("tfidf", calibrate_on="test")
    # prior_shrink pulls the offsets found back towards 0: half way gives half the offsets, 1 none at all
    half = make_model("tfidf", C=100.0, folds=2, min_df=1, calibrate_on="dev", phase_priors=True,
                      prior_shrink=0.5).fit(train, dev)
    np.testing.assert_allclose(half.calibration_.phase_bias, 0.5 * bias)
    gone = make_model("tfidf", C=100.0, folds=2, min_df=1, calibrate_on="dev", phase_priors=True,
                      prior_shrink=1.0).fit(train, dev)
    assert not gone.calibration_.phase_bias.any()
    with pytest.raises(Exception, match="prior_shrink"):
        make_model("tfidf", prior_shrink=1.5)


def _baselines():
    """The comparison baselines live with the scripts that use them."""
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("baselines", ROOT / "scripts" / "baselines.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_baselines_score_in_the_same_shape():
    KeywordModel = _baselines().KeywordModel

    gold = tiny_passages()
    s = KeywordModel().fit(gold).predict_scores(["De statuten regelen het secretariaat.", "Het weer was mooi."])
    assert PHASES[s.phase[0].argmax()] == "founding" and PHASES[s.phase[1].argmax()] == "none"
    np.testing.assert_allclose(s.phase.sum(1), 1.0)


def test_spacy_textcat_comparison_row_learns():
    SpacyTextcatModel = _baselines().SpacyTextcatModel

    gold = tiny_passages()
    m = SpacyTextcatModel(epochs=30).fit(gold)
    s = m.predict_scores([p.text for p in gold])
    acc = np.mean([PHASES[i] == p.phase for i, p in zip(s.phase.argmax(1), gold)])
    assert acc >= 0.8
    np.testing.assert_allclose(s.phase.sum(1), 1.0)
