"""Part files: each document's tagged passages, stored in ``OUT/.parts`` as soon as it is done.

A part is a JSON-lines file: a header (the document's path, id, content hash,
model and metadata), one line per tagged passage exactly as ``passages.jsonl``
has it, and an end line (passage count, problems met). The passages are
written chunk by chunk while the document is tagged, to a temporary file that
is renamed into place only once the end line is written: a part without its
end line never exists under its own name, so a killed run leaves no part that
looks finished. The end line holds a checksum of the passage lines, so a part
damaged on disk is found when a run would skip its document, and the document is
tagged again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Iterator

from . import errors
from .output.rows import tagged_line
from .types import TaggedPassage

SUFFIX = ".jsonl"


def part_path(out: Path, rel: str) -> Path:
    return Path(out) / ".parts" / (hashlib.sha1(rel.encode()).hexdigest()[:20] + SUFFIX)


def clean_temporary(out: Path) -> None:
    """Remove the temporary parts and outputs an interrupted run left behind (call it holding the folder's lock)."""
    for folder in (Path(out) / ".parts", Path(out)):
        if folder.is_dir():
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)


class PartWriter:
    """Writes one document's part: :meth:`write` each chunk of tagged passages, then :meth:`commit` (or
    :meth:`discard`). The header is written with the first chunk, from the document result's hash and
    metadata, which are known by then.

    Unlike the outputs, a part is not fsynced (that cost more than tagging the document): a part torn by
    a power cut lacks its end line, and :func:`read_part` then treats the document as not yet tagged.
    """

    def __init__(self, out: Path, rel: str, doc_id: str, model: str):
        self.path = part_path(out, rel)
        self.rel, self.doc_id, self.model = rel, doc_id, model
        self.passages = 0
        self._fh = None
        self._tmp: str | None = None
        self._digest = hashlib.sha1()

    @contextlib.contextmanager
    def _writing(self):
        """An ``OSError`` here (a full disk, no permission, a read-only folder) drops this part and becomes an
        :class:`~pipeline.errors.OutputError` naming it, which stops the run; finished parts stay."""
        try:
            yield
        except OSError as e:
            self._drop()
            raise errors.output_error(self.path, e) from None

    def _drop(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = None
        if self._tmp:
            with contextlib.suppress(OSError):
                Path(self._tmp).unlink(missing_ok=True)
            self._tmp = None

    def _open(self, content_hash: str, meta: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self._fh.write(json.dumps({"part": 1, "rel": self.rel, "doc_id": self.doc_id, "hash": content_hash,
                                   "model": self.model, "meta": meta}, ensure_ascii=False) + "\n")

    def write(self, result, passages: list[TaggedPassage]) -> None:
        """Append tagged passages; ``result`` is the document's :class:`~pipeline.work.DocResult`."""
        with self._writing():
            if self._fh is None:
                self._open(result.content_hash, result.meta)
            # the C encoder, one line at a time (json.dump to a file is pure Python)
            lines = "".join(map(tagged_line, passages))
            self._fh.write(lines)
            self._digest.update(lines.encode("utf-8"))
        self.passages += len(passages)

    def commit(self, result) -> None:
        """Write the end line and move the part into place."""
        try:
            with self._writing():
                if self._fh is None:
                    self._open(result.content_hash, result.meta)
                self._fh.write(json.dumps({"part_end": 1, "passages": self.passages,
                                           "errors": [e.to_dict() for e in result.errors],
                                           "sha1": self._digest.hexdigest()}, ensure_ascii=False) + "\n")
                self._fh.close()
                self._fh = None
                os.replace(self._tmp, self.path)
                self._tmp = None
        except BaseException:
            self._drop()
            raise

    def discard(self) -> None:
        """Drop this part, and any earlier part of the same document (so that the next run retags it)."""
        self._drop()
        with self._writing():
            self.path.unlink(missing_ok=True)


def _last_line(fh) -> bytes:
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    block = 4096
    while True:
        start = max(0, size - block)
        fh.seek(start)
        tail = fh.read(size - start).rstrip(b"\n")
        i = tail.rfind(b"\n")
        if i >= 0 or start == 0:
            return tail[i + 1:]
        block *= 4


class Part:
    """A finished part on disk: ``header`` and ``end`` (dicts), and its passage lines."""

    def __init__(self, path: Path, header: dict, end: dict):
        self.path, self.header, self.end = path, header, end

    @property
    def meta(self) -> dict:
        return self.header.get("meta") or {}

    def lines(self) -> Iterator[str]:
        """The passage lines, each ending in a newline, exactly as ``passages.jsonl`` takes them."""
        with open(self.path, encoding="utf-8", newline="") as fh:
            fh.readline()
            for _ in range(self.end["passages"]):
                yield fh.readline()

    def intact(self) -> bool:
        """Whether the passage lines are those written: as many as the end line says, with its checksum (a
        part damaged on disk, or written before parts had one, is not, and its document is tagged again)."""
        digest, n = hashlib.sha1(), 0
        try:
            with open(self.path, "rb") as fh:
                fh.readline()
                for n in range(1, self.end.get("passages", 0) + 1):
                    digest.update(fh.readline())
                if json.loads(fh.readline()) != self.end:
                    return False
        except (OSError, ValueError):
            return False
        return n == self.end.get("passages", 0) and digest.hexdigest() == self.end.get("sha1")

    def passages(self) -> Iterator[dict]:
        for line in self.lines():
            yield json.loads(line)


def read_part(out: Path, rel: str) -> Part | None:
    """The finished part of the document at ``rel``, or None (not tagged yet, or torn)."""
    path = part_path(out, rel)
    try:
        with open(path, "rb") as fh:
            header = json.loads(fh.readline())
            end = json.loads(_last_line(fh))
    except (OSError, ValueError):
        return None
    if not isinstance(header, dict) or header.get("part") != 1 or not isinstance(end, dict) or end.get("part_end") != 1:
        return None
    return Part(path, header, end)
