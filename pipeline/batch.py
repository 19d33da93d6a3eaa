"""Batch tagging: files and folders in, the output folder of SPEC §4 out.

The per-document work (:func:`tag_source`) is a pure function of the file and
the model, so it runs the same in one process, in ``workers`` processes, or on
a Dask cluster. Every document's result is stored as a part file in
``OUT/.parts`` the moment it is done; the outputs are assembled from the parts
at the end, each written atomically. A rerun skips documents whose content
hash and model are unchanged; an interrupted run loses at most the documents
in flight.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import errors
from .ingest import SUFFIXES
from .types import Passage, TaggedPassage

INPUT_SUFFIXES = (*SUFFIXES, ".jsonl")


@dataclass
class Source:
    """One input file: its path on disk, the path shown in outputs, its document id."""

    path: str
    rel: str
    doc_id: str


@dataclass
class ErrorRecord:
    path: str
    kind: str
    message: str


@dataclass
class DocResult:
    source: Source
    content_hash: str = ""
    passages: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    errors: list[ErrorRecord] = field(default_factory=list)
    skipped: bool = False


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


def _init_worker(model_path: str | None) -> None:
    global _TAGGER
    from . import language
    from .tagger import load_tagger

    language.PARALLEL = False  # the workers fill the cores already: lingua's threads would compete with them
    _TAGGER = load_tagger(model_path)


def _read_jsonl_passages(src: Source) -> tuple[list[Passage], list[ErrorRecord]]:
    passages, problems = [], []
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
            passages.append(Passage(id=pid, doc_id=str(rec.get("doc_id") or src.doc_id), text=text, start=0,
                                    end=len(text), path=src.rel, lang=lang))
    return passages, problems


def tag_source(src: Source, tagger=None) -> DocResult:
    """Read, segment, detect language and tag one input; failures become :class:`ErrorRecord` s."""
    from .ingest import read_document

    tagger = tagger or _TAGGER
    res = DocResult(src)
    try:
        res.content_hash = content_hash(src.path)
        if src.path.lower().endswith(".jsonl"):
            passages, res.errors = _read_jsonl_passages(src)
            tagged = _tag_many(tagger, passages)
        else:
            doc = read_document(src.path, doc_id=src.doc_id)
            doc.path = src.rel
            res.meta = doc.meta
            tagged = tagger.tag_document(doc)
            if not tagged:
                raise errors.IngestError(src.rel, "no_text", errors.no_text(src.rel))
        res.passages = [_passage_dict(t) for t in tagged]
    except errors.IngestError as e:
        res.errors.append(ErrorRecord(src.rel, e.kind, str(e).split(": ", 1)[-1]))
    except FileNotFoundError:
        res.errors.append(ErrorRecord(src.rel, "missing", "file disappeared before it could be read"))
    except UnicodeDecodeError as e:
        res.errors.append(ErrorRecord(src.rel, "decode", f"not UTF-8 ({e.reason} at byte {e.start})"))
    except Exception as e:  # one broken document never stops a batch
        res.errors.append(ErrorRecord(src.rel, "error", f"{type(e).__name__}: {e}"))
    return res


JSONL_CHUNK = 2000


def _tag_many(tagger, passages: list[Passage]) -> list:
    """``tagger.tag_passages(passages)``; for the linear backend, the model runs on ``JSONL_CHUNK`` passages
    at a time, so that a large JSONL file does not hold the features of all its passages at once.

    The linear model scores each passage on its own, so chunks give the very same numbers (a transformer
    pads its batches, so it still gets the whole file). Languages are detected first, over the whole file,
    as ``tag_passages`` would (short passages take the file's majority language).
    """
    from .language import set_languages

    if getattr(tagger.model, "backend", None) != "linear" or len(passages) <= JSONL_CHUNK:
        return tagger.tag_passages(passages) if passages else []
    missing = [p for p in passages if not p.lang]
    if missing:
        set_languages(missing)
    out: list = []
    for i in range(0, len(passages), JSONL_CHUNK):
        out.extend(tagger.tag_passages(passages[i:i + JSONL_CHUNK]))
    return out


_FIELDS = tuple(f.name for f in fields(TaggedPassage))


def _passage_dict(t: TaggedPassage) -> dict:
    """``t.to_dict()`` (same keys, order and values) without ``dataclasses.asdict``'s deep copies: every
    field of a tagged passage is a string, number, bool, None, or a flat list or dict of those."""
    d = {}
    for name in _FIELDS:
        v = getattr(t, name)
        d[name] = v.copy() if isinstance(v, (list, dict)) else v
    return d


def _work(src: Source) -> DocResult:
    return tag_source(src)


# --------------------------------------------------------------------------- parts (resume)

def _part_path(out: Path, src: Source) -> Path:
    return out / ".parts" / (hashlib.sha1(src.rel.encode()).hexdigest()[:20] + ".json")


def _load_part(out: Path, src: Source) -> dict | None:
    p = _part_path(out, src)
    if not p.exists():
        return None
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, OSError):
        return None


def _part(res: DocResult, model: str) -> dict:
    return {"rel": res.source.rel, "doc_id": res.source.doc_id, "hash": res.content_hash, "model": model,
            "meta": res.meta, "passages": res.passages, "errors": [asdict(e) for e in res.errors]}


def _save_part(out: Path, part: dict, src: Source) -> None:
    """Write a part atomically (temporary file, then rename), so an interrupted run never leaves half a part.

    Unlike the outputs, a part is not fsynced (that cost more than tagging the document): a part torn by
    a power cut does not parse, and :func:`_load_part` then treats the document as not yet tagged.
    """
    import tempfile

    path = _part_path(out, src)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(part, ensure_ascii=False)  # the C encoder; json.dump to a file is pure Python
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- the run

def run(inputs: Iterable[str | os.PathLike], out: str | os.PathLike, model_path: str | None = None,
        workers: int = 1, force: bool = False, include: list[str] | None = None,
        exclude: list[str] | None = None, progress: Callable[[str, int, int], None] | None = None,
        scheduler: str | None = None) -> RunSummary:
    """Tag every input into ``out``; returns the run summary (also written to ``summary.json``)."""
    from .tagger import load_tagger

    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tagger = load_tagger(model_path)
    sources, problems = collect(inputs, include, exclude)
    summary = RunSummary(out=str(out), model=tagger.name, documents=len(sources), workers=workers)
    todo: list[Source] = []
    for src in sources:
        part = None if force else _load_part(out, src)
        h = None
        if part:  # hashed only to compare with a part; the tagging hashes the file anyway
            try:
                h = content_hash(src.path)
            except OSError:
                pass
        if part and h and part["hash"] == h and part["model"] == tagger.name and not part.get("errors"):
            summary.skipped += 1
        else:
            todo.append(src)
    done = 0
    run_errors: list[ErrorRecord] = list(problems)
    fresh: dict[str, dict] = {}  # parts written by this run, kept so the outputs need not read them back
    for res in _results(todo, tagger, model_path, workers, scheduler):
        done += 1
        if res.passages or not res.errors:
            part = _part(res, tagger.name)
            _save_part(out, part, res.source)
            fresh[res.source.rel] = part
        else:  # a failed document leaves no part, so the next run retries it
            _part_path(out, res.source).unlink(missing_ok=True)
            fresh.pop(res.source.rel, None)
        run_errors.extend(res.errors)
        if res.errors:
            summary.failed += 1
        else:
            summary.tagged += 1
        if progress:
            progress(res.source.rel, done, len(todo))
    summary.errors = [asdict(e) for e in _unique(run_errors)]
    summary.failed += len(problems)
    summary.seconds = round(time.perf_counter() - t0, 3)
    summary.finished = time.strftime("%Y-%m-%d %H:%M:%S")
    summary.passages = write_outputs(out, sources, summary, tagger, fresh)
    return summary


def _unique(errs: list[ErrorRecord]) -> list[ErrorRecord]:
    seen, out = set(), []
    for e in errs:
        key = (e.path, e.kind, e.message)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _results(todo: list[Source], tagger, model_path, workers: int, scheduler: str | None) -> Iterator[DocResult]:
    if scheduler:
        from .distributed import map_on_dask

        for res in map_on_dask(todo, model_path, scheduler):
            yield res
    elif workers <= 1 or len(todo) <= 1:
        for src in todo:
            yield tag_source(src, tagger)
    else:
        import multiprocessing as mp

        # forkserver, not fork: the parent may hold live threads (lingua's thread pool) that a fork would copy
        # mid-lock; spawn-like start is also what macOS and Windows do
        ctx = mp.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(model_path,),
                                 mp_context=ctx) as ex:
            for res in ex.map(_work, todo, chunksize=max(1, min(16, len(todo) // (workers * 4) or 1))):
                yield res


def iter_passages(out: Path, sources: list[Source]) -> Iterator[TaggedPassage]:
    for src in sources:
        part = _load_part(out, src)
        if part:
            for d in part["passages"]:
                yield TaggedPassage.from_dict(d)


EXPLAIN_MAX = 2000


def report_explanations(tagger, passages: list[TaggedPassage]) -> dict[str, dict]:
    """The words behind each predicted label, for the report's hover texts (the first ``EXPLAIN_MAX``
    passages; an explanation failure never stops the outputs)."""
    if not hasattr(tagger, "explain_passages"):
        return {}
    try:
        return tagger.explain_passages(passages[:EXPLAIN_MAX], k=5)
    except Exception:  # explanations are a courtesy of the report, not an output of the run
        return {}


def write_outputs(out: Path, sources: list[Source], summary: RunSummary, tagger,
                  fresh: dict[str, dict] | None = None) -> int:
    """Assemble every output file from the parts; each file written atomically. Returns the passage count.

    ``fresh`` maps a source's ``rel`` to the part this run just wrote for it (read from disk otherwise).
    """
    from .output import atomic_write
    from .output.report import write_report
    from .output.tables import PASSAGE_COLUMNS, passage_row, write_csv, write_parquet
    from .stats import summarize

    n = 0
    metas: dict[str, dict] = {}
    passages: list[TaggedPassage] = []
    with atomic_write(out / "passages.jsonl") as fh:
        for src in sources:
            part = (fresh.pop(src.rel, None) if fresh else None) or _load_part(out, src)  # let it go once read
            if not part:
                continue
            metas[src.doc_id] = part.get("meta") or {}
            for d in part["passages"]:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
                passages.append(TaggedPassage.from_dict(d))
                n += 1
    with atomic_write(out / "errors.jsonl") as fh:
        for e in summary.errors:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    rows = [passage_row(p) for p in passages]
    write_csv(out / "passages.csv", rows, PASSAGE_COLUMNS)
    write_parquet(out / "passages.parquet", rows, PASSAGE_COLUMNS)
    stats = summarize(passages, metas)
    docs = []
    firsts: dict[str, TaggedPassage] = {}
    for p in passages:
        firsts.setdefault(p.doc_id, p)
    for doc_id, s in stats["by_document"].items():
        first = firsts[doc_id]
        docs.append({"doc_id": doc_id, "path": first.path, "passages": s["passages"],
                     "top_phase": max(s["phase_counts"], key=s["phase_counts"].get),
                     **{f"phase_{k}": v for k, v in s["phase_profile"].items()},
                     **{f"pole_{k}": v for k, v in s["pole_counts"].items()},
                     "tension_rate_per_100": s["tension_rate_per_100"]})
    if docs:
        write_csv(out / "documents.csv", docs, list(docs[0].keys()))
    summary.passages = n
    with atomic_write(out / "summary.json") as fh:
        json.dump({"run": summary.to_dict(), "statistics": stats}, fh, indent=1, ensure_ascii=False)
    write_report(out / "report.html", passages, stats, summary.to_dict(), report_explanations(tagger, passages))
    return n
