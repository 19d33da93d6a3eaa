"""Tag examples/ with the shipped default model and check every output line against docs/formats.md."""

import json
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.ingest import read_document
from pipeline.labels import PARADOXES, PHASES, POLES, RESPONSES, tensions

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    s = batch.run([EXAMPLES], out)
    return s, out, [json.loads(l) for l in (out / "passages.jsonl").read_text(encoding="utf-8").splitlines()]


def test_examples_cover_formats():
    suffixes = {p.suffix for p in EXAMPLES.rglob("*") if p.is_file()}
    assert {".docx", ".pdf", ".txt", ".html", ".odt"} <= suffixes


def test_every_line_conforms_to_spec(tagged):
    s, out, lines = tagged
    assert s.exit_code == 0 and s.failed == 0 and len(lines) == s.passages > 20
    texts = {}
    for d in lines:
        for key, typ in (("id", str), ("doc_id", str), ("path", str), ("start", int), ("end", int), ("text", str),
                         ("lang", str), ("phase", str), ("phase_scores", dict), ("poles", list),
                         ("pole_scores", dict), ("tensions", list), ("model", str)):
            assert isinstance(d[key], typ), key
        assert d["response"] is None or d["response"] in RESPONSES
        assert d["lang"] in ("nl", "en", "other") and d["phase"] in PHASES
        assert set(d["phase_scores"]) == set(PHASES) and set(d["pole_scores"]) == set(POLES)
        assert all(0 <= v <= 1 for v in [*d["phase_scores"].values(), *d["pole_scores"].values()])
        assert set(d["poles"]) <= set(POLES) and d["tensions"] == tensions(d["poles"])
        assert set(d["tensions"]) <= set(PARADOXES)
        assert d["model"].startswith("default@")
        # offsets map back into the document's extracted text
        if d["path"] not in texts:
            texts[d["path"]] = read_document(EXAMPLES / d["path"]).text
        assert texts[d["path"]][d["start"]:d["end"]] == d["text"]
    assert len({d["id"] for d in lines}) == len(lines)
    assert {d["lang"] for d in lines} == {"nl", "en"}


def test_summary_and_report_written(tagged):
    s, out, lines = tagged
    summary = json.loads((out / "summary.json").read_text())
    assert summary["statistics"]["overall"]["passages"] == len(lines)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('class="p') == len(lines)
    assert "http://" not in html and "https://" not in html
