"""OpenDocument text (odfpy): headings and paragraphs in document order."""

from __future__ import annotations

import io

from .. import errors
from .paragraphs import join_paragraphs


def read_odt(data: bytes, path: str) -> tuple[str, dict]:
    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    try:
        doc = load(io.BytesIO(data))
    except Exception as e:  # zipfile.BadZipFile, xml errors, KeyError for missing parts
        raise errors.IngestError(path, "corrupt", f"not a readable .odt (truncated or damaged?): "
                                                  f"{type(e).__name__}: {e}") from None
    paras: list[str] = []

    def walk(node) -> None:
        for child in node.childNodes:
            if getattr(child, "qname", None) in ((TEXTNS, "p"), (TEXTNS, "h")):
                paras.append(teletype.extractText(child))
            else:
                walk(child)

    walk(doc.text)
    return join_paragraphs(paras), {}
