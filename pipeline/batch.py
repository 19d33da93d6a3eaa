"""Batch tagging: files and folders in, the output folder of SPEC §4 out.

The per-document work (:func:`tag_source`) is a pure function of the file and
the model, so it runs the same in one process, in ``workers`` processes, or on
a Dask cluster. A document is read, segmented and tagged in chunks; locally,
each chunk goes straight into the document's part file in ``OUT/.parts``
(:mod:`pipeline.parts`), so memory stays bounded however large a document or a
batch is. The outputs are assembled from the parts at the end, streaming, each
written atomically (:mod:`pipeline.output.assemble`). A rerun skips documents
whose content hash and model are unchanged; an interrupted run loses at most
the documents in flight.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import errors
from .ingest import SUFFIXES
from .parts import PartWriter, clean_temporary, read_part
from .output.rows import tagged_record
from .types import Passage

INPUT_SUFFIXES = (*SUFFIXES, ".jsonl")


@dataclass
class Source:
    """One input file: its path on disk, the path shown in outputs, its document id."""

    path: str
    rel: str
    doc_id: str


@dataclass
class ErrorRecord:
    """One line of ``errors.jsonl``: an input that failed, or a part of it (a bad JSONL record)."""

    path: str
    kind: str
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class DocResult:
    """What tagging one input gave: its passages (``passages``, unless they went to a part file as they
    were tagged), how many, and the problems met."""

    source: Source
    content_hash: str = ""
    passages: list[dict] = field(default_factory=list)
    n_passages: int = 0
    meta: dict = field(default_factory=dict)
    errors: list[ErrorRecord] = field(default_factory=list)
    failed: bool = False  # the document could not be tagged (as opposed to a JSONL file's bad records)

    def abort(self, error: ErrorRecord) -> None:
        """The document failed: record why and drop whatever part of it was tagged."""
        self.errors.append(error)
        self.failed = True
        self.passages, self.n_passages = [], 0


@dataclass
class RunSummary:
    out: str
    model: str
    documents: int = 0
    tagged: int = 0
    skipped: int = 0
    failed: int = 0
    passages: int = 0
    seconds: float = 0.0
    workers: int = 1
    errors: list[dict] = field(default_factory=list)
    finished: str = ""

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- inputs

def collect(inputs: Iterable[str | os.PathLike], include: list[str] | None = None,
            exclude: list[str] | None = None) -> tuple[list[Source], list[ErrorRecord]]:
    """Sources for files and folders (recursive, sorted, symlink loops guarded), and the problems met."""
    sources: list[Source] = []
    problems: list[ErrorRecord] = []
    used: set[str] = set()

    def keep(rel: str) -> bool:
        if include and not any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(Path(rel).name, g) for g in include):
            return False
        if exclude and any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(Path(rel).name, g) for g in exclude):
            return False
        return True

    def add(path: Path, rel: str) -> None:
        doc_id = rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel
        if doc_id in used:
            doc_id = f"{doc_id}.{Path(rel).suffix.lstrip('.')}"
        used.add(doc_id)
        sources.append(Source(str(path), rel, doc_id))

    for inp in map(Path, inputs):
        if inp.is_symlink() and not inp.exists():
            problems.append(ErrorRecord(str(inp), "symlink", "broken or looping symbolic link"))
            continue
        if inp.is_file():
            if keep(inp.name):
                add(inp, inp.name)
            continue
        if not inp.is_dir():
            raise FileNotFoundError(f"input {inp} does not exist")
        seen = {os.path.realpath(inp)}
        for dirpath, dirnames, filenames in os.walk(inp, followlinks=True):
            dirnames.sort()
            for d in list(dirnames):
                full = os.path.join(dirpath, d)
                real = os.path.realpath(full)
                if d.startswith(".") or real in seen:
                    if not d.startswith("."):
                        problems.append(ErrorRecord(full, "symlink", "symbolic link loop: folder already visited"))
                    dirnames.remove(d)
                else:
                    seen.add(real)
            for f in sorted(filenames):
                if f.startswith("."):
                    continue
                full = Path(dirpath) / f
                rel = full.relative_to(inp).as_posix()
                if full.is_symlink() and not full.exists():
                    problems.append(ErrorRecord(str(full), "symlink", "broken or looping symbolic link"))
                    continue
                if full.suffix.lower() in INPUT_SUFFIXES and keep(rel):
                    add(full, rel)
    return sources, problems


def content_hash(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:20]


# --------------------------------------------------------------------------- per-document work

_TAGGER = None
_OUT: Path | None = None


def _init_worker(model_path: str | None, out: str) -> None:
    global _TAGGER, _OUT
    from . import language
    from .tagger import load_tagger

    language.PARALLEL = False  # the workers fill the cores already: lingua's threads would compete with them
    _TAGGER = load_tagger(model_path)
    _OUT = Path(out)


def _iter_jsonl_passages(src: Source, problems: list[ErrorRecord]) -> Iterator[Passage]:
    """The passages of a JSONL file, line by line; a bad line becomes a problem and is skipped."""
    with open(src.path, encoding="utf-8-sig", errors="strict") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                text = rec["text"]
                if not isinstance(text, str) or not text.strip():
                    raise ValueError("field 'text' is empty")
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                msg = f"line {lineno}: " + (f"malformed JSON ({e.msg})" if isinstance(e, json.JSONDecodeError)
                                           else "field 'text' is missing" if isinstance(e, (KeyError, TypeError))
                                           else str(e))
                problems.append(ErrorRecord(src.rel, "bad_record", msg))
                continue
            pid = str(rec.get("id") or f"{src.doc_id}#{lineno}")
            lang = rec.get("lang") if rec.get("lang") in ("nl", "en", "other") else ""
            yield Passage(id=pid, doc_id=str(rec.get("doc_id") or src.doc_id), text=text, start=0,
                          end=len(text), path=src.rel, lang=lang)


def tag_source(src: Source, tagger=None, sink: Callable[[DocResult, list[dict]], None] | None = None) -> DocResult:
    """Read, segment, detect language and tag one input, chunk by chunk; failures become
    :class:`ErrorRecord` s.

    Without ``sink`` the result holds every passage (``passages``); with one, each chunk of passage dicts
    goes to ``sink(result, chunk)`` as soon as it is tagged and is not kept, so that a document of any
    size takes bounded memory. ``result.content_hash`` and ``result.meta`` are set before the first chunk.
    """
    from .ingest import open_document

    tagger = tagger or _TAGGER
    res = DocResult(src)
    try:
        res.content_hash = content_hash(src.path)
        if src.path.lower().endswith(".jsonl"):
            runs = tagger.tag_stream(_iter_jsonl_passages(src, res.errors))
        else:
            stream = open_document(src.path, doc_id=src.doc_id)
            stream.path = src.rel
            res.meta = stream.meta
            runs = tagger.tag_document_stream(stream)
        for run in runs:
            chunk = [tagged_record(t) for t in run]
            res.n_passages += len(chunk)
            if sink is None:
                res.passages.extend(chunk)
            else:
                sink(res, chunk)
        if not res.n_passages and not src.path.lower().endswith(".jsonl"):
            raise errors.IngestError(src.rel, "no_text", errors.no_text(src.rel))
    except errors.IngestError as e:
        res.abort(ErrorRecord(src.rel, e.kind, e.message))
    except FileNotFoundError:
        res.abort(ErrorRecord(src.rel, "missing", "file disappeared before it could be read"))
    except UnicodeDecodeError as e:
        res.abort(ErrorRecord(src.rel, "decode", f"not UTF-8 ({e.reason} at byte {e.start})"))
    except Exception as e:  # one broken document never stops a batch
        res.abort(ErrorRecord(src.rel, "error", f"{type(e).__name__}: {e}"))
    return res


def _keep(res: DocResult) -> bool:
    """Whether a result is kept as a part: a document that failed leaves none, so the next run retries it
    (a JSONL file with some bad records keeps its good passages)."""
    return not res.failed and (bool(res.n_passages) or not res.errors)


def tag_into_part(src: Source, out: Path, tagger) -> DocResult:
    """Tag one input straight into its part file, chunk by chunk; the result keeps no passages."""
    writer = PartWriter(out, src.rel, src.doc_id, tagger.name)
    try:
        res = tag_source(src, tagger, sink=writer.write)
    except BaseException:
        writer.discard()
        raise
    if _keep(res):
        writer.commit(res)
    else:
        writer.discard()
    return res


def _work(src: Source) -> DocResult:
    return tag_into_part(src, _OUT, _TAGGER)


# --------------------------------------------------------------------------- the run

def run(inputs: Iterable[str | os.PathLike], out: str | os.PathLike, model_path: str | None = None,
        workers: int = 1, force: bool = False, include: list[str] | None = None,
        exclude: list[str] | None = None, progress: Callable[[str, int, int], None] | None = None,
        scheduler: str | None = None, report_passages: int | None = None) -> RunSummary:
    """Tag every input into ``out``; returns the run summary (also written to ``summary.json``).

    ``report_passages`` caps the passages shown in the report's documents section (default
    :data:`pipeline.output.report.REPORT_PASSAGES`; 0 shows all); every passage is in the other outputs.
    """
    from .output.assemble import write_outputs
    from .tagger import load_tagger

    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clean_temporary(out)
    tagger = load_tagger(model_path)
    sources, problems = collect(inputs, include, exclude)
    summary = RunSummary(out=str(out), model=tagger.name, documents=len(sources), workers=workers)
    todo: list[Source] = []
    for src in sources:
        part = None if force else read_part(out, src.rel)
        h = None
        if part:  # hashed only to compare with a part; the tagging hashes the file anyway
            try:
                h = content_hash(src.path)
            except OSError:
                pass
        if (part and h and part.header.get("hash") == h and part.header.get("model") == tagger.name
                and not part.end.get("errors")):
            summary.skipped += 1
        else:
            todo.append(src)
    done = 0
    run_errors: list[ErrorRecord] = list(problems)
    for res in _results(todo, tagger, out, model_path, workers, scheduler):
        done += 1
        run_errors.extend(res.errors)
        if res.errors:
            summary.failed += 1
        else:
            summary.tagged += 1
        if progress:
            progress(res.source.rel, done, len(todo))
    summary.errors = [e.to_dict() for e in _unique(run_errors)]
    summary.failed += len(problems)
    summary.seconds = round(time.perf_counter() - t0, 3)
    summary.finished = time.strftime("%Y-%m-%d %H:%M:%S")
    summary.passages = write_outputs(out, sources, summary, tagger, report_passages)
    return summary


def _unique(errs: list[ErrorRecord]) -> list[ErrorRecord]:
    seen, out = set(), []
    for e in errs:
        key = (e.path, e.kind, e.message)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _results(todo: list[Source], tagger, out: Path, model_path, workers: int,
             scheduler: str | None) -> Iterator[DocResult]:
    """Tag every source into its part; yields the (passage-free) results in input order."""
    if scheduler:
        from .distributed import map_on_dask

        # the cluster's workers return whole results (their file systems need not reach OUT); the parts
        # are written here, one document at a time
        for res in map_on_dask(todo, model_path, scheduler):
            writer = PartWriter(out, res.source.rel, res.source.doc_id, tagger.name)
            if _keep(res):
                if res.passages:
                    writer.write(res, res.passages)
                writer.commit(res)
            else:
                writer.discard()
            res.passages = []
            yield res
    elif workers <= 1 or len(todo) <= 1:
        for src in todo:
            yield tag_into_part(src, out, tagger)
    else:
        import multiprocessing as mp

        # forkserver, not fork: the parent may hold live threads (lingua's thread pool) that a fork would copy
        # mid-lock; spawn-like start is also what macOS and Windows do
        ctx = mp.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(model_path, str(out)),
                                 mp_context=ctx) as ex:
            for res in ex.map(_work, todo, chunksize=max(1, min(16, len(todo) // (workers * 4) or 1))):
                yield res
