"""What the whole-file formats (docx, HTML, ODT) share: their paragraphs joined into one text."""

from __future__ import annotations


def join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs with inner whitespace tidied, separated by one blank line."""
    out = []
    for p in paragraphs:
        p = " ".join(p.split())
        if p:
            out.append(p)
    return "\n\n".join(out)
