"""Sentence boundaries for Dutch and English, by rule: no model, no spaCy.

Segmentation cuts a paragraph into sentences only when it is longer than the passage limit, so the
splitter must be right about the cases that real alliance documents are full of, and cheap:

- a sentence ends at ``.``, ``!``, ``?`` or ``…`` (optionally followed by closing quotes or brackets)
  when whitespace and then an upper-case letter, a digit, an opening quote or bracket, or a list
  marker follow;
- not after an abbreviation of either language (``e.g.``, ``i.e.``, ``Mr.``, ``no.``, ``art.``, ``bijv.``,
  ``o.a.``, ``m.b.t.``, ``dhr.``, ``mevr.``, ``blz.`` …), a single initial (``J. de Vries``), or an
  ordinal or enumeration number (``1.``, ``2.3.``), and never inside a number (``3.5``, ``€ 1.200``);
- a line break before a list item (``-``, ``*``, ``•``, ``1.``, ``a)``) ends a sentence too, since
  lists inside a paragraph are one item per line.

:func:`sentence_spans` returns ``(start, end)`` offsets with surrounding whitespace trimmed, so that
``text[start:end]`` is each sentence.
"""

from __future__ import annotations

import re

# abbreviations (lower case, without the final dot) after which a dot does not end a sentence
ABBREVIATIONS = frozenset("""
e.g i.e etc vs cf al approx dept est fig inc ltd co corp jr sr st no nos nr vol p pp ed eds art arts sec
mr mrs ms dr prof rev gen gov sen rep hon jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri
ca resp incl excl min max
bijv bv o.a m.b.t t.a.v i.v.m z.g.a.n d.w.z c.q e.a enz evt vgl zgn ca dhr mevr mw drs ir ing mr prof blz pag
nl jl a.s t.z.t o.b.v i.s.m m.i.v t.b.v n.a.v p.p.n.v w.o u.i.t v.w.b i.c
""".split())

_END = re.compile(r"""([.!?…]+)(["'”’»)\]]*)(\s+)""")
_NEXT_STARTS = re.compile(r"""["'“‘«(\[]?[A-ZÀ-ÖØ-Þ0-9€$£]|[-*•–]\s""")
_LIST_ITEM = re.compile(r"\n[ \t]*(?:[-*•–]|\d{1,2}[.)]|[a-z][.)])\s")
_WORD_BEFORE = re.compile(r"(\S+)$")


def _is_abbreviation(token: str, line_start: bool) -> bool:
    """Whether ``token`` (the text before a dot, up to the previous whitespace) is an abbreviation, an
    initial, or an enumeration number at the start of a line (``1.``, ``2.3.``); a number inside a line
    (``punt 3.``, ``€ 1.200.000.``) can end a sentence."""
    t = token.lstrip("(\"'“‘«[").lower()
    if not t:
        return False
    if t in ABBREVIATIONS:
        return True
    if len(t) == 1 and t.isalpha():  # an initial: J. de Vries
        return True
    if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})*", t):
        return line_start
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", t):  # o.a., m.b.t., e.g.: letters and dots
        return True
    return False


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets within ``text``, whitespace trimmed."""
    cuts = set()
    for m in _END.finditer(text):
        end_punct = m.group(1)
        after = m.end()
        if after >= len(text):
            continue
        if not _NEXT_STARTS.match(text, after) and "\n" not in m.group(3):
            continue
        if end_punct == ".":
            before = _WORD_BEFORE.search(text, 0, m.start())
            if before:
                line_start = before.start() == 0 or text[before.start() - 1] == "\n" or \
                    text[:before.start()].rstrip(" \t").endswith("\n") or not text[:before.start()].strip()
                if _is_abbreviation(before.group(1), line_start):
                    continue
        cuts.add(m.start(3))
    for m in _LIST_ITEM.finditer(text):
        cuts.add(m.start())
    out: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        span = trimmed(text, start, cut)
        if span:
            out.append(span)
        start = cut
    return out


def trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` without the whitespace at either end; None when nothing else is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None
