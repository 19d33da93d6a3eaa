"""Summary statistics of tagged passages (defined in docs/statistics.md).

Computed overall, per document, per group (first-level subfolder), per
language and per year: phase profile, pole counts and shares, balance index
per paradox, tension rate per 100 passages, response distribution, and
confidence-weighted variants (each passage weighted by its score).
"""

from __future__ import annotations

import re
from collections import defaultdict
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


def profile(passages: list[TaggedPassage], exclude_uncertain: bool = False) -> dict:
    """The statistics of one set of passages."""
    if exclude_uncertain:
        passages = [p for p in passages if not p.uncertain]
    n = len(passages)
    phase_counts = {k: sum(p.phase == k for p in passages) for k in PHASES}
    phase_w = {k: sum(p.phase_scores.get(k, 0.0) for p in passages) for k in PHASES}
    pole_counts = {k: sum(k in p.poles for p in passages) for k in POLES}
    pole_w = {k: sum(p.pole_scores.get(k, 0.0) for p in passages) for k in POLES}
    balance = {}
    for pid, (a, b) in PARADOXES.items():
        ca, cb = pole_counts[a], pole_counts[b]
        wa, wb = pole_w[a], pole_w[b]
        balance[pid] = {"a": a, "b": b, "count_a": ca, "count_b": cb,
                        "index": round((ca - cb) / (ca + cb), 4) if ca + cb else None,
                        "weighted_index": round((wa - wb) / (wa + wb), 4) if wa + wb else None}
    tension_counts = {k: sum(k in p.tensions for p in passages) for k in PARADOXES}
    any_t = sum(bool(p.tensions) for p in passages)
    resp = {k: sum(p.response == k for p in passages) for k in RESPONSES}
    return {
        "passages": n,
        "uncertain": sum(p.uncertain for p in passages),
        "phase_counts": phase_counts,
        "phase_profile": {k: round(v / n, 4) if n else 0.0 for k, v in phase_counts.items()},
        "phase_profile_weighted": {k: round(v / n, 4) if n else 0.0 for k, v in phase_w.items()},
        "pole_counts": pole_counts,
        "pole_shares": {k: round(v / n, 4) if n else 0.0 for k, v in pole_counts.items()},
        "pole_weighted": {k: round(v, 3) for k, v in pole_w.items()},
        "balance": balance,
        "tension_counts": tension_counts,
        "tension_rate_per_100": round(100 * any_t / n, 2) if n else 0.0,
        "response_counts": resp,
    }


def summarize(passages: Iterable[TaggedPassage], doc_meta: dict[str, dict] | None = None,
              exclude_uncertain: bool = False) -> dict:
    """Statistics overall and per document, group, language and year."""
    passages = list(passages)
    doc_meta = doc_meta or {}
    by: dict[str, dict[str, list[TaggedPassage]]] = {k: defaultdict(list) for k in
                                                     ("document", "group", "language", "year")}
    group_year: dict[str, dict[str, list[TaggedPassage]]] = defaultdict(lambda: defaultdict(list))
    for p in passages:
        by["document"][p.doc_id].append(p)
        group = group_of(p.path or p.doc_id)
        by["group"][group].append(p)
        by["language"][p.lang or "?"].append(p)
        y = year_of(p.path or p.doc_id, doc_meta.get(p.doc_id))
        if y:
            by["year"][y].append(p)
            group_year[group][y].append(p)
    return {"overall": profile(passages, exclude_uncertain),
            **{f"by_{k}": {key: profile(v, exclude_uncertain) for key, v in sorted(d.items())}
               for k, d in by.items()},
            "by_group_year": {g: {y: profile(v, exclude_uncertain) for y, v in sorted(ys.items())}
                              for g, ys in sorted(group_year.items())}}
