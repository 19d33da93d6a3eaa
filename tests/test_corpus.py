import json

import pytest

from pipeline import corpus
from pipeline.errors import CorpusError


def write(tmp_path, lines, name="c.jsonl"):
    p = tmp_path / name
    p.write_text("\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines) + "\n", encoding="utf-8")
    return p


GOOD = {"id": "d#1", "doc_id": "d", "text": "Tekst.", "lang": "nl", "genre": "minutes", "phase": "forming",
        "poles": ["trust"], "response": None, "meta": {"alliance": "x"}}


def test_reads_valid_lines_with_defaults(tmp_path):
    p = write(tmp_path, [GOOD, {"id": "d#2", "text": "Another.", "phase": "none"}])
    ps = corpus.read_corpus(p)
    assert [x.id for x in ps] == ["d#1", "d#2"]
    assert ps[1].poles == [] and ps[1].response is None and ps[1].doc_id == "d"


@pytest.mark.parametrize("line, field, words", [
    ({**GOOD, "phase": "formingg"}, "phase", ["unknown phase 'formingg'", "forming, founding"]),
    ({**GOOD, "poles": ["trust", "speed"]}, "poles", ["unknown pole 'speed'", "trust, analysis"]),
    ({**GOOD, "response": "ignore"}, "response", ["unknown response 'ignore'", "accept"]),
    ({**GOOD, "text": "  "}, "text", ["empty text"]),
    ({k: v for k, v in GOOD.items() if k != "phase"}, "phase", ["required field is missing"]),
    ({**GOOD, "lang": "de"}, "lang", ["unknown lang 'de'"]),
    ({**GOOD, "meta": {"round": 3}}, "meta.round", ["must be one of 1, 2, got 3"]),
    ({**GOOD, "meta": {"form": ""}}, "meta.form", ["must be a non-empty string"]),
    ({**GOOD, "meta": {"writer": 7}}, "meta.writer", ["must be a non-empty string, got 7"]),
])
def test_errors_name_file_line_and_field(tmp_path, line, field, words):
    p = write(tmp_path, [{**GOOD, "id": "ok#1"}, line])
    with pytest.raises(CorpusError) as e:
        corpus.read_corpus(p)
    msg = str(e.value)
    assert f"{p}:2" in msg and f"field '{field}'" in msg
    for w in words:
        assert w in msg


def test_malformed_json_and_duplicates(tmp_path):
    p = write(tmp_path, [GOOD, "{not json", GOOD])
    problems = corpus.validate([p])
    assert len(problems) == 2
    assert f"{p}:2" in problems[0] and "malformed JSON" in problems[0]
    assert f"{p}:3" in problems[1] and "duplicate id 'd#1'" in problems[1]
    with pytest.raises(CorpusError, match="malformed JSON"):
        corpus.read_corpus(p)


def test_split_keeps_alliances_together(tmp_path):
    from tests.conftest import tiny_passages

    parts = corpus.split_corpus(tiny_passages(), splits={})
    where = {}
    for name, ps in parts.items():
        for p in ps:
            assert where.setdefault(p.alliance, name) == name
    assert sum(len(v) for v in parts.values()) == len(tiny_passages())


def test_dataset_bridge_has_typed_features():
    from tests.conftest import tiny_passages

    ds = corpus.to_dataset(tiny_passages())
    assert ds.features["phase"].names[0] == "forming"
    assert ds.features["poles"].feature.names == ["trust", "analysis", "process", "content", "stability",
                                                   "agility", "consolidation", "cocreation"]
    row = ds[1]
    assert ds.features["phase"].int2str(row["phase"]) == "forming"
    assert [ds.features["poles"].feature.int2str(i) for i in row["poles"]] == ["trust", "analysis"]
    assert ds.features["response"].int2str(row["response"]) == "balance"


def test_stats_counts_labels_by_language():
    from tests.conftest import tiny_passages

    s = corpus.stats(tiny_passages(), splits={})
    assert s["passages"] == len(tiny_passages())
    assert s["table"]["pole:trust"]["lang:nl"] == 2 and s["table"]["pole:trust"]["lang:en"] == 1
    assert s["table"]["tension:any"]["all"] == 6


def test_stats_per_round_and_form(tmp_path):
    lines = [{**GOOD, "id": "a#1", "meta": {"alliance": "a", "round": 1, "form": "minutes", "writer": "w1",
                                            "annotator": "w1"}},
             {**GOOD, "id": "b#1", "doc_id": "b", "poles": [], "phase": "none",
              "meta": {"alliance": "b", "round": 2, "form": "webpage", "writer": "w2", "annotator": "c2"}},
             {**GOOD, "id": "b#2", "doc_id": "b", "poles": ["process", "content"], "phase": "evolution",
              "meta": {"alliance": "b", "round": 2, "form": "webpage", "writer": "w2", "annotator": "c2"}}]
    s = corpus.stats(corpus.read_corpus(write(tmp_path, lines)), splits={})
    assert s["rounds"]["1"]["passages"] == 1 and s["rounds"]["2"]["passages"] == 2
    assert s["rounds"]["2"]["no_pole"] == 0.5 and s["rounds"]["2"]["tension"] == 0.5
    assert s["rounds"]["2"]["writers"] == ["w2"] and s["rounds"]["2"]["annotators"] == ["c2"]
    assert s["table"]["all"]["form:webpage"] == 2 and s["table"]["all"]["round:1"] == 1
    assert s["documents_by"]["form"] == {"minutes": 1, "webpage": 1}
