from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment import MAX_WORDS, paragraph_spans, segment
from pipeline.types import Document


def test_paragraphs_are_passages_with_exact_offsets():
    text = "# Notulen\n\nAanwezig: Jan, Piet.\n\n\nDe voorzitter opent\nde vergadering.\n"
    ps = segment(Document("d", text))
    assert [p.text for p in ps] == ["# Notulen", "Aanwezig: Jan, Piet.", "De voorzitter opent\nde vergadering."]
    assert all(text[p.start:p.end] == p.text for p in ps)
    assert [p.id for p in ps] == ["d#1", "d#2", "d#3"]


def test_long_paragraph_is_cut_at_sentences():
    sent = "De werkgroep sprak lang over de doelen van het komende jaar en de rol van de leden. "
    text = sent * 30  # 510 words
    ps = segment(Document("d", text))
    assert len(ps) > 1
    for p in ps:
        assert len(p.text.split()) <= MAX_WORDS
        assert p.text.endswith("leden.")
        assert text[p.start:p.end] == p.text


def test_page_numbers_dropped_and_one_word_lines_joined():
    text = "Besluit:\n\nHet bestuur stemt in met het plan.\n\n12\n\nPage 3 of 9\n\nThe end of it."
    ps = segment(Document("d", text))
    assert [p.text for p in ps] == ["Besluit:\n\nHet bestuur stemt in met het plan.", "The end of it."]


words = st.text(alphabet=st.sampled_from("abcdeé .,!?\n\t:-'"), min_size=0, max_size=400)


@settings(max_examples=200, deadline=None)
@given(words)
def test_offsets_always_map_back(text):
    for p in segment(Document("d", text), max_words=12):
        assert text[p.start:p.end] == p.text
        assert p.text.strip() == p.text and p.text
    spans = paragraph_spans(text)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
