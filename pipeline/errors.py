"""Every error type the package raises, and the message helpers that several modules share.

A message is worded where it is raised, because it names what only that place knows (the file, the
line, the field, the value seen); what it must say is the same everywhere: what was wrong, the value
seen, what is allowed, and the fix. The wording that recurs (an unknown label, a file without text) is
made here, so it reads the same wherever it is raised.
"""

from __future__ import annotations


class ParadoxError(Exception):
    """Base class of all errors of this package."""


class CorpusError(ParadoxError, ValueError):
    """An annotated corpus file is malformed; the message names file, line and field."""

    def __init__(self, path: str, line: int | None, message: str, field: str | None = None):
        self.path, self.line, self.field = str(path), line, field
        where = self.path if line is None else f"{self.path}:{line}"
        if field:
            where += f": field '{field}'"
        super().__init__(f"{where}: {message}")


class BadLine(ParadoxError, ValueError):
    """A line of a JSON-lines file (not the corpus) is malformed; the message names file and line."""

    def __init__(self, path: str, line: int, message: str):
        self.path, self.line = str(path), line
        super().__init__(f"{path}:{line}: {message}")


class IngestError(ParadoxError):
    """A document could not be read. ``kind`` is a short machine-readable reason."""

    def __init__(self, path: str, kind: str, message: str):
        self.path, self.kind, self.message = str(path), kind, message
        super().__init__(f"{path}: {message}")


class ModelError(ParadoxError):
    """A model folder is missing, incomplete or of an unknown backend."""


class MissingDependency(ParadoxError, ImportError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, extra: str, purpose: str):
        super().__init__(
            f"{purpose} needs the package '{package}', which is not installed. "
            f"Install it with: pip install 'paradox-tagger[{extra}]' (or `make install-extras`)."
        )


def unknown_label(kind: str, value: object, allowed: tuple[str, ...] | list[str]) -> str:
    return f"unknown {kind} {value!r}; allowed: {', '.join(allowed)}"


def no_text(path: str) -> str:
    return f"no extractable text in {path}; scanned? (run OCR first, e.g. ocrmypdf)"


def json_type(value: object) -> str:
    """What a JSON value is, in words: "a string", "a number", "a list", "an object", "true or false", "null"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def wrong_type(field: str, expected: str, value: object) -> str:
    """``field 'text' must be a string, got a number``."""
    return f"field '{field}' must be {expected}, got {json_type(value)}"
