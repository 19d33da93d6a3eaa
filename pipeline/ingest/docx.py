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
            paras.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append("".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")))
                    paras.append(" | ".join(c for c in cells if c.strip()))
    meta = {}
    created = d.core_properties.created
    if created is not None:
        meta["created"] = created.date().isoformat()  # core properties: often a template's date
    if d.core_properties.title:
        meta["title"] = d.core_properties.title
    return join_paragraphs(paras), meta
