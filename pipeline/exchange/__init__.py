"""Exchange with other research tools: one module per tool, each with ``export()`` and ``read()``.

- :mod:`.refi`: REFI-QDA projects (``.qdpx``) and codebooks (``.qdc``) for ATLAS.ti, MAXQDA, NVivo,
  QualCoder and other QDA software;
- :mod:`.labelstudio`, :mod:`.prodigy`, :mod:`.doccano`, :mod:`.csv`: annotation tools, with the
  labels as pre-annotations on the way out and people's annotations on the way back;
- :mod:`.review`: passages reviewed in the report (``report.html``), read back (the report writes them).

Every module reads passages of a ``paradox tag`` output folder through :mod:`.tagged`, writes rows
whose columns are fixed in :mod:`pipeline.output.rows`, and turns what it reads back into
:class:`~pipeline.types.AnnotatedPassage` through :mod:`.importer`, checked like the corpus.
Tools are imported on first use (:func:`tool`), so ``import pipeline.exchange`` costs nothing.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

ANNOTATION_TOOLS = ("labelstudio", "prodigy", "doccano", "csv")
FORMATS = ("refi", *ANNOTATION_TOOLS, "review")


def tool(name: str) -> ModuleType:
    """The exchange module of a tool (``refi``, ``labelstudio``, ``prodigy``, ``doccano``, ``csv``) or of the
    report's review download (``review``)."""
    from .. import errors

    if name not in FORMATS:
        raise ValueError(errors.unknown_label("format", name, FORMATS))
    return import_module(f".{name}", __name__)


def export_annotations(source, fmt: str, dest, extra: dict[str, dict] | None = None) -> int:
    """Passages of ``source`` (a ``paradox tag`` output folder or its ``passages.jsonl``, or corpus JSONL)
    written for the annotation tool ``fmt`` to ``dest``, labels as pre-annotations; returns the count."""
    from .. import errors
    from .tagged import read_passages

    if fmt not in ANNOTATION_TOOLS:
        raise ValueError(errors.unknown_label("annotation tool", fmt, ANNOTATION_TOOLS))
    passages = read_passages(source)
    tool(fmt).export(passages, dest, extra)
    return len(passages)


def import_annotations(path, fmt: str, on_conflict: str = "first", accept_unreviewed: bool = False):
    """See :func:`pipeline.exchange.importer.import_annotations`."""
    from .importer import import_annotations as run

    return run(path, fmt, on_conflict, accept_unreviewed)
