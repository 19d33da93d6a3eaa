"""The rule-based sentence splitter (pipeline/sentences.py) on Dutch and English abbreviations, numbers and lists."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.sentences import sentence_spans


def split(text):
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize("text, expected", [
    ("Dit is een zin. Dit is er nog een! En een vraag? Ja.", ["Dit is een zin.", "Dit is er nog een!", "En een vraag?", "Ja."]),
    ("Bijv. de gemeente doet mee, o.a. Zwolle. Dhr. J. de Vries opent om 19.30 uur.",
     ["Bijv. de gemeente doet mee, o.a. Zwolle.", "Dhr. J. de Vries opent om 19.30 uur."]),
    ("Het budget is € 1.200.000. Daarna volgt art. 5 van de statuten.",
     ["Het budget is € 1.200.000.", "Daarna volgt art. 5 van de statuten."]),
    ("We met Mr. Smith, e.g. at the office. The budget was 3.5 million. The next item follows.",
     ["We met Mr. Smith, e.g. at the office.", "The budget was 3.5 million.", "The next item follows."]),
    ("Zie punt 3. Het bestuur besluit. Versie 2.1. is vastgesteld.",
     ["Zie punt 3.", "Het bestuur besluit.", "Versie 2.1. is vastgesteld."]),
    ("1. Opening. De voorzitter opent.\n2. Notulen. Vastgesteld.",
     ["1. Opening.", "De voorzitter opent.", "2. Notulen.", "Vastgesteld."]),
    ("Actions:\n- Priya drafts the budget\n- Tom rings the members",
     ["Actions:", "- Priya drafts the budget", "- Tom rings the members"]),
    ("He said: “We go.” Then we left. (This was in May.) After that, nothing.",
     ["He said: “We go.”", "Then we left.", "(This was in May.)", "After that, nothing."]),
    ("De leden m.b.t. het fonds, t.a.v. de raad en i.s.m. de provincie stemden in. Zo gezegd.",
     ["De leden m.b.t. het fonds, t.a.v. de raad en i.s.m. de provincie stemden in.", "Zo gezegd."]),
    ("no full stop at all", ["no full stop at all"]),
])
def test_sentences(text, expected):
    assert split(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab. \n!?€1AZ-é”(")), max_size=120))
def test_spans_are_ordered_trimmed_and_lose_no_content(text):
    spans = sentence_spans(text)
    assert all(s < e for s, e in spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)
    # every non-space character lies in exactly one sentence
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())
