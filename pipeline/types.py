"""The few types that flow through every stage.

``Document`` or ``DocumentStream`` (ingestion) -> ``Passage`` (segmentation,
language) -> ``TaggedPassage`` (the tagger). ``AnnotatedPassage`` is a line of the
annotated corpus (SPEC §3.1).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterator


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


@dataclass
class Passage:
    """A span of a document: ``document.text[start:end] == text``."""

    id: str
    doc_id: str
    text: str
    start: int = 0
    end: int = 0
    path: str = ""
    lang: str = ""


@dataclass
class AnnotatedPassage:
    """One line of the annotated corpus (SPEC §3.1)."""

    id: str
    text: str
    phase: str
    poles: list[str] = field(default_factory=list)
    response: str | None = None
    doc_id: str = ""
    lang: str = ""
    genre: str = "other"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def alliance(self) -> str:
        return str(self.meta.get("alliance", self.doc_id))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TaggedPassage:
    """What the tagger writes for one passage (SPEC §3.2)."""

    id: str
    doc_id: str
    path: str
    start: int
    end: int
    text: str
    lang: str
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
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "TaggedPassage":
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in names})
