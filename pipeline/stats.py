"""Summary statistics of tagged passages (defined in docs/statistics.md).

Computed overall, per document, per group (first-level subfolder), per
language and per year: phase profile, pole counts and shares, balance index
per paradox, tension rate per 100 passages, response distribution, and
confidence-weighted variants (each passage weighted by its score).
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Iterable

from .labels import PARADOXES, PHASES, POLES, RESPONSES
from .types import TaggedPassage

YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")


def group_of(path: str) -> str:
    """The first-level folder of a relative path (``.`` for files at the top)."""
    parts = PurePath(path).parts
    return parts[0] if len(parts) > 1 else "."


def year_of(path: str, meta: dict | None = None) -> str | None:
    """A year: the document's own date (metadata), else one in the file name, else the creation date of
    the file's properties (docx core properties; last, since templates carry theirs)."""
    meta = meta or {}
    for value in (meta.get("date"), PurePath(path).name, meta.get("created")):
        m = YEAR.search(str(value)) if value else None
        if m:
            return m.group(1)
    return None


def score_lists(p: TaggedPassage) -> tuple[list[float], list[float]]:
    """A passage's phase and pole scores in label order (0.0 where a score is missing)."""
    ph, po = p.phase_scores, p.pole_scores
    return [ph.get(k, 0.0) for k in PHASES], [po.get(k, 0.0) for k in POLES]


class Profile:
    """Running totals of one set of passages; :meth:`result` gives its statistics. Passages are added one
    at a time, so statistics over any number of passages take constant memory."""

    def __init__(self, exclude_uncertain: bool = False):
        self.exclude_uncertain = exclude_uncertain
        self.n = self.uncertain = self.any_tension = 0
        self.phase_counts = dict.fromkeys(PHASES, 0)
        self.phase_w = dict.fromkeys(PHASES, 0.0)
        self.pole_counts = dict.fromkeys(POLES, 0)
        self.pole_w = dict.fromkeys(POLES, 0.0)
        self.tension_counts = dict.fromkeys(PARADOXES, 0)
        self.response_counts = dict.fromkeys(RESPONSES, 0)

    def add(self, p: TaggedPassage, weights: tuple[list[float], list[float]] | None = None) -> None:
        """Count one passage. ``weights``: its phase and pole scores in label order, when the caller has them
        already (:class:`Stats` adds each passage to six profiles)."""
        if self.exclude_uncertain and p.uncertain:
            return
        self.n += 1
        self.uncertain += bool(p.uncertain)
        if p.phase in self.phase_counts:
            self.phase_counts[p.phase] += 1
        ph, po = weights or score_lists(p)
        for k, v in zip(PHASES, ph):
            self.phase_w[k] += v
        for k in p.poles:
            if k in self.pole_counts:
                self.pole_counts[k] += 1
        for k, v in zip(POLES, po):
            self.pole_w[k] += v
        for k in p.tensions:
            if k in self.tension_counts:
                self.tension_counts[k] += 1
        self.any_tension += bool(p.tensions)
        if p.response in self.response_counts:
            self.response_counts[p.response] += 1

    def result(self) -> dict:
        n = self.n
        balance = {}
        for pid, (a, b) in PARADOXES.items():
            ca, cb = self.pole_counts[a], self.pole_counts[b]
            wa, wb = self.pole_w[a], self.pole_w[b]
            balance[pid] = {"a": a, "b": b, "count_a": ca, "count_b": cb,
                            "index": round((ca - cb) / (ca + cb), 4) if ca + cb else None,
                            "weighted_index": round((wa - wb) / (wa + wb), 4) if wa + wb else None}
        return {
            "passages": n,
            "uncertain": self.uncertain,
            "phase_counts": dict(self.phase_counts),
            "phase_profile": {k: round(v / n, 4) if n else 0.0 for k, v in self.phase_counts.items()},
            "phase_profile_weighted": {k: round(v / n, 4) if n else 0.0 for k, v in self.phase_w.items()},
            "pole_counts": dict(self.pole_counts),
            "pole_shares": {k: round(v / n, 4) if n else 0.0 for k, v in self.pole_counts.items()},
            "pole_weighted": {k: round(v, 3) for k, v in self.pole_w.items()},
            "balance": balance,
            "tension_counts": dict(self.tension_counts),
            "tension_rate_per_100": round(100 * self.any_tension / n, 2) if n else 0.0,
            "response_counts": dict(self.response_counts),
        }


def profile(passages: Iterable[TaggedPassage], exclude_uncertain: bool = False) -> dict:
    """The statistics of one set of passages."""
    acc = Profile(exclude_uncertain)
    for p in passages:
        acc.add(p)
    return acc.result()


class Summary:
    """Running statistics overall and per document, group, language, year and group-year; add passages
    one at a time (memory grows with the number of documents, not of passages)."""

    def __init__(self, exclude_uncertain: bool = False):
        self.exclude_uncertain = exclude_uncertain
        self.overall = Profile(exclude_uncertain)
        self.by: dict[str, dict[str, Profile]] = {k: {} for k in ("document", "group", "language", "year")}
        self.group_year: dict[str, dict[str, Profile]] = {}
        self._years: dict[str, str | None] = {}  # per document

    def _at(self, table: dict[str, Profile], key: str) -> Profile:
        acc = table.get(key)
        if acc is None:
            acc = table[key] = Profile(self.exclude_uncertain)
        return acc

    def add(self, p: TaggedPassage, meta: dict | None = None) -> None:
        """Add one passage; ``meta`` is its document's metadata (for the year), read at its first passage."""
        where = p.path or p.doc_id
        group = group_of(where)
        if p.doc_id not in self._years:
            self._years[p.doc_id] = year_of(where, meta)
        y = self._years[p.doc_id]
        w = score_lists(p)
        self.overall.add(p, w)
        self._at(self.by["document"], p.doc_id).add(p, w)
        self._at(self.by["group"], group).add(p, w)
        self._at(self.by["language"], p.lang or "?").add(p, w)
        if y:
            self._at(self.by["year"], y).add(p, w)
            self._at(self.group_year.setdefault(group, {}), y).add(p, w)

    def year(self, doc_id: str) -> str | None:
        return self._years.get(doc_id)

    def result(self) -> dict:
        return {"overall": self.overall.result(),
                **{f"by_{k}": {key: acc.result() for key, acc in sorted(d.items())} for k, d in self.by.items()},
                "by_group_year": {g: {y: acc.result() for y, acc in sorted(ys.items())}
                                  for g, ys in sorted(self.group_year.items())}}


def summarize(passages: Iterable[TaggedPassage], doc_meta: dict[str, dict] | None = None,
              exclude_uncertain: bool = False) -> dict:
    """Statistics overall and per document, group, language and year."""
    doc_meta = doc_meta or {}
    acc = Summary(exclude_uncertain)
    for p in passages:
        acc.add(p, doc_meta.get(p.doc_id))
    return acc.result()
