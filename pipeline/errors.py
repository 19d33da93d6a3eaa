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


OUTPUT_EXIT = 3  # the exit status of a run whose output folder could not be written


class OutputError(ParadoxError):
    """An output could not be written: a full disk, no permission, a read-only folder, or a folder that another
    run is writing to. ``paradox`` ends with exit status :data:`OUTPUT_EXIT` and this one-line message; the
    finished part files stay, so the next run resumes."""

    def __init__(self, path: str, cause: str):
        self.path, self.cause = str(path), cause
        super().__init__(f"cannot write {self.path}: {cause}")

    def __reduce__(self):  # raised in worker processes, so it must pickle with its own arguments
        return type(self), (self.path, self.cause)


_CAUSES = {"ENOSPC": "no space left on device", "EDQUOT": "disk quota exceeded",
           "EACCES": "permission denied", "EPERM": "permission denied", "EROFS": "read-only file system"}


def output_error(path: object, error: OSError) -> OutputError:
    """The :class:`OutputError` for an ``OSError`` met while writing under ``path``: the cause in words and the
    errno's name, e.g. ``cannot write out/: no space left on device (ENOSPC)``."""
    import errno as _errno

    name = _errno.errorcode.get(error.errno or 0, "")
    cause = _CAUSES.get(name) or (error.strerror or str(error)).lower()
    return OutputError(str(path), f"{cause} ({name})" if name else cause)
