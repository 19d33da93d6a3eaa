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

    def add(self, p: TaggedPassage) -> None:
        """Count one passage."""
        if self.exclude_uncertain and p.uncertain:
            return
        self.n += 1
        self.uncertain += bool(p.uncertain)
        if p.phase in self.phase_counts:
            self.phase_counts[p.phase] += 1
        for k, v in p.phase_scores.items():
            if k in self.phase_w:
                self.phase_w[k] += v
        for k in p.poles:
            if k in self.pole_counts:
                self.pole_counts[k] += 1
        for k, v in p.pole_scores.items():
            if k in self.pole_w:
                self.pole_w[k] += v
        for k in p.tensions:
            if k in self.tension_counts:
                self.tension_counts[k] += 1
        self.any_tension += bool(p.tensions)
        if p.response in self.response_counts:
            self.response_counts[p.response] += 1

    def merge(self, other: "Profile") -> "Profile":
        """Add another profile's totals to this one's (both counted with the same ``exclude_uncertain``)."""
        self.n += other.n
        self.uncertain += other.uncertain
        self.any_tension += other.any_tension
        for mine, theirs in ((self.phase_counts, other.phase_counts), (self.phase_w, other.phase_w),
                             (self.pole_counts, other.pole_counts), (self.pole_w, other.pole_w),
                             (self.tension_counts, other.tension_counts),
                             (self.response_counts, other.response_counts)):
            for k, v in theirs.items():
                mine[k] += v
        return self

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
    one at a time (memory grows with the number of documents, not of passages).

    Each passage is counted once, in the profile of its document and language; :meth:`result` adds those
    up into every other grouping (a document's group and year are the same for all its passages)."""

    def __init__(self, exclude_uncertain: bool = False):
        self.exclude_uncertain = exclude_uncertain
        self._parts: dict[tuple[str, str], Profile] = {}  # (document, language) -> its passages' totals
        self._docs: dict[str, tuple[str, str | None]] = {}  # document -> (group, year)

    def add(self, p: TaggedPassage, meta: dict | None = None) -> None:
        """Add one passage; ``meta`` is its document's metadata (for the year), read at its first passage."""
        if p.doc_id not in self._docs:
            where = p.path or p.doc_id
            self._docs[p.doc_id] = (group_of(where), year_of(where, meta))
        key = (p.doc_id, p.lang or "?")
        acc = self._parts.get(key)
        if acc is None:
            acc = self._parts[key] = Profile(self.exclude_uncertain)
        acc.add(p)

    def year(self, doc_id: str) -> str | None:
        return self._docs.get(doc_id, (None, None))[1]

    def result(self) -> dict:
        overall = Profile(self.exclude_uncertain)
        by: dict[str, dict[str, Profile]] = {k: {} for k in ("document", "group", "language", "year")}
        group_year: dict[str, dict[str, Profile]] = {}

        def into(table: dict[str, Profile], key: str, part: Profile) -> None:
            if key not in table:
                table[key] = Profile(self.exclude_uncertain)
            table[key].merge(part)

        for (doc_id, lang), part in self._parts.items():
            group, year = self._docs[doc_id]
            overall.merge(part)
            into(by["document"], doc_id, part)
            into(by["group"], group, part)
            into(by["language"], lang, part)
            if year:
                into(by["year"], year, part)
                into(group_year.setdefault(group, {}), year, part)
        return {"overall": overall.result(),
                **{f"by_{k}": {key: acc.result() for key, acc in sorted(d.items())} for k, d in by.items()},
                "by_group_year": {g: {y: acc.result() for y, acc in sorted(ys.items())}
                                  for g, ys in sorted(group_year.items())}}


def summarize(passages: Iterable[TaggedPassage], doc_meta: dict[str, dict] | None = None,
              exclude_uncertain: bool = False) -> dict:
    """Statistics overall and per document, group, language and year."""
    doc_meta = doc_meta or {}
    acc = Summary(exclude_uncertain)
    for p in passages:
        acc.add(p, doc_meta.get(p.doc_id))
    return acc.result()
