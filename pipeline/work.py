"""The per-document work: one source in, its tagged passages (or its errors) out.

:func:`tag_source` is a pure function of a file and a model, so it runs the same in this process, in
worker processes (:func:`init_worker`, :func:`work`) or on a Dask cluster (:mod:`pipeline.distributed`).
:func:`tag_into_part` streams a document chunk by chunk into its part file (:mod:`pipeline.parts`), so
memory stays bounded however large the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import errors
from .parts import PartWriter
from .sources import Source, content_hash
from .types import ErrorRecord, TaggedPassage
from .ingest import open_document
from .ingest.jsonl import iter_passages
from .tagger import load_tagger


@dataclass
class DocResult:
    """What tagging one input gave: its passages (``passages``, unless they went to a part file as they
    were tagged), how many, and the problems met."""

    source: Source
    content_hash: str = ""
    passages: list[TaggedPassage] = field(default_factory=list)
    n_passages: int = 0
    meta: dict = field(default_factory=dict)
    errors: list[ErrorRecord] = field(default_factory=list)
    failed: bool = False  # the document could not be tagged (as opposed to a JSONL file's bad records)

    def abort(self, error: ErrorRecord) -> None:
        """The document failed: record why and drop whatever part of it was tagged."""
        self.errors.append(error)
        self.failed = True
        self.passages, self.n_passages = [], 0

    @property
    def keep(self) -> bool:
        """Whether the result is kept as a part: a document that failed leaves none, so the next run retries
        it (a JSONL file with some bad records keeps its good passages)."""
        return not self.failed and (bool(self.n_passages) or not self.errors)


def tag_source(src: Source, tagger=None, sink: Callable[[DocResult, list[TaggedPassage]], None] | None = None) -> DocResult:
    """Read, segment, detect language and tag one input, chunk by chunk; failures become
    :class:`ErrorRecord` s.

    Without ``sink`` the result holds every passage (``passages``); with one, each chunk of tagged passages
    goes to ``sink(result, chunk)`` as soon as it is tagged and is not kept, so that a document of any
    size takes bounded memory. ``result.content_hash`` and ``result.meta`` are set before the first chunk.
    """

    tagger = tagger or _TAGGER
    res = DocResult(src)
    try:
        res.content_hash = content_hash(src.path)
        if src.is_jsonl:
            runs = tagger.tag_stream(iter_passages(src.path, src.rel, src.doc_id, res.errors))
        else:
            stream = open_document(src.path, doc_id=src.doc_id)
            stream.path = src.rel
            res.meta = stream.meta
            runs = tagger.tag_document_stream(stream)
        for run in runs:
            res.n_passages += len(run)
            if sink is None:
                res.passages.extend(run)
            else:
                sink(res, run)
        if not res.n_passages and not src.is_jsonl:
            raise errors.IngestError(src.rel, "no_text", errors.no_text(src.rel))
    except errors.OutputError:  # the output folder, not this document: the run stops
        raise
    except errors.IngestError as e:
        res.abort(ErrorRecord(src.rel, e.kind, e.message))
    except FileNotFoundError:
        res.abort(ErrorRecord(src.rel, "missing", "file disappeared before it could be read"))
    except UnicodeDecodeError as e:
        res.abort(ErrorRecord(src.rel, "decode", f"not UTF-8 ({e.reason} at byte {e.start})"))
    except Exception as e:  # one broken document never stops a batch
        res.abort(ErrorRecord(src.rel, "error", f"{type(e).__name__}: {e}"))
    return res


def tag_into_part(src: Source, out: Path, tagger) -> DocResult:
    """Tag one input straight into its part file, chunk by chunk; the result keeps no passages."""
    writer = PartWriter(out, src.rel, src.doc_id, tagger.name)
    try:
        res = tag_source(src, tagger, sink=writer.write)
    except BaseException:
        writer.discard()
        raise
    if res.keep:
        writer.commit(res)
    else:
        writer.discard()
    return res



# --------------------------------------------------------------------------- worker processes

_TAGGER = None
_OUT: Path | None = None


def init_worker(model_path: str | None, out: str) -> None:
    global _TAGGER, _OUT

    _TAGGER = load_tagger(model_path)
    try:
        _TAGGER.warm()
    except Exception:  # only a head start: whatever fails here fails again, per document, where it is reported
        pass
    _OUT = Path(out)


def work(src: Source) -> DocResult:
    return tag_into_part(src, _OUT, _TAGGER)
