"""Segmentation: a document's text becomes passages with exact character offsets.

Paragraphs (blank-line separated) are the unit. Page numbers are dropped, a
one-word line ("Besluit:", "Actions") is joined to the paragraph after it, and a
paragraph longer than ``max_words`` is cut at sentence boundaries (:mod:`pipeline.sentences`:
Dutch and English rules, no model) into windows of at most ``max_words`` words. Every
passage satisfies ``document.text[p.start:p.end] == p.text``.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from .sentences import sentence_spans
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


PARA_CAP = 20_000  # characters: text this long without a blank line is cut at a line end or a space


def _cut(text: str, s: int) -> int:
    """Where to cut a run of more than ``PARA_CAP`` characters without a blank line that starts at ``s``:
    the last line end in the second half of its first ``PARA_CAP`` characters, else the last space."""
    window = text[s:s + PARA_CAP]
    i = window.rfind("\n", PARA_CAP // 2)
    if i <= 0:
        i = max(window.rfind(" "), window.rfind("\t"), window.rfind("\n"))
    return s + i if i > 0 else s + PARA_CAP


class Segmenter:
    """Segmentation of a text that arrives in pieces: :meth:`feed` each piece, then :meth:`close`; each
    returns the passages whose paragraphs are complete. The passages are those :func:`segment` gives for
    the joined text, whatever the pieces; only the unfinished paragraph is held between pieces.
    """

    def __init__(self, doc_id: str, path: str = "", max_words: int = MAX_WORDS):
        self.doc_id, self.path, self.max_words = doc_id, path, max_words
        self._buf = ""  # the text not yet segmented
        self._base = 0  # offset of _buf[0] in the document
        self._pending: int | None = None  # document offset of a one-word line waiting for its paragraph
        self._last_end = 0  # document offset of the end of the last paragraph seen
        self._n = 0

    def feed(self, piece: str) -> list[Passage]:
        self._buf += piece
        return self._drain(final=False)

    def close(self) -> list[Passage]:
        out = self._drain(final=True)
        if self._pending is not None:
            self._emit(self._pending - self._base, self._last_end - self._base, out)
            self._pending = None
        return out

    def _drain(self, final: bool) -> list[Passage]:
        buf, out = self._buf, []
        pos = 0  # start of the paragraph being read
        for m in PARA_BREAK.finditer(buf):  # a break cut by the piece's end only lacks whitespace: complete
            self._paragraph(pos, m.start(), True, out)
            pos = m.end()
        pos = self._paragraph(pos, len(buf), final, out)
        keep = pos if self._pending is None else min(pos, self._pending - self._base)
        self._buf = buf[keep:]
        self._base += keep
        return out

    def _paragraph(self, s: int, e: int, complete: bool, out: list[Passage]) -> int:
        """Segment ``_buf[s:e]`` (trimmed), a whole paragraph when ``complete``; otherwise only the parts
        of it that are certain (runs over ``PARA_CAP``). Returns where the unsegmented text begins."""
        buf = self._buf
        chunk = buf[s:e]
        start = s + len(chunk) - len(chunk.lstrip())
        end = s + len(chunk.rstrip())
        if end <= start:
            return e if complete else s
        while end - start > PARA_CAP:
            cut = _cut(buf, start)
            piece = buf[start:cut]
            self._unit(start, start + len(piece.rstrip()), out)
            rest = buf[cut:end]
            start = cut + len(rest) - len(rest.lstrip())
        if complete:
            self._unit(start, end, out)
            return e
        return start

    def _unit(self, s: int, e: int, out: list[Passage]) -> None:
        """One paragraph (or one cut of an over-long one): page numbers dropped, one-word lines joined
        to the paragraph after them, long ones windowed."""
        buf, base = self._buf, self._base
        body = buf[s:e]
        self._last_end = base + e
        if PAGE_NUMBER.match(body):
            return
        if "\n" not in body and len(body.split()) == 1 and not body[-1:] in ".!?":
            if self._pending is not None and base + e - self._pending > PARA_CAP:
                self._emit(self._pending - base, s, out)  # a run of one-word lines too long to wait
                self._pending = None
            if self._pending is None:
                self._pending = base + s
            return
        if self._pending is not None:
            s, self._pending = self._pending - base, None
        for ws, we in _windows(buf, s, e, self.max_words):
            self._emit(ws, we, out)

    def _emit(self, s: int, e: int, out: list[Passage]) -> None:
        text = self._buf[s:e].rstrip()
        if not text:
            return
        self._n += 1
        out.append(Passage(id=f"{self.doc_id}#{self._n}", doc_id=self.doc_id, text=text,
                           start=self._base + s, end=self._base + s + len(text), path=self.path))


def iter_segments(chunks: Iterable[str], doc_id: str, path: str = "",
                  max_words: int = MAX_WORDS) -> Iterator[list[Passage]]:
    """Passages of a text given in pieces, yielded in runs as their paragraphs complete."""
    seg = Segmenter(doc_id, path, max_words)
    for piece in chunks:
        found = seg.feed(piece)
        if found:
            yield found
    found = seg.close()
    if found:
        yield found


def segment(doc: Document, max_words: int = MAX_WORDS) -> list[Passage]:
    """Passages of a document, in order, ids ``<doc_id>#<n>`` from 1."""
    return [p for run in iter_segments([doc.text], doc.doc_id, doc.path, max_words) for p in run]
