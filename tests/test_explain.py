"""``paradox explain``: a readable table by default, one flat JSON object with --json, no function words."""

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.explain import explain_text
from pipeline.stopwords import is_function_word

SENTENCES = [
    "Bij de eerste ontmoeting klikte het meteen tussen de twee directeuren.",
    "De initiatiefnemers kwamen daarna nog vijf keer samen om de statuten te bespreken.",
    "We kept our core identity while reacting quickly to the new regulation.",
    "The five members agreed on three targets and measure them every quarter.",
]


def test_function_words_are_recognised_in_both_languages():
    for w in ("kwamen", "daarna", "five", "the", "tussen de", "of the", "Het"):
        assert is_function_word(w), w
    for w in ("klikte", "statuten", "identity", "de statuten", "targets"):
        assert not is_function_word(w), w


@pytest.mark.parametrize("text", SENTENCES)
def test_reasons_are_never_function_words_and_belong_to_predicted_labels(text):
    ex = explain_text(text)
    assert ex["reasons"], "some word pushed some label"
    predicted = {(lab["kind"], lab["label"]) for lab in ex["labels"]}
    assert ("phase", ex["phase"]) in predicted and {("pole", p) for p in ex["poles"]} <= predicted
    for r in ex["reasons"]:
        assert not is_function_word(r["word"]), r
        assert (r["kind"], r["label"]) in predicted and r["weight"] > 0 and 0 <= r["probability"] <= 1
        assert all(part in text.lower() for part in r["word"].split())


def test_cli_table_and_flat_json():
    runner = CliRunner()
    r = runner.invoke(app, ["explain", SENTENCES[2]])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0].startswith("phase ") and any(line.startswith("phase ") and "(" in line for line in lines[1:])
    r = runner.invoke(app, ["explain", "--json", SENTENCES[2]])
    ex = json.loads(r.output)
    assert set(ex) == {"text", "phase", "poles", "tensions", "response", "uncertain", "model", "labels", "reasons"}
    assert all(set(x) == {"kind", "label", "probability", "word", "weight"} for x in ex["reasons"])
    assert all(not isinstance(v, (dict, list)) for x in ex["reasons"] for v in x.values())  # flat rows
