"""Ingestion: a file on disk becomes a :class:`~pipeline.types.Document`.

One module per format; each returns the document text with paragraphs
separated by blank lines, so that segmentation works the same on all of them.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import errors
from ..types import Document

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".odt")


def read_document(path: str | os.PathLike, doc_id: str | None = None) -> Document:
    """Read one file of a supported format.

    Raises :class:`~pipeline.errors.IngestError` with a ``kind`` (``unsupported``,
    ``missing``, ``empty``, ``decode``, ``corrupt``, ``encrypted``, ``no_text``)
    and a message naming the file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise errors.IngestError(str(path), "unsupported",
                                 f"unsupported format {suffix or '(none)'!r}; supported: {', '.join(SUFFIXES)}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise errors.IngestError(str(path), "missing", "file not found (moved or deleted?)") from None
    except IsADirectoryError:
        raise errors.IngestError(str(path), "unsupported", "is a folder, not a file") from None
    except OSError as e:
        raise errors.IngestError(str(path), "unreadable", f"cannot read: {e.strerror or e}") from None
    if not data.strip():
        raise errors.IngestError(str(path), "empty", "empty file")
    if suffix in (".txt", ".md"):
        from .text import read_text
        text, meta = read_text(data, str(path))
    elif suffix == ".docx":
        from .docx import read_docx
        text, meta = read_docx(data, str(path))
    elif suffix == ".pdf":
        from .pdf import read_pdf
        text, meta = read_pdf(data, str(path))
    elif suffix in (".html", ".htm"):
        from .html import read_html
        text, meta = read_html(data, str(path))
    else:
        from .odt import read_odt
        text, meta = read_odt(data, str(path))
    if not text.strip():
        raise errors.IngestError(str(path), "no_text", errors.no_text(str(path)))
    return Document(doc_id=doc_id or path.stem, text=text, path=str(path), meta=meta)


def join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs with inner whitespace tidied, separated by one blank line."""
    out = []
    for p in paragraphs:
        p = " ".join(p.split())
        if p:
            out.append(p)
    return "\n\n".join(out)
