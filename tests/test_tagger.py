from pipeline.labels import PHASES, POLES, tensions
from pipeline.tagger import Tagger, load_tagger
from pipeline.types import TaggedPassage


def test_tag_text_returns_typed_passages(tiny_model_dir):
    tagger = load_tagger(tiny_model_dir)
    text = "Aanwezig: Jan, Piet en Klaas.\n\nWe gingen samen eten, maar vroegen ook drie jaar cijfers op."
    out = tagger.tag_text(text, doc_id="memo")
    assert len(out) == 2 and all(isinstance(p, TaggedPassage) for p in out)
    for p in out:
        assert text[p.start:p.end] == p.text
        assert p.phase in PHASES and set(p.phase_scores) == set(PHASES)
        assert set(p.pole_scores) == set(POLES) and p.tensions == tensions(p.poles)
        assert p.model == "tiny@0.0.1" and p.lang == "nl"
    assert out[1].tensions == ["trust_analysis"]


def test_load_tagger_caches(tiny_model_dir):
    assert load_tagger(tiny_model_dir) is load_tagger(tiny_model_dir)


def test_default_model_loads_and_tags():
    tagger = load_tagger()
    out = tagger.tag_texts(["The founders met over dinner and agreed to explore a joint fund.",
                            "Het proces-verbaal ligt ter inzage bij de notaris."])
    assert [p.id for p in out] == ["text-0", "text-1"]
    assert all(abs(sum(p.phase_scores.values()) - 1) < 1e-3 for p in out)


def test_tag_file_and_explain(tiny_model_dir, tmp_path):
    f = tmp_path / "memo.md"
    f.write_text("# Memo\n\nThe charter sets out voting rules, fees and the admission criteria.\n", encoding="utf-8")
    tagger = load_tagger(tiny_model_dir)
    out = tagger.tag_file(f)
    assert [p.text for p in out] == ["# Memo", "The charter sets out voting rules, fees and the admission criteria."]
    assert out[1].phase == "founding"
    expl = tagger.explain(out[1].text)
    assert "founding" in expl and expl["founding"], expl
    assert all(w > 0 for _, w in expl["founding"])
