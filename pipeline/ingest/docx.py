"""Word documents (python-docx): paragraphs and table cells in document order."""

from __future__ import annotations

import io

from .. import errors
from .paragraphs import join_paragraphs


def read_docx(data: bytes, path: str) -> tuple[str, dict]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as e:
        raise errors.IngestError(path, "corrupt", f"not a readable .docx (truncated or damaged?): {e}") from None
    except Exception as e:  # zipfile.BadZipFile, lxml errors
        raise errors.IngestError(path, "corrupt", f"not a readable .docx (truncated or damaged?): {e}") from None
    paras: list[str] = []
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paras.append(_text(child))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append(_text(cell))
                    paras.append(" | ".join(c for c in cells if c.strip()))
    meta = {}
    created = d.core_properties.created
    if created is not None:
        meta["created"] = created.date().isoformat()  # core properties: often a template's date
    if d.core_properties.title:
        meta["title"] = d.core_properties.title
    return join_paragraphs(paras), meta


_BREAKS = ("}br", "}cr", "}tab")  # a line break or a tab inside a paragraph separates the words around it


def _text(element) -> str:
    """The text of a paragraph or table cell: its text runs, with line breaks and tabs as spaces."""
    return "".join(t.text or "" if t.tag.endswith("}t") else " " for t in element.iter()
                   if t.tag.endswith("}t") or t.tag.endswith(_BREAKS))
