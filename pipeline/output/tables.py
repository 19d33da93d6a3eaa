"""Parquet output: rows streamed into row groups with an explicit schema (the columns: :mod:`.rows`).

Each row group's columns are handed to pyarrow as raw buffers (numpy arrays of numbers, UTF-8 bytes with
their offsets): pyarrow's own converters from Python objects (``pa.array``, ``Table.from_pylist``) import
pandas to check their input, half a second of a one-file run's start-up."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import atomic_write

def _schema(columns: list[str]):
    import pyarrow as pa

    ints, bools = {"start", "end"}, {"uncertain"}
    floats = {c for c in columns if c.startswith(("phase_", "pole_", "response_"))}
    return pa.schema([(c, pa.int64() if c in ints else pa.bool_() if c in bools
                       else pa.float64() if c in floats else pa.string()) for c in columns])


class ParquetStream:
    """Rows to a Parquet file in row groups of ``batch`` rows, written atomically; a no-op (``ok`` False)
    when pyarrow is missing. Use as a context manager; :meth:`add` one row at a time (or :meth:`add_values`)."""

    def __init__(self, path: str | Path, columns: list[str], batch: int = 5_000):
        self.path, self.columns, self.batch = Path(path), list(columns), batch
        self.ok = True
        self._rows: list[list] = []  # values in column order

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
        """Add a row given as a dict (column -> value; a missing column is null)."""
        self.add_values([row.get(c) for c in self.columns])

    def add_values(self, values: list) -> None:
        """Add a row given as its values in column order."""
        if self.ok:
            self._rows.append(values)
            if len(self._rows) >= self.batch:
                self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._rows:
            arrays = [_column(f.type, list(values)) for f, values in zip(self._schema, zip(*self._rows))]
            self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
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


def _column(kind, values: list):
    """One Arrow column from Python values (None: null), built from buffers."""
    import pyarrow as pa

    n = len(values)
    missing = [v is None for v in values]
    validity = None
    if any(missing):
        validity = pa.py_buffer(np.packbits(~np.array(missing), bitorder="little"))
    if kind == pa.string():
        data = [b"" if v is None else str(v).encode("utf-8") for v in values]
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum([len(b) for b in data], out=offsets[1:])
        if offsets[-1] >= 2 ** 31:  # a string column's offsets are 32-bit
            raise ValueError(f"a row group of {n} rows holds over 2 GB of text in one column; use smaller row groups")
        return pa.Array.from_buffers(kind, n, [validity, pa.py_buffer(offsets.astype(np.int32)),
                                               pa.py_buffer(b"".join(data))])
    if kind == pa.bool_():
        bits = np.packbits(np.array([bool(v) for v in values], dtype=bool), bitorder="little")
        return pa.Array.from_buffers(kind, n, [validity, pa.py_buffer(bits)])
    dtype = np.int64 if kind == pa.int64() else np.float64
    numbers = np.array([0 if v is None else v for v in values], dtype=dtype)
    return pa.Array.from_buffers(kind, n, [validity, pa.py_buffer(numbers)])
