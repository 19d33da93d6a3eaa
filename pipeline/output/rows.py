"""The columns of every file a passage becomes, defined once.

- :func:`tagged_record`: a line of ``passages.jsonl`` (docs/formats.md, "tagged passage"), encoded by
  :func:`tagged_line`;
- :func:`annotated_record`: a line of the annotated corpus (docs/formats.md, "annotated passage");
- :func:`flat_values` (or :func:`flat_row`, the same as a dict) with :data:`FLAT_COLUMNS`: the flat table of tagged passages (``passages.csv``,
  ``passages.parquet``; one column per score);
- :func:`exchange_row` with :data:`EXCHANGE_COLUMNS`: a passage with its labels for an annotation tool's
  CSV (``paradox annotations export --to csv``).

The JSON records keep the field order of these lists, so the files stay byte-stable whatever the
order of the dataclass fields.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..labels import LANGS, PHASES, POLES, RESPONSES
if TYPE_CHECKING:  # the types call these functions in to_dict(): annotations only, no import cycle
    from ..types import AnnotatedPassage, Passage, TaggedPassage

TAGGED_FIELDS = ("id", "doc_id", "path", "start", "end", "text", "lang", "phase", "phase_scores", "poles",
                 "pole_scores", "tensions", "response", "model", "response_scores", "uncertain")
ANNOTATED_FIELDS = ("id", "text", "phase", "poles", "response", "doc_id", "lang", "genre", "meta")

SCORE_COLUMNS = ([f"phase_{k}" for k in PHASES] + [f"pole_{k}" for k in POLES]
                 + [f"response_{k}" for k in RESPONSES])
FLAT_COLUMNS = (["id", "doc_id", "path", "start", "end", "lang", "phase", "poles", "tensions", "response",
                 "uncertain", "model"] + SCORE_COLUMNS + ["text"])
EXCHANGE_COLUMNS = ["passage_id", "text", "phase", "poles", "response", "doc_id", "lang", "genre", "meta"]


def _copy(v: Any) -> Any:
    return v.copy() if isinstance(v, (list, dict)) else v


def tagged_record(p: TaggedPassage) -> dict[str, Any]:
    """The JSON record of a tagged passage (flat lists and dicts, copied)."""
    return {name: _copy(getattr(p, name)) for name in TAGGED_FIELDS}


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def tagged_line(p: TaggedPassage) -> str:
    """A line of ``passages.jsonl``: :func:`tagged_record` as JSON (no copies: it is encoded at once)."""
    return _ENCODE({name: getattr(p, name) for name in TAGGED_FIELDS}) + "\n"


def annotated_record(p: AnnotatedPassage) -> dict[str, Any]:
    """The JSON record of an annotated passage."""
    return {name: _copy(getattr(p, name)) for name in ANNOTATED_FIELDS}


def flat_values(p: TaggedPassage) -> list[Any]:
    """One row of the flat table as values in :data:`FLAT_COLUMNS` order: labels as space-separated
    strings, one column per score."""
    ph, po, rs = p.phase_scores, p.pole_scores, p.response_scores
    return ([p.id, p.doc_id, p.path, p.start, p.end, p.lang, p.phase, " ".join(p.poles), " ".join(p.tensions),
             p.response or "", p.uncertain, p.model]
            + [ph.get(k, 0.0) for k in PHASES] + [po.get(k, 0.0) for k in POLES]
            + [rs.get(k, 0.0) for k in RESPONSES] + [p.text])


def flat_row(p: TaggedPassage) -> dict[str, Any]:
    """One row of the flat table as a dict (column -> value)."""
    return dict(zip(FLAT_COLUMNS, flat_values(p)))


def exchange_row(p: Passage, meta: dict | None = None) -> dict[str, Any]:
    """One row for an annotation tool: the passage's labels (tagged or annotated), ``meta`` as JSON; a language
    the corpus does not know (``other``) is left empty."""
    meta = meta if meta is not None else getattr(p, "meta", {})
    return {"passage_id": p.id, "text": p.text, "phase": getattr(p, "phase", "") or "",
            "poles": " ".join(getattr(p, "poles", [])), "response": getattr(p, "response", None) or "",
            "doc_id": p.doc_id, "lang": p.lang if p.lang in LANGS else "", "genre": getattr(p, "genre", "other"),
            "meta": json.dumps(meta, ensure_ascii=False) if meta else ""}
