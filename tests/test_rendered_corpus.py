"""Ingestion on the real corpus: rendered .docx/.pdf/.html/.odt copies read back to the same words and paragraphs."""

import re
from pathlib import Path

import pytest

from pipeline.ingest import read_document
from pipeline.segment import paragraph_spans

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out; `make test` runs it

ROOT = Path(__file__).resolve().parent.parent
RENDERED = sorted((ROOT / "annotations" / "rendered").rglob("*.*"))


def source_paragraphs(rendered: Path) -> list[str]:
    src = next((ROOT / "annotations" / "documents" / rendered.parent.name).glob(rendered.stem + ".*"))
    text = src.read_text(encoding="utf-8")
    return [" ".join(re.sub(r"^#{1,6}\s+", "", text[s:e]).split()) for s, e in paragraph_spans(text)]


def test_at_least_fifteen_rendered_in_four_formats():
    assert len(RENDERED) >= 15
    assert {p.suffix for p in RENDERED} == {".docx", ".pdf", ".html", ".odt"}


@pytest.mark.parametrize("path", RENDERED, ids=lambda p: p.name)
def test_rendered_document_reads_back(path):
    doc = read_document(path)
    expected = source_paragraphs(path)
    got = doc.text.split("\n\n")
    assert doc.text.split() == " ".join(expected).split()  # every word, in order
    assert got == expected  # the same paragraphs (for PDF: from the vertical gaps of the text layer)
