"""A run's outputs (docs/formats.md), assembled from its tagged passages in one streaming pass.

The passages come from the run's part files (``paradox tag``) or from an
existing ``passages.jsonl`` (``paradox stats``). One pass writes the passage
tables (JSONL, CSV, Parquet in row groups) and adds every passage to running
statistics; ``documents.csv`` and ``summary.json`` follow from the
statistics; the report follows, its passages (at most ``REPORT_PASSAGES``)
rendered during the first pass (a report of all of them reads its source a second
time). Nothing holds all passages: memory grows with the number of
documents, not of passages. Every file is written atomically.
"""

from __future__ import annotations

import contextlib
import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import errors
from ..stats import Summary
from ..types import TaggedPassage
from . import atomic_write
from .report import REPORT_PASSAGES, ShownPassages, write_report
from .rows import FLAT_COLUMNS, flat_values
from .tables import ParquetStream
from ..parts import read_part

@dataclass
class Tables:
    """What the passage pass found: the passage count, the statistics, and per document its path and
    passage count (in order of first appearance)."""

    passages: int = 0
    stats: Summary = field(default_factory=Summary)
    documents: dict[str, tuple[str, int]] = field(default_factory=dict)


Record = tuple[str, TaggedPassage, dict]  # a passages.jsonl line, its passage, its document's metadata


def write_tables(out: Path, records: Iterable[Record], write_jsonl: bool = True,
                 exclude_uncertain: bool = False) -> Tables:
    """``passages.jsonl`` (unless it is the source), ``passages.csv`` and ``passages.parquet``, one passage
    at a time; returns the count, the statistics and the documents."""
    found = Tables(stats=Summary(exclude_uncertain))
    counts: dict[str, int] = {}
    paths: dict[str, str] = {}
    with contextlib.ExitStack() as stack:  # an error leaves every file as it was
        fc = stack.enter_context(atomic_write(out / "passages.csv"))
        pq = stack.enter_context(ParquetStream(out / "passages.parquet", FLAT_COLUMNS))
        fj = stack.enter_context(atomic_write(out / "passages.jsonl")) if write_jsonl else None
        w = csv.writer(fc)
        w.writerow(FLAT_COLUMNS)
        for line, p, meta in records:
            if fj is not None:
                fj.write(line)
            row = flat_values(p)
            w.writerow(row)
            pq.add_values(row)
            found.stats.add(p, meta)
            if p.doc_id not in counts:
                counts[p.doc_id] = 0
                paths[p.doc_id] = p.path
            counts[p.doc_id] += 1
            found.passages += 1
    found.documents = {d: (paths[d], n) for d, n in counts.items()}
    return found


def write_documents(out: Path, found: Tables, stats: dict) -> None:
    """``documents.csv``: one row per document with its year and statistics."""
    rows = []
    for doc_id, s in stats["by_document"].items():
        rows.append({"doc_id": doc_id, "path": found.documents.get(doc_id, ("", 0))[0],
                     "year": found.stats.year(doc_id) or "", "passages": s["passages"],
                     "top_phase": max(s["phase_counts"], key=s["phase_counts"].get),
                     **{f"phase_{k}": v for k, v in s["phase_profile"].items()},
                     **{f"pole_{k}": v for k, v in s["pole_counts"].items()},
                     "tension_rate_per_100": s["tension_rate_per_100"]})
    if rows:
        with atomic_write(out / "documents.csv") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)


def write_summary(out: Path, run: dict, stats: dict) -> None:
    """``{"run": ..., "statistics": ...}``: the run indented, each statistic on a line of its own (json's
    indenting encoder is pure Python, seconds for the per-document statistics of a large run)."""
    with atomic_write(out / "summary.json") as fh:
        fh.write('{\n "run": ' + json.dumps(run, indent=1, ensure_ascii=False).replace("\n", "\n ")
                 + ',\n "statistics": {')
        for i, (key, value) in enumerate(stats.items()):
            fh.write(("," if i else "") + f"\n  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
        fh.write("\n }\n}\n")


def _passages(records: Iterable[Record]) -> Iterator[TaggedPassage]:
    for _, p, _ in records:
        yield p


def _explainer(tagger) -> Callable[[list[TaggedPassage]], dict] | None:
    if tagger is None or not hasattr(tagger, "explain_passages"):
        return None
    return lambda passages: tagger.explain_passages(passages, k=5)


def write_outputs(out: Path, sources: list, summary, tagger, report_passages: int | None = None,
                  ready: Iterable | None = None, tagged: Callable[[], None] | None = None) -> int:
    """Every output of a ``paradox tag`` run, from its parts (in input order). Returns the passage count.

    ``ready``: the sources in input order as their parts become final (default: ``sources``, all final),
    so that the passage tables grow while documents further on are still being tagged; ``tagged`` is
    called once they all are, before the error list, the statistics and the report are written."""

    hashes = summary.source_hashes  # each source's content hash when it was tagged, for later commands

    def records(order: Iterable) -> Iterator[Record]:
        for src in order:
            part = read_part(out, src.rel)
            if part is not None:
                meta = part.meta
                if part.header.get("hash"):
                    hashes[src.rel] = part.header["hash"]
                for line in part.lines():
                    yield line, TaggedPassage.from_dict(json.loads(line)), meta

    first, shown = _keeping(records(sources if ready is None else ready), report_passages, _explainer(tagger))
    found = write_tables(out, first)
    if tagged is not None:
        tagged()
    with atomic_write(out / "errors.jsonl") as fh:
        for e in summary.errors:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    summary.passages = found.passages
    stats = found.stats.result()
    write_documents(out, found, stats)
    write_summary(out, summary.to_dict(), stats)
    passages = shown if shown is not None else _passages(records(sources))
    write_report(out / "report.html", passages, stats, summary.to_dict(), explain=_explainer(tagger),
                 documents=found.documents, **_cap(report_passages))
    return found.passages


def _keeping(records: Iterable[Record], report_passages: int | None, explain=None
             ) -> tuple[Iterator[Record], ShownPassages | None]:
    """The records as they come, and the report's passages (:class:`~.report.ShownPassages`), which render the
    first ones the report shows as the records are read; None instead when the report shows every passage
    (they are read again rather than held)."""
    cap = REPORT_PASSAGES if report_passages is None else report_passages
    kept = ShownPassages(explain, cap) if cap else None

    def each() -> Iterator[Record]:
        for rec in records:
            if kept is not None:
                kept.add(rec[1])  # a no-op once the report has its passages
            yield rec

    return each(), kept


def _cap(report_passages: int | None) -> dict:
    return {} if report_passages is None else {"max_passages": report_passages}


def _jsonl_records(path: Path, years: dict[str, str]) -> Iterator[Record]:
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                p = TaggedPassage.from_dict(json.loads(line))
            except (json.JSONDecodeError, TypeError, AttributeError) as e:
                raise errors.BadLine(str(path), lineno, f"not a tagged passage ({e})") from None
            if not line.endswith("\n"):
                line += "\n"
            yield line, p, ({"date": years[p.doc_id]} if p.doc_id in years else {})


def restat(out: Path, exclude_uncertain: bool = False, report_passages: int | None = None) -> int:
    """Recompute every output derived from ``OUT/passages.jsonl`` (after a user corrected some labels):
    the CSV and Parquet tables, ``documents.csv``, ``summary.json`` (its run record kept) and the report.
    Years found at tagging time (``documents.csv``) are kept. Returns the passage count."""
    src = out / "passages.jsonl"
    years: dict[str, str] = {}
    if (out / "documents.csv").exists():
        with (out / "documents.csv").open(encoding="utf-8", newline="") as fh:
            years = {r["doc_id"]: r["year"] for r in csv.DictReader(fh) if r.get("year")}
    run = {}
    if (out / "summary.json").exists():
        run = json.loads((out / "summary.json").read_text(encoding="utf-8")).get("run", {})
    first, shown = _keeping(_jsonl_records(src, years), report_passages)
    found = write_tables(out, first, write_jsonl=False, exclude_uncertain=exclude_uncertain)
    stats = found.stats.result()
    write_documents(out, found, stats)
    write_summary(out, run, stats)
    passages = shown if shown is not None else _passages(_jsonl_records(src, years))
    write_report(out / "report.html", passages, stats, run, documents=found.documents, **_cap(report_passages))
    return found.passages
