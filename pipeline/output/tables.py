"""Parquet output: rows streamed into row groups with an explicit schema (the columns: :mod:`.rows`).

Each row group is handed to pyarrow as JSON lines read against the schema: pyarrow's own converters from
Python lists (``pa.array``, ``Table.from_pylist``) import pandas to check their input, half a second of a
one-file run's start-up."""

from __future__ import annotations

import io
import json
from pathlib import Path

from . import atomic_write

def _schema(columns: list[str]):
    import pyarrow as pa

    ints, bools = {"start", "end"}, {"uncertain"}
    floats = {c for c in columns if c.startswith(("phase_", "pole_", "response_"))}
    return pa.schema([(c, pa.int64() if c in ints else pa.bool_() if c in bools
                       else pa.float64() if c in floats else pa.string()) for c in columns])


class ParquetStream:
    """Rows to a Parquet file in row groups of ``batch`` rows, written atomically; a no-op (``ok`` False)
    when pyarrow is missing. Use as a context manager; :meth:`add` one row dict at a time."""

    def __init__(self, path: str | Path, columns: list[str], batch: int = 5_000):
        self.path, self.columns, self.batch = Path(path), list(columns), batch
        self.ok = True
        self._rows: list[dict] = []

    def __enter__(self) -> "ParquetStream":
        try:
            import pyarrow.parquet as pq
        except ImportError:
            self.ok = False
            return self
        self._ctx = atomic_write(self.path, "wb")
        fh = self._ctx.__enter__()
        self._schema = _schema(self.columns)
        self._writer = pq.ParquetWriter(fh, self._schema)
        return self

    def add(self, row: dict) -> None:
        if self.ok:
            self._rows.append(row)
            if len(self._rows) >= self.batch:
                self._flush()

    def _flush(self) -> None:
        import pyarrow.json as pj

        if self._rows:
            lines = "".join(json.dumps({c: r.get(c) for c in self.columns}, ensure_ascii=False) + "\n"
                            for r in self._rows).encode("utf-8")
            parse = pj.ParseOptions(explicit_schema=self._schema, unexpected_field_behavior="error")
            # one block for the whole group: a row longer than a block would not parse
            read = pj.ReadOptions(use_threads=False, block_size=len(lines) + 1)
            self._writer.write_table(pj.read_json(io.BytesIO(lines), read_options=read, parse_options=parse))
            self._rows = []

    def __exit__(self, exc_type, exc, tb) -> bool:
        if not self.ok:
            return False
        try:
            if exc_type is None:
                self._flush()
            self._writer.close()
        except BaseException as e:  # the temporary file is removed, nothing is renamed into place
            self._ctx.__exit__(type(e), e, e.__traceback__)
            raise
        self._ctx.__exit__(exc_type, exc, tb)
        return False
