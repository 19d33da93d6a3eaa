"""Batch tagging: files and folders in, the output folder (docs/formats.md) out.

The stages: :mod:`pipeline.sources` finds the inputs; documents whose part is current (same content
hash, same model) are skipped; :mod:`pipeline.work` tags the others into their part files, here, in
``workers`` processes or on a Dask cluster; :mod:`pipeline.output.assemble` writes every output from
the parts in one streaming pass, each file atomically. An interrupted run loses at most the documents
in flight.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import errors
from .parts import PartWriter, clean_temporary, read_part
from .sources import Source, collect, content_hash
from .types import ErrorRecord
from .work import DocResult, init_worker, tag_into_part, work
from .output.assemble import write_outputs
from .tagger import load_tagger
from .distributed import map_on_dask
import multiprocessing as mp


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
    output_folders_left_out: list[str] = field(default_factory=list)  # never read as input
    input_roots: list[str] = field(default_factory=list)  # absolute: where the shown paths are relative to
    source_hashes: dict[str, str] = field(default_factory=dict)  # path -> content hash of the file tagged

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def to_dict(self) -> dict:
        return asdict(self)


def run(inputs: Iterable[str | os.PathLike], out: str | os.PathLike, model_path: str | None = None,
        workers: int = 1, force: bool = False, include: list[str] | None = None,
        exclude: list[str] | None = None, progress: Callable[[str, int, int], None] | None = None,
        scheduler: str | None = None, report_passages: int | None = None) -> RunSummary:
    """Tag every input into ``out``; returns the run summary (also written to ``summary.json``).

    ``report_passages`` caps the passages shown in the report's documents section (default
    :data:`pipeline.output.report.REPORT_PASSAGES`; 0 shows all); every passage is in the other outputs.
    """

    t0 = time.perf_counter()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"--out {out} is a file, not a folder; give a folder for the outputs")
    with _writing(out):
        out.mkdir(parents=True, exist_ok=True)
        lock = lock_folder(out)
    try:
        with _writing(out):
            clean_temporary(out)  # what an interrupted run left: no other run is writing here now
        return _run(inputs, out, model_path, workers, force, include, exclude, progress, scheduler, report_passages, t0)
    finally:
        if lock is not None:
            lock.close()


def _run(inputs, out: Path, model_path, workers, force, include, exclude, progress, scheduler, report_passages,
         t0) -> RunSummary:
    left_out: list[str] = []
    sources, problems = collect(inputs, include, exclude, skip=[out], skipped=left_out)
    pool = _PoolStart(model_path, out, workers) if workers > 1 and not scheduler and len(sources) > 1 else None
    if pool is not None and (force or not (out / ".parts").is_dir()):
        # every document will be tagged: the worker processes start (and load the model) now, while this
        # one loads it and compares the parts; otherwise once the documents to tag are known
        pool.start()
    try:
        return _tag_and_write(inputs, out, model_path, workers, force, progress, scheduler, report_passages, t0,
                              sources, problems, left_out, pool)
    finally:
        if pool is not None:  # an error before or while tagging: the documents not started are not started
            pool.close()


def _tag_and_write(inputs, out: Path, model_path, workers, force, progress, scheduler, report_passages, t0,
                   sources, problems, left_out, pool: _PoolStart | None) -> RunSummary:
    tagger = load_tagger(model_path)
    roots = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))) for p in map(str, inputs)]
    summary = RunSummary(out=str(out), model=tagger.name, documents=len(sources), workers=workers,
                         output_folders_left_out=left_out, input_roots=list(dict.fromkeys(roots)))
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
                and not part.end.get("errors") and part.intact()):
            summary.skipped += 1
        else:
            todo.append(src)
    run_errors: list[ErrorRecord] = list(problems)
    results = _results(todo, tagger, out, model_path, workers, scheduler, pool)
    to_tag = {src.rel for src in todo}

    def ready() -> Iterator[Source]:
        """The sources in input order, each as soon as its part is final (the results come in input order):
        the passage tables are written while the workers tag the documents after it."""
        done = 0
        for src in sources:
            if src.rel in to_tag:
                res = next(results)
                done += 1
                run_errors.extend(res.errors)
                if res.errors:
                    summary.failed += 1
                else:
                    summary.tagged += 1
                if progress:
                    progress(res.source.rel, done, len(todo))
            yield src

    def tagged() -> None:
        summary.errors = [e.to_dict() for e in _unique(run_errors)]
        summary.failed += len(problems)
        summary.seconds = round(time.perf_counter() - t0, 3)
        summary.finished = time.strftime("%Y-%m-%d %H:%M:%S")

    try:
        with _writing(out):
            summary.passages = write_outputs(out, sources, summary, tagger, report_passages, ready=ready(),
                                             tagged=tagged)
    finally:
        results.close()  # an error while writing: the documents not started are not started
    return summary


LOCK = ".lock"


def lock_folder(out: Path):
    """Lock the output folder for this run (``OUT/.lock``, an advisory lock the system drops when the process
    ends, however it ends); returns the open lock file, or None where the system has no ``fcntl``. A folder
    that another run holds raises :class:`~pipeline.errors.OutputError`: two runs never mix their outputs."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        return None
    fh = open(Path(out) / LOCK, "a+", encoding="utf-8")
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.seek(0)
        holder = fh.read().strip() or "?"
        fh.close()
        raise errors.OutputError(str(out), f"another run (process {holder}) is writing to it; wait for it to end "
                                           f"or give another --out") from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"{os.getpid()}\n")
    fh.flush()
    return fh


@contextlib.contextmanager
def _writing(out: Path):
    """An ``OSError`` while writing the output folder (a full disk, no permission, a read-only folder) becomes
    an :class:`~pipeline.errors.OutputError` naming the file (or the folder, for a temporary file)."""
    try:
        yield
    except OSError as e:
        name = os.path.basename(str(e.filename or ""))
        path = e.filename if e.filename and not (name.startswith(".") and name.endswith(".tmp")) else out
        raise errors.output_error(path, e) from None


def _unique(errs: list[ErrorRecord]) -> list[ErrorRecord]:
    seen, out = set(), []
    for e in errs:
        key = (e.path, e.kind, e.message)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


class _PoolStart:
    """``workers`` processes, started (:meth:`start`) in a thread of this process: starting the fork server takes
    a few tenths of a second, which this process spends loading the model and comparing the parts. Each worker
    loads the model and warms it (:func:`init_worker`). :meth:`get` starts the pool if need be and waits for
    it; :meth:`close` shuts it down."""

    def __init__(self, model_path, out: Path, workers: int):
        self._args = (model_path, out, workers)
        self._found: list = []
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._start, daemon=True, name="paradox-workers")
            self._thread.start()

    def _start(self) -> None:
        try:
            self._found.append(_pool(*self._args))
        except BaseException as e:  # given to the caller of get()
            self._found.append(e)

    def get(self) -> ProcessPoolExecutor:
        self.start()
        self._thread.join()
        if isinstance(self._found[0], BaseException):
            raise self._found[0]
        return self._found[0]

    def close(self) -> None:
        """Shut the pool down if it was started, the documents not started cancelled (nothing is left after a
        complete run)."""
        if self._thread is not None:
            self._thread.join()
            if isinstance(self._found[0], ProcessPoolExecutor):
                self._found[0].shutdown(wait=True, cancel_futures=True)


def _pool(model_path, out: Path, workers: int) -> ProcessPoolExecutor:
    """``workers`` processes, started now: each loads the model and warms it (:func:`init_worker`)."""
    # forkserver, not fork: the parent may hold live threads (a library's thread pool) that a fork would copy
    # mid-lock; spawn-like start is also what macOS and Windows do
    ctx = mp.get_context("forkserver")
    # the server imports the tagging code once; each worker forks from it with the modules loaded
    ctx.set_forkserver_preload(["pipeline.work"])
    ex = ProcessPoolExecutor(max_workers=workers, initializer=init_worker, initargs=(model_path, str(out)),
                             mp_context=ctx)
    for _ in range(workers):  # a pool starts its processes one per task submitted
        ex.submit(os.getpid)
    return ex


def _results(todo: list[Source], tagger, out: Path, model_path, workers: int, scheduler: str | None,
             pool: _PoolStart | None) -> Iterator[DocResult]:
    """Tag every source into its part; yields the (passage-free) results in input order."""
    if scheduler:

        # the cluster's workers return whole results (their file systems need not reach OUT); the parts
        # are written here, one document at a time
        for res in map_on_dask(todo, model_path, scheduler):
            writer = PartWriter(out, res.source.rel, res.source.doc_id, tagger.name)
            if res.keep:
                if res.passages:
                    writer.write(res, res.passages)
                writer.commit(res)
            else:
                writer.discard()
            res.passages = []
            yield res
    elif pool is None or len(todo) <= 1:
        for src in todo:
            yield tag_into_part(src, out, tagger)
    else:
        yield from pool.get().map(work, todo, chunksize=max(1, min(16, len(todo) // (workers * 4) or 1)))
