"""Segmentation: a document's text becomes passages with exact character offsets.

Paragraphs (blank-line separated) are the unit. Page numbers are dropped, a
one-word line ("Besluit:", "Actions") is joined to the paragraph after it, and a
paragraph longer than ``max_words`` is cut at sentence boundaries (spaCy's
rule-based sentencizer) into windows of at most ``max_words`` words. Every
passage satisfies ``document.text[p.start:p.end] == p.text``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .types import Document, Passage

PARA_BREAK = re.compile(r"\n[ \t]*\n\s*")
PAGE_NUMBER = re.compile(r"^(?:(?:page|pagina|blz\.?|p\.)\s*\d{1,4}|[-–]?\s*\d{1,3}\s*[-–]?)(?:\s*(?:/|of|van)\s*\d{1,4})?$", re.I)
WORD = re.compile(r"\S+")
MAX_WORDS = 120


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every blank-line separated paragraph, surrounding whitespace trimmed."""
    spans = []
    pos = 0
    for m in [*PARA_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        s = pos + len(chunk) - len(chunk.lstrip())
        e = pos + len(chunk.rstrip())
        if e > s:
            spans.append((s, e))
        if m:
            pos = m.end()
    return spans


@lru_cache(maxsize=1)
def _sentencizer():
    import spacy

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets within ``text`` (spaCy sentencizer)."""
    doc = _sentencizer()(text)
    out = []
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _windows(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """Cut text[start:end] into runs of whole sentences with at most ``max_words`` words."""
    if len(WORD.findall(text, start, end)) <= max_words:  # most paragraphs: counted, not cut
        return [(start, end)]
    pieces: list[tuple[int, int, int]] = []  # start, end, n_words
    for s, e in sentence_spans(text[start:end]):
        s, e = start + s, start + e
        n = len(WORD.findall(text, s, e))
        if n <= max_words:
            pieces.append((s, e, n))
        else:  # one over-long sentence: cut at word boundaries
            ws = list(WORD.finditer(text, s, e))
            for i in range(0, len(ws), max_words):
                chunk = ws[i:i + max_words]
                pieces.append((chunk[0].start(), chunk[-1].end(), len(chunk)))
    # greedy packing, then balance the last two windows
    out: list[list[int]] = []
    for s, e, n in pieces:
        if out and out[-1][2] + n <= max_words:
            out[-1][1] = e
            out[-1][2] += n
        else:
            out.append([s, e, n])
    return [(s, e) for s, e, _ in out]


def segment(doc: Document, max_words: int = MAX_WORDS) -> list[Passage]:
    """Passages of a document, in order, ids ``<doc_id>#<n>`` from 1."""
    text = doc.text
    spans = []
    pending: int | None = None  # start of a one-word line waiting for its paragraph
    for s, e in paragraph_spans(text):
        body = text[s:e]
        if PAGE_NUMBER.match(body):
            continue
        if "\n" not in body and len(body.split()) == 1 and not body[-1:] in ".!?":
            if pending is None:
                pending = s
            continue
        if pending is not None:
            s, pending = pending, None
        spans.extend(_windows(text, s, e, max_words))
    if pending is not None:
        spans.append((pending, paragraph_spans(text)[-1][1]))
    return [Passage(id=f"{doc.doc_id}#{i}", doc_id=doc.doc_id, text=text[s:e], start=s, end=e, path=doc.path)
            for i, (s, e) in enumerate(spans, 1)]
