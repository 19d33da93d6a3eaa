from dataclasses import replace
"""The ``paradox/tagger`` spaCy component in real pipelines: add_pipe, spans, displacy, to_disk/spacy.load."""

import json
import shutil
import subprocess
import sys
from importlib.metadata import entry_points

import pytest
import spacy
from spacy import displacy

from pipeline.errors import ModelError
from pipeline.integrations.spacy_component import SPANS_KEY, make_tagger
from pipeline.labels import PHASES, POLES
from pipeline.tagger import load_tagger

TEXT = ("Bij de eerste ontmoeting klikte het meteen tussen de twee directeuren.\n\n"
        "De statuten regelen de stemverhouding en het secretariaat.\n\n"
        "We probeerden een nieuw model uit waarin de kern bleef en de uitvoering snel kon wisselen.")
TEXT_EN = ("Over a long dinner the founders discovered how much they had in common.\n\n"
           "  The charter sets out voting rules, fees and the admission criteria.  \n\n"
           "We kept our core identity while reacting quickly to the new regulation.")


def _nlp(lang, model_dir):
    nlp = spacy.blank(lang)
    nlp.add_pipe("paradox/tagger", config={"model": str(model_dir)})
    return nlp


def _spans(doc):
    return [(s.start_char, s.end_char, s.label_, s._.paradox_poles, s._.paradox_pole_scores,
             s._.paradox_phase_scores, s._.paradox_tensions, s._.paradox_response) for s in doc.spans[SPANS_KEY]]


def test_entry_point_names_the_factory():
    eps = {ep.name: ep for ep in entry_points(group="spacy_factories")}
    assert eps["paradox/tagger"].value == "pipeline.integrations.spacy_component:make_tagger"
    assert eps["paradox/tagger"].load() is make_tagger


@pytest.mark.slow
def test_add_pipe_in_a_fresh_interpreter_finds_the_factory_by_entry_point(tiny_model_dir):
    code = ("import sys, spacy\n"
            "assert 'pipeline.integrations.spacy_component' not in sys.modules\n"
            "for lang in ('nl', 'en'):\n"
            "    nlp = spacy.blank(lang)\n"
            f"    nlp.add_pipe('paradox/tagger', config={{'model': {str(tiny_model_dir)!r}}})\n"
            "    assert nlp.pipe_names == ['paradox/tagger']\n"
            "print('ok')\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


@pytest.mark.parametrize("lang,text", [("nl", TEXT), ("en", TEXT_EN)])
def test_spans_match_the_tagger(tiny_model_dir, lang, text):
    nlp = _nlp(lang, tiny_model_dir)
    doc = nlp(text)
    expected = load_tagger(tiny_model_dir).tag_text(text)
    spans = list(doc.spans[SPANS_KEY])
    assert len(spans) == len(expected) == 3
    for span, t in zip(spans, expected):
        assert span.label_ == t.phase and span.label_ in PHASES
        assert span.start_char == t.start and span.end_char == t.end  # passages start and end on tokens here
        assert span.text == t.text
        assert span._.paradox_poles == t.poles and set(span._.paradox_pole_scores) == set(POLES)
        assert span._.paradox_phase_scores == t.phase_scores
        assert span._.paradox_tensions == t.tensions and span._.paradox_response == t.response
    # the tiny model is overfitted: it knows these passages
    assert [s.label_ for s in spans] == (["forming", "founding", "transformation"] if lang == "nl"
                                         else ["forming", "founding", "transformation"])
    assert spans[2]._.paradox_tensions == ["stability_agility"]
    summary = doc._.paradox_summary
    assert summary["passages"] == 3
    assert sum(summary["phases"].values()) == 3 and summary["phases"]["founding"] == 1
    assert summary["tensions"]["stability_agility"] == 1
    assert summary["poles"]["agility"] == sum("agility" in s._.paradox_poles for s in spans)


def test_offsets_inside_tokens_expand_to_whole_tokens(tiny_model_dir):
    nlp = _nlp("en", tiny_model_dir)
    doc = nlp.make_doc("The charter sets out voting rules.")
    tagged = load_tagger(tiny_model_dir).tag_text(doc.text)
    # a passage that starts and ends inside tokens grows to whole tokens
    tagged[0] = replace(tagged[0], start=2, end=len(doc.text) - 3)
    nlp.get_pipe("paradox/tagger").set_annotations([doc], [tagged])
    span = doc.spans[SPANS_KEY][0]
    assert (span.start_char, span.end_char) == (0, len(doc.text) - 1)
    assert span.text == "The charter sets out voting rules"


def test_pipe_batches_equal_single_calls(tiny_model_dir):
    nlp = _nlp("nl", tiny_model_dir)
    texts = [TEXT, TEXT_EN, "Aanwezig: Jan, Piet en Klaas.", ""]
    batched = [_spans(d) for d in nlp.pipe(texts, batch_size=3)]
    single = [_spans(nlp(t)) for t in texts]
    assert batched == single and batched[3] == [] and len(batched[2]) == 1


def test_another_spans_key(tiny_model_dir):
    nlp = spacy.blank("nl")
    nlp.add_pipe("paradox/tagger", config={"model": str(tiny_model_dir), "spans_key": "pdx"})
    doc = nlp(TEXT)
    assert SPANS_KEY not in doc.spans and len(doc.spans["pdx"]) == 3 and doc._.paradox_summary["passages"] == 3


def test_displacy_renders_the_spans(tiny_model_dir):
    doc = _nlp("nl", tiny_model_dir)(TEXT)
    html = displacy.render(doc, style="span", options={"spans_key": SPANS_KEY})
    assert "forming" in html and "founding" in html and "transformation" in html


@pytest.mark.slow
def test_to_disk_and_spacy_load_round_trip_without_the_original_model(tiny_model_dir, tmp_path):
    model = tmp_path / "model-copy"
    shutil.copytree(tiny_model_dir, model)
    nlp = _nlp("nl", model)
    before = [_spans(nlp(t)) for t in (TEXT, TEXT_EN)]
    nlp.to_disk(tmp_path / "pipeline")
    shutil.rmtree(model)  # the saved pipeline must not need it
    saved = tmp_path / "pipeline" / "paradox" / "tagger"
    assert json.loads((saved / "model" / "config.json").read_text())["name"] == "tiny"
    assert not list(saved.rglob("*.pkl")) and not list(saved.rglob("*.pickle"))
    nlp2 = spacy.load(tmp_path / "pipeline")
    assert nlp2.pipe_names == ["paradox/tagger"] and nlp2.lang == "nl"
    assert [_spans(nlp2(t)) for t in (TEXT, TEXT_EN)] == before
    # saving the loaded pipeline again works too
    nlp2.to_disk(tmp_path / "again")
    assert [_spans(spacy.load(tmp_path / "again")(t)) for t in (TEXT, TEXT_EN)] == before


def test_span_extensions_survive_doc_serialization(tiny_model_dir):
    from spacy.tokens import DocBin

    nlp = _nlp("en", tiny_model_dir)
    doc = nlp(TEXT_EN)
    db = DocBin(store_user_data=True, docs=[doc])
    doc2 = list(DocBin().from_bytes(db.to_bytes()).get_docs(nlp.vocab))[0]

    def plain(rows):  # msgpack gives lists back as tuples
        return [tuple(list(v) if isinstance(v, tuple) else v for v in row) for row in rows]

    assert plain(_spans(doc2)) == plain(_spans(doc)) and len(_spans(doc)) == 3


def test_missing_model_fails_with_a_clear_error(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("paradox/tagger", config={"model": str(tmp_path / "nope")})
    with pytest.raises(ModelError, match="no config.json"):
        nlp("The board met.")


def test_default_model(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("paradox/tagger")
    text = ("The founding assembly adopted the charter, the statutes and the admission criteria for members.\n\n"
            "The next meeting will be held on 3 May at 10 am.")
    doc = nlp(text)
    spans = list(doc.spans[SPANS_KEY])
    assert len(spans) == 2 and all(s.label_ in PHASES for s in spans)
    assert [s.label_ for s in spans] == [t.phase for t in load_tagger().tag_text(text)]
    assert abs(sum(spans[0]._.paradox_phase_scores.values()) - 1) < 0.01
    nlp.to_disk(tmp_path / "p")
    doc2 = spacy.load(tmp_path / "p")(text)
    assert [s.label_ for s in doc2.spans[SPANS_KEY]] == [s.label_ for s in spans]
