"""Ingestion: a file on disk becomes a :class:`~pipeline.types.Document`.

One module per format; each gives the document text with paragraphs separated
by blank lines, so that segmentation works the same on all of them. Text files
and PDFs are read in pieces (:func:`open_document`), so that a large file is
never held whole; docx, HTML and ODT are parsed whole by their libraries.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import errors
from ..types import Document, DocumentStream
from .text import iter_text
from .pdf import iter_pdf
from .docx import read_docx
from .html import read_html
from .odt import read_odt

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".odt")
SMALL = 1 << 20  # files up to this size are checked for being blank before they are parsed


def open_document(path: str | os.PathLike, doc_id: str | None = None) -> DocumentStream:
    """Open one file of a supported format; its text comes as pieces from ``.chunks``.

    Raises :class:`~pipeline.errors.IngestError` with a ``kind`` (``unsupported``, ``missing``,
    ``empty``, ``decode``, ``corrupt``, ``encrypted``) and a message naming the file, here or while the
    pieces are read. A document whose pieces hold no text is the caller's to report (``no_text``).
    """
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise errors.IngestError(name, "unsupported",
                                 f"unsupported format {suffix or '(none)'!r}; supported: {', '.join(SUFFIXES)}")
    try:
        if path.is_dir():
            raise errors.IngestError(name, "unsupported", "is a folder, not a file")
        size = path.stat().st_size
        data = path.read_bytes() if size <= SMALL or suffix not in (".txt", ".md", ".pdf") else None
    except FileNotFoundError:
        raise errors.IngestError(name, "missing", "file not found (moved or deleted?)") from None
    except OSError as e:
        raise errors.IngestError(name, "unreadable", f"cannot read: {e.strerror or e}") from None
    if data is not None and not data.strip():
        raise errors.IngestError(name, "empty", "empty file")
    doc_id = doc_id or path.stem
    if suffix in (".txt", ".md"):
        return DocumentStream(doc_id, iter_text(name), name, {})
    if suffix == ".pdf":
        meta, pages = iter_pdf(name)
        return DocumentStream(doc_id, pages, name, meta)
    if suffix == ".docx":
        text, meta = read_docx(data, name)
    elif suffix in (".html", ".htm"):
        text, meta = read_html(data, name)
    else:
        text, meta = read_odt(data, name)
    return DocumentStream(doc_id, iter([text]), name, meta)


def read_document(path: str | os.PathLike, doc_id: str | None = None) -> Document:
    """Read one file of a supported format whole.

    Raises :class:`~pipeline.errors.IngestError` as :func:`open_document` does, and ``no_text`` when the
    file holds no text (a scanned PDF, an empty table).
    """
    stream = open_document(path, doc_id)
    text = "".join(stream.chunks)
    if not text.strip():
        raise errors.IngestError(stream.path, "no_text", errors.no_text(stream.path))
    return Document(doc_id=stream.doc_id, text=text, path=stream.path, meta=stream.meta)
