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


def test_streamed_document_equals_whole_and_languages_follow_their_chunk(tiny_model_dir):
    """tag_document_stream in chunks of 4 gives tag_document's passages; a short passage takes the
    majority language of its own chunk's long passages."""
    from pipeline.types import DocumentStream

    tagger = load_tagger(tiny_model_dir)
    nl = "De leden spraken lang met elkaar over de statuten en het secretariaat van de coöperatie."
    en = "The founders met over a long dinner and decided to explore a joint fund together."
    paras = [nl, nl, nl, "Akkoord."] + [en, en, en, "Agreed."]
    text = "\n\n".join(paras)
    whole = tagger.tag_text(text, doc_id="d")
    runs = list(tagger.tag_document_stream(DocumentStream("d", iter([text[:50], text[50:]])), chunk=4))
    assert [len(r) for r in runs] == [4, 4]
    streamed = [t for r in runs for t in r]
    assert [t.lang for t in streamed] == ["nl"] * 4 + ["en"] * 4
    assert [(t.id, t.start, t.end, t.phase, t.poles, t.pole_scores) for t in streamed] == \
        [(t.id, t.start, t.end, t.phase, t.poles, t.pole_scores) for t in whole]
    # tagged whole, both short ones take the document's majority: a tie, which goes to nl
    assert [t.lang for t in whole] == ["nl"] * 4 + ["en"] * 3 + ["nl"]


def test_passages_made_without_init_equal_the_ordinary_ones():
    """``made``, ``with_lang`` and ``TaggedPassage.from_dict`` skip the frozen ``__init__`` for complete
    records; what they make equals what the constructor makes, and anything less still goes through it."""
    from dataclasses import replace

    import pytest

    from pipeline.types import Passage, TaggedPassage, made, with_lang

    values = dict(id="d#1", doc_id="d", path="d.txt", start=0, end=5, text="Hallo", lang="nl", phase="none",
                  phase_scores={"none": 1.0}, poles=[], pole_scores={}, tensions=[], response=None,
                  model="m@1", response_scores={}, uncertain=False)
    p = made(TaggedPassage, values)
    assert p == TaggedPassage(**values) and type(p) is TaggedPassage
    assert TaggedPassage.from_dict(p.to_dict()) == p
    with pytest.raises(Exception):
        p.lang = "en"  # still frozen
    partial = {k: v for k, v in values.items() if k not in ("uncertain", "response_scores")}
    assert made(TaggedPassage, partial) == TaggedPassage(**partial)  # defaults filled by __init__
    with pytest.raises(TypeError):
        made(TaggedPassage, {**values, "extra": 1})
    q = Passage("d#2", "d", "Tekst")
    assert with_lang(q, "nl") == replace(q, lang="nl") and q.lang == ""
