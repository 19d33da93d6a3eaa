"""Passages reviewed in the report (``report.html``, "Download reviewed passages"): annotation JSONL in the
corpus format (docs/formats.md) whose rows carry the review in ``meta``: ``reviewed: true``, the
``reviewer``, the time (``reviewed_at``, ISO 8601) and the model's original labels (``model_labels``).

The report writes only rows a person touched; a row without ``meta.reviewed: true`` is counted as
unlabelled and left out. There is no export: the report is where these rows are made.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Iterator

from .. import errors
from ..labels import PHASES, POLES
from . import records
from .importer import ImportReport
from .records import Raw

SUFFIX = ".jsonl"


def check_review(path: Path, lineno: int, meta: dict) -> None:
    """The review fields of a row marked reviewed; errors name the file, line and field."""

    def bad(key: str, msg: str) -> errors.CorpusError:
        return errors.CorpusError(str(path), lineno, msg, f"meta.{key}")

    reviewer = meta.get("reviewer")
    if not (isinstance(reviewer, str) and reviewer.strip()):
        raise bad("reviewer", f"a reviewed passage names its reviewer (a non-empty string), got {reviewer!r}")
    when = meta.get("reviewed_at")
    if not isinstance(when, str):
        raise bad("reviewed_at", f"must be an ISO 8601 time (a string), got {errors.json_type(when)}")
    try:
        datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        raise bad("reviewed_at", f"must be an ISO 8601 time such as 2025-03-14T09:30:00Z, got {when!r}") from None
    labels = meta.get("model_labels")
    if not isinstance(labels, dict):
        raise bad("model_labels", f"must be an object with the model's phase and poles, got {labels!r}")
    if labels.get("phase") not in PHASES:
        raise bad("model_labels", errors.unknown_label("phase", labels.get("phase"), PHASES))
    poles = labels.get("poles", [])
    if not isinstance(poles, list) or any(p not in POLES for p in poles):
        raise bad("model_labels", f"poles must be a list of pole ids, got {poles!r}")


def read(path: Path, report: ImportReport) -> Iterator[Raw]:
    """The reviewed rows of a review download, as they are (the corpus checks follow in the importer)."""
    for lineno, rec in records.json_lines(path):
        report.records += 1
        meta = rec.get("meta")
        if not isinstance(meta, dict) or meta.get("reviewed") is not True:
            report.unlabelled += 1
            continue
        check_review(path, lineno, meta)
        yield Raw(f"line {lineno}", lineno, rec)
