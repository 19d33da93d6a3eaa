#!/usr/bin/env python3
"""Render Markdown/text documents as .docx, .pdf, .html or .odt, so ingestion is exercised on real files.

Each blank-line separated paragraph becomes one paragraph of the target format
(``#`` lines become headings). The text is not changed.

Usage: python scripts/render_documents.py SRC.md [SRC.md ...] --to docx|pdf|html|odt --out DIR
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

PARA = re.compile(r"\n[ \t]*\n")


def paragraphs(path: Path) -> list[tuple[int, str]]:
    """(heading level or 0, text) for each paragraph; line breaks inside a paragraph become spaces."""
    out = []
    for block in PARA.split(path.read_text(encoding="utf-8")):
        block = block.strip()
        if not block:
            continue
        m = re.match(r"^(#{1,6})\s+(.*)$", block, re.S)
        if m:
            out.append((len(m.group(1)), " ".join(m.group(2).split())))
        else:
            out.append((0, " ".join(block.split())))
    return out


def to_docx(paras, dest: Path, title: str) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = title
    for level, text in paras:
        if level:
            d.add_heading(text, level=min(level, 4))
        else:
            d.add_paragraph(text)
    d.save(dest)


def _unicode_font() -> str | None:
    """Register a TrueType font that covers Dutch, Turkish and other Latin names (the built-in PDF fonts
    lack letters such as 'ı'): DejaVu Sans where installed, else Bitstream Vera shipped with reportlab."""
    import os

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                 os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")):
        if os.path.exists(path):
            pdfmetrics.registerFont(TTFont("BodyFont", path))
            return "BodyFont"
    return None


def to_pdf(paras, dest: Path, title: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    font = _unicode_font()
    if font:
        for st in styles.byName.values():
            st.fontName = font
    story = []
    for level, text in paras:
        style = styles[f"Heading{min(level, 3)}"] if level else styles["BodyText"]
        story.append(Paragraph(html.escape(text), style))
        story.append(Spacer(1, 8))
    SimpleDocTemplate(str(dest), pagesize=A4, title=title).build(story)


def to_html(paras, dest: Path, title: str) -> None:
    body = "\n".join(f"<h{lv}>{html.escape(t)}</h{lv}>" if lv else f"<p>{html.escape(t)}</p>" for lv, t in paras)
    dest.write_text(f"<!doctype html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
                    f"</head>\n<body>\n<main>\n{body}\n</main>\n</body></html>\n", encoding="utf-8")


def to_odt(paras, dest: Path, title: str) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    doc = OpenDocumentText()
    for level, text in paras:
        doc.text.addElement(H(outlinelevel=level, text=text) if level else P(text=text))
    doc.save(str(dest))


WRITERS = {"docx": to_docx, "pdf": to_pdf, "html": to_html, "odt": to_odt}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="+", type=Path)
    ap.add_argument("--to", choices=sorted(WRITERS), required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for src in args.sources:
        dest = args.out / f"{src.stem}.{args.to}"
        WRITERS[args.to](paragraphs(src), dest, src.stem)
        print(f"{src} -> {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
