"""HTML (BeautifulSoup): block elements in document order; scripts, styles and navigation dropped."""

from __future__ import annotations

from .paragraphs import join_paragraphs
from .text import decode

BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dt", "dd", "td", "th",
          "figcaption", "caption"]


def read_html(data: bytes, path: str) -> tuple[str, dict]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(data, path), "html.parser")
    for tag in soup(["script", "style", "nav", "noscript", "template", "head"]):
        tag.decompose()
    paras = []
    for el in soup.find_all(BLOCKS):
        if el.find(BLOCKS):  # an outer block: its inner blocks are taken instead
            continue
        paras.append(el.get_text(" ", strip=True))
    if not any(p.strip() for p in paras):
        paras = soup.get_text("\n").split("\n\n")
    meta = {}
    return join_paragraphs(paras), meta
