"""Flat tables of tagged passages and documents: CSV (and Parquet when pyarrow is present)."""

from __future__ import annotations

import csv
from pathlib import Path

from ..labels import PHASES, POLES, RESPONSES
from ..types import TaggedPassage
from . import atomic_write

PASSAGE_COLUMNS = (["id", "doc_id", "path", "start", "end", "lang", "phase", "poles", "tensions", "response",
                    "uncertain", "model"] + [f"phase_{k}" for k in PHASES] + [f"pole_{k}" for k in POLES]
                   + [f"response_{k}" for k in RESPONSES] + ["text"])


def passage_row(p: TaggedPassage) -> dict:
    row = {"id": p.id, "doc_id": p.doc_id, "path": p.path, "start": p.start, "end": p.end, "lang": p.lang,
           "phase": p.phase, "poles": " ".join(p.poles), "tensions": " ".join(p.tensions),
           "response": p.response or "", "uncertain": p.uncertain, "model": p.model, "text": p.text}
    row.update({f"phase_{k}": p.phase_scores.get(k, 0.0) for k in PHASES})
    row.update({f"pole_{k}": p.pole_scores.get(k, 0.0) for k in POLES})
    row.update({f"response_{k}": p.response_scores.get(k, 0.0) for k in RESPONSES})
    return row


def write_csv(path: str | Path, rows, columns: list[str]) -> None:
    with atomic_write(path) as fh:
        w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)


def write_parquet(path: str | Path, rows: list[dict], columns: list[str]) -> bool:
    """Write Parquet with pyarrow; returns False (and writes nothing) when pyarrow is missing."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return False
    table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows])
    with atomic_write(path, "wb") as fh:
        pq.write_table(table, fh)
    return True
