import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import segment as segment_module
from pipeline.segment import MAX_WORDS, PARA_CAP, Segmenter, iter_segments, paragraph_spans, segment
from pipeline.types import Document


@pytest.fixture
def monkeypatch_cap(monkeypatch):
    monkeypatch.setattr(segment_module, "PARA_CAP", 30)


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


def _pieces(text: str, sizes: list[int]) -> list[str]:
    out, i, k = [], 0, 0
    while i < len(text):
        n = sizes[k % len(sizes)] if sizes else len(text)
        out.append(text[i:i + n])
        i, k = i + n, k + 1
    return out


def _spans(runs) -> list[tuple[int, int, str, str]]:
    return [(p.start, p.end, p.text, p.id) for run in runs for p in run]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from("ab cé.\n\n\n\t 1"), max_size=600),
       st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=6))
def test_text_in_pieces_segments_like_the_whole(monkeypatch_cap, text, sizes):
    """Whatever the pieces, the passages are those of the whole text; the long-paragraph cut (made small
    here) and the one-word-line rule included."""
    whole = _spans([segment(Document("d", text), max_words=12)])
    assert _spans(iter_segments(_pieces(text, sizes), "d", max_words=12)) == whole
    for start, end, body, _ in whole:
        assert text[start:end] == body


@pytest.mark.slow
def test_a_run_without_blank_lines_is_cut_before_it_grows_without_bound():
    line = "De leden bespraken de begroting en de koers van het netwerk"
    text = "\n".join(f"{line} {i}." for i in range(5000))  # ~320,000 characters, not one blank line
    seg = Segmenter("d")
    first = []
    for piece in _pieces(text, [10_000]):
        first.extend(seg.feed(piece))
        assert len(seg._buf) < PARA_CAP + 10_000  # only the unfinished run is held
    rest = seg.close()
    ps = first + rest
    assert first, "passages come out before the end of the text"
    assert all(text[p.start:p.end] == p.text and len(p.text.split()) <= MAX_WORDS for p in ps)
    assert " ".join(p.text for p in ps).split() == text.split()  # nothing lost, nothing doubled
    assert _spans([ps]) == _spans([segment(Document("d", text))])


def test_many_one_word_lines_in_a_row_stay_bounded():
    text = "\n\n".join(["Agendapunt"] * 3000) + "\n\nHet bestuur stemt in met het plan."
    ps = segment(Document("d", text))
    assert all(text[p.start:p.end] == p.text for p in ps)
    assert max(len(p.text) for p in ps) <= PARA_CAP + 100
    assert ps[-1].text.endswith("Het bestuur stemt in met het plan.")
    assert _spans([ps]) == _spans(iter_segments(_pieces(text, [777]), "d"))
