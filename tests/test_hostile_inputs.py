"""Hostile inputs stay bounded or fail clearly, and none stops the batch: a huge text file, a PDF of empty pages,
a docx of tiny paragraphs, deeply nested HTML (scripts/hostile_inputs.py makes them and measures the full sizes:
docs/reliability.md gives the numbers)."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("hostile_inputs", ROOT / "scripts" / "hostile_inputs.py")
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)


@pytest.mark.slow
def test_hostile_inputs_in_one_batch_end_in_bounded_time_and_memory(tiny_model_dir, tmp_path):
    """Smaller than the full sizes where time grows with size (2 MB of text, 1,000 empty pages, 100,000
    paragraphs), the full nesting depth of HTML (100,000): one run, under a minute and 1 GB; the PDF fails with
    its message, the others and the ordinary document are tagged."""
    paths = hostile.make_inputs(tmp_path / "in", scale=0.0001)
    hostile.make_text(paths["text"], 2)
    hostile.make_pdf(paths["pdf"], 1000)
    hostile.make_docx(paths["docx"], 100_000)
    hostile.make_html(paths["html"], 100_000)
    row = hostile.measure(["tag", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--model", str(tiny_model_dir)])
    assert row["exit"] == 1, row
    assert row["errors"] == ["empty-pages.pdf: no_text: no extractable text in empty-pages.pdf; scanned? "
                             "(run OCR first, e.g. ocrmypdf)"], row
    assert row["seconds"] < 60 and row["peak_rss_mb"] < 1024, row
    docs = {}
    for line in (tmp_path / "out" / "passages.jsonl").open(encoding="utf-8"):
        p = json.loads(line)
        docs[p["path"]] = docs.get(p["path"], 0) + 1
    assert set(docs) == {"huge.txt", "tiny-paragraphs.docx", "deep.html", "good.md"}, docs
    assert docs["good.md"] == 2 and docs["deep.html"] == 1 and docs["huge.txt"] > 9_000
