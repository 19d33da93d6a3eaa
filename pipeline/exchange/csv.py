"""CSV: one row per passage (columns: :data:`pipeline.output.rows.EXCHANGE_COLUMNS`), poles separated by
spaces; a CSV with the same header read back (a row without a phase is unlabelled)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Iterable, Iterator

from .. import errors
from ..output.rows import EXCHANGE_COLUMNS, exchange_row
from ..types import Passage
from . import records
from .importer import ImportReport
from .records import ID_KEY, Raw
from ..output import atomic_write

SUFFIX = ".csv"


def export(passages: Iterable[Passage], dest: str | os.PathLike, extra: dict[str, dict] | None = None) -> Path:
    """Write the rows to ``dest``, atomically."""

    dest = Path(dest)
    with atomic_write(dest) as fh:
        w = csv.DictWriter(fh, fieldnames=EXCHANGE_COLUMNS)
        w.writeheader()
        w.writerows(exchange_row(p, meta) for p, meta in records.extras(passages, extra))
    return dest


def read(path: Path, report: ImportReport) -> Iterator[Raw]:
    """The labelled rows of a CSV (UTF-8, a header with at least ``text`` and ``phase``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise errors.CorpusError(str(path), None, f"not UTF-8 ({e.reason} at byte {e.start}); save the CSV as "
                                 f"UTF-8") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise errors.CorpusError(str(path), 1, f"the header needs the columns text and phase (and passage_id, "
                                 f"poles, response, doc_id, lang, genre, meta); got {reader.fieldnames}")
    prev = 1
    for row in reader:
        lineno, prev = prev + 1, reader.line_num
        report.records += 1
        if not (row.get("phase") or "").strip():
            report.unlabelled += 1
            continue
        meta: dict = {}
        if (row.get("meta") or "").strip():
            try:
                meta = json.loads(row["meta"])
            except json.JSONDecodeError as e:
                raise errors.CorpusError(str(path), lineno, f"malformed JSON ({e.msg})", "meta") from None
        row = {k: v for k, v in row.items() if k is not None}
        base = records.common({**row, ID_KEY: row.get(ID_KEY) or row.get("id"), "meta": meta},
                              f"{path.stem}#{lineno}")
        poles = [p for p in re.split(r"[\s;,|]+", row.get("poles") or "") if p]
        labels = [f"phase:{row['phase'].strip()}"] + [f"pole:{p}" if ":" not in p else p for p in poles]
        if (row.get("response") or "").strip():
            labels.append(f"response:{row['response'].strip()}")
        yield Raw(f"line {lineno}", lineno, {**base, **records.labels_to_fields(labels)})
