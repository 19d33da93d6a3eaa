"""PDF (pypdf): text layer page by page, lines reflowed into paragraphs."""

from __future__ import annotations

import contextlib
import re
from typing import Iterator

from .. import errors

PAGE_NUMBER = re.compile(r"^\s*(?:(?:page|pagina|blz\.?|p\.)\s*\d{1,4}|[-–]?\s*\d{1,3}\s*[-–]?)(?:\s*(?:/|of|van)\s*\d{1,4})?\s*$", re.I)
END = re.compile(r"[.!?:;)\"”’]$")


def reflow(page_text: str) -> list[str]:
    """Lines of one page -> paragraphs: a blank line, or a short line that ends a sentence, closes one."""
    lines = [ln.rstrip() for ln in page_text.splitlines()]
    lines = [ln for ln in lines if not PAGE_NUMBER.match(ln)]
    width = max((len(ln) for ln in lines), default=0)
    paras: list[str] = []
    cur: list[str] = []
    for ln in lines:
        if not ln.strip():
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        if cur and cur[-1].endswith("-") and not cur[-1].endswith(" -"):
            cur[-1] = cur[-1][:-1] + ln.strip()
        else:
            cur.append(ln.strip())
        if END.search(ln) and len(ln) < 0.8 * width or (len(ln.split()) <= 8 and not END.search(ln)
                                                        and len(ln) < 0.5 * width):
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return paras


def paragraphs_of_page(page) -> list[str]:
    """Paragraphs of one page. pypdf's layout mode keeps vertical gaps as blank lines, which mark
    paragraphs well in single-column text; without any gap, fall back to reflowing the plain text."""
    try:
        layout = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode fails on some damaged or unusual pages
        layout = ""
    lines = [ln.strip() for ln in layout.splitlines()]
    if any(not ln for ln in lines[1:-1]) and any(lines):
        return reflow_blocks(lines)
    return reflow(page.extract_text() or "")


def reflow_blocks(lines: list[str]) -> list[str]:
    """Blank-line separated blocks of lines -> paragraphs (page numbers dropped, hyphenation undone)."""
    paras: list[str] = []
    cur: list[str] = []
    for ln in [*lines, ""]:
        if not ln or PAGE_NUMBER.match(ln):
            if cur and not ln:
                paras.append(" ".join(cur))
                cur = []
            continue
        if cur and cur[-1].endswith("-") and not cur[-1].endswith(" -") and ln[:1].islower():
            cur[-1] = cur[-1][:-1] + ln
        else:
            cur.append(ln)
    return paras


def iter_pdf(path: str) -> tuple[dict, Iterator[str]]:
    """Open a PDF and return its metadata and its text page by page (paragraphs tidied and separated by
    blank lines, as :func:`~pipeline.ingest.paragraphs.join_paragraphs` would join them), so that a 500-page PDF is
    never held as one text. Encryption is checked here, before any page is read; a page that cannot be
    read raises :class:`~pipeline.errors.IngestError` (kind ``corrupt``) when the pages are iterated."""
    from pypdf import PdfReader

    fh = open(path, "rb")  # pypdf reads objects from the file as pages need them
    try:
        with _as_ingest_error(path):
            reader = PdfReader(fh)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except Exception:
                    ok = 0
                if not ok:
                    raise errors.IngestError(path, "encrypted",
                                             "encrypted PDF; give a decrypted copy (qpdf --decrypt)")
            n_pages = len(reader.pages)
    except BaseException:
        fh.close()
        raise
    return {}, _pages(reader, fh, n_pages, path)


def _pages(reader, fh, n_pages: int, path: str) -> Iterator[str]:
    try:
        started = False
        for i in range(n_pages):
            with _as_ingest_error(path, f"page {i + 1}: "):
                paras = [" ".join(p.split()) for p in paragraphs_of_page(reader.pages[i])]
            text = "\n\n".join(p for p in paras if p)
            if text:
                yield ("\n\n" + text) if started else text
                started = True
    finally:
        fh.close()


@contextlib.contextmanager
def _as_ingest_error(path: str, where: str = ""):
    from pypdf.errors import PdfReadError

    try:
        yield
    except errors.IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError, TypeError, AttributeError) as e:
        raise errors.IngestError(path, "corrupt", f"not a readable PDF: {where}{e}") from None
    except Exception as e:  # pypdf raises a wide range on damaged files
        raise errors.IngestError(path, "corrupt", f"not a readable PDF: {where}{type(e).__name__}: {e}") from None
