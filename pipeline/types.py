"""The few types that flow through every stage.

``Document`` or ``DocumentStream`` (ingestion) -> ``Passage`` (segmentation, then language) ->
``TaggedPassage`` (the tagger). ``AnnotatedPassage`` is a line of the annotated corpus. A passage is
frozen: a stage that adds to it makes a new one (``dataclasses.replace``; :func:`with_lang` and
:func:`made` where a loop makes one per passage). The annotated and the
tagged passage are passages with labels (and scores), so every stage and every exchange format reads
the same fields; the column order of the files they become is fixed once, in
:mod:`pipeline.output.rows`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterator

from .output.rows import annotated_record, tagged_record


@dataclass
class Document:
    """A document's extracted text, paragraphs separated by blank lines."""

    doc_id: str
    text: str
    path: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class DocumentStream:
    """A document whose text arrives in pieces (a large text file a megabyte at a time, a PDF page by
    page): ``"".join(chunks)`` is the ``text`` of the :class:`Document` it stands for."""

    doc_id: str
    chunks: Iterator[str]
    path: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Passage:
    """A span of a document: ``document.text[start:end] == text``; ``lang`` is ``nl``, ``en``, ``other``
    or empty (not known yet)."""

    id: str
    doc_id: str
    text: str
    start: int = 0
    end: int = 0
    path: str = ""
    lang: str = ""


def made(cls, values: dict[str, Any]):
    """An instance of the frozen dataclass ``cls`` from a value for every one of its fields and nothing else,
    without running ``__init__`` (whose frozen assignments cost ten times more): for the loops that make a
    passage per passage, whose callers give complete values. Anything less goes through ``cls(**values)``."""
    if values.keys() != cls.__dataclass_fields__.keys():
        return cls(**values)
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


def with_lang(p: "Passage", lang: str) -> "Passage":
    """``dataclasses.replace(p, lang=lang)``, without running ``__init__`` (see :func:`made`)."""
    obj = object.__new__(type(p))
    obj.__dict__.update(p.__dict__)
    obj.__dict__["lang"] = lang
    return obj


def reviewer_mark(meta: dict[str, Any]) -> bool:
    """Whether a passage's metadata carries a reviewer mark: ``meta.reviewed`` is true and ``meta.reviewer``
    names a person (the report's review mode writes both)."""
    reviewer = meta.get("reviewer")
    return meta.get("reviewed") is True and isinstance(reviewer, str) and bool(reviewer.strip())


@dataclass(frozen=True, kw_only=True)
class AnnotatedPassage(Passage):
    """A passage labelled by a person: one line of the annotated corpus (docs/formats.md)."""

    phase: str
    poles: list[str] = field(default_factory=list)
    response: str | None = None
    genre: str = "other"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def alliance(self) -> str:
        return str(self.meta.get("alliance", self.doc_id))

    @property
    def reviewed(self) -> bool:
        """Whether a person reviewed the labels (:func:`reviewer_mark` on ``meta``)."""
        return reviewer_mark(self.meta)

    def to_dict(self) -> dict[str, Any]:
        return annotated_record(self)


@dataclass(frozen=True, kw_only=True)
class TaggedPassage(Passage):
    """A passage labelled by the tagger, with calibrated scores (docs/formats.md)."""

    phase: str
    phase_scores: dict[str, float]
    poles: list[str]
    pole_scores: dict[str, float]
    tensions: list[str]
    response: str | None
    model: str
    response_scores: dict[str, float] = field(default_factory=dict)
    uncertain: bool = False

    def to_dict(self) -> dict[str, Any]:
        return tagged_record(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "TaggedPassage":
        names = cls.__dataclass_fields__
        if d.keys() == names.keys():  # a complete record, as this tool writes them
            return made(cls, d)
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass(frozen=True)
class ErrorRecord:
    """One line of ``errors.jsonl``: an input that failed, or a part of it (a bad JSONL record)."""

    path: str
    kind: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)
