"""Sources: the files a batch reads, found in files and folders.

Folders are walked recursively in sorted order (hidden entries skipped, symlink loops guarded), include
and exclude globs applied, and every file of a supported format becomes a :class:`Source` with a
document id that is unique in the batch.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .ingest import SUFFIXES
from .types import ErrorRecord

INPUT_SUFFIXES = (*SUFFIXES, ".jsonl")


@dataclass
class Source:
    """One input file: its path on disk, the path shown in outputs, its document id."""

    path: str
    rel: str
    doc_id: str

    @property
    def is_jsonl(self) -> bool:
        return self.path.lower().endswith(".jsonl")


def is_output_folder(path: str | os.PathLike) -> bool:
    """Whether a folder is an output folder of ``paradox tag`` (it has ``summary.json`` and ``.parts``)."""
    path = Path(path)
    return (path / "summary.json").is_file() and (path / ".parts").is_dir()


def collect(inputs: Iterable[str | os.PathLike], include: list[str] | None = None,
            exclude: list[str] | None = None, skip: Iterable[str | os.PathLike] = (),
            skipped: list[str] | None = None) -> tuple[list[Source], list[ErrorRecord]]:
    """Sources for files and folders (recursive, sorted, symlink loops guarded), and the problems met.

    Output folders are never read as input: the folders in ``skip`` (a run's own ``--out``) and any
    folder that is a paradox output (:func:`is_output_folder`); the ones left out are appended to
    ``skipped``.
    """
    sources: list[Source] = []
    problems: list[ErrorRecord] = []
    used: set[str] = set()
    skip_real = {os.path.realpath(p) for p in skip}
    skipped = skipped if skipped is not None else []

    def output(folder: str) -> bool:
        if os.path.realpath(folder) in skip_real or is_output_folder(folder):
            skipped.append(folder)
            return True
        return False

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
        if output(str(inp)):
            continue
        seen = {os.path.realpath(inp)}
        for dirpath, dirnames, filenames in os.walk(inp, followlinks=True):
            dirnames.sort()
            for d in list(dirnames):
                full = os.path.join(dirpath, d)
                real = os.path.realpath(full)
                if d.startswith(".") or real in seen or output(full):
                    if not d.startswith(".") and real in seen:
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
