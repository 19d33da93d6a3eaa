#!/usr/bin/env python3
"""Apply decided label changes (adjudication, review) to the corpus files, keeping text and offsets.

Each input line: {"id", "phase", "poles", "response", ...}; the passage with that id gets these labels,
its meta gets ``relabelled_by`` (the input file's stem) and the old labels in ``meta.previous``; a
hard-negative mark is dropped when the passage gets a phase or a pole.
Prints how many passages changed.

Usage: python scripts/apply_relabels.py annotations/double-coding/adjudication.jsonl [more.jsonl]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.labels import PHASES, POLES, RESPONSES, sort_poles  # noqa: E402


def main(argv: list[str]) -> int:
    changes: dict[str, tuple[dict, str]] = {}
    for arg in argv:
        for lineno, line in enumerate(Path(arg).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            if r["phase"] not in PHASES or any(p not in POLES for p in r["poles"]) or \
                    r.get("response") not in (None, *RESPONSES):
                raise SystemExit(f"{arg}:{lineno}: invalid labels {r}")
            changes[r["id"]] = (r, Path(arg).stem)
    changed = 0
    seen = set()
    for f in sorted((ROOT / "annotations" / "corpus").glob("*.jsonl")):
        recs = [json.loads(l) for l in f.read_text(encoding="utf-8").splitlines() if l.strip()]
        dirty = False
        for rec in recs:
            if rec["id"] not in changes:
                continue
            seen.add(rec["id"])
            new, source = changes[rec["id"]]
            new_labels = {"phase": new["phase"], "poles": sort_poles(new["poles"]), "response": new.get("response")}
            old_labels = {k: rec[k] for k in ("phase", "poles", "response")}
            if new_labels != old_labels:
                rec["meta"].setdefault("previous", old_labels)
                rec["meta"]["relabelled_by"] = source
                rec.update(new_labels)
                if rec["meta"].get("hard_negative") and (new_labels["phase"] != "none" or new_labels["poles"]):
                    del rec["meta"]["hard_negative"]  # no longer a negative at all
                changed += 1
                dirty = True
        if dirty:
            tmp = f.with_suffix(".tmp")
            tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
            tmp.replace(f)
    missing = set(changes) - seen
    if missing:
        raise SystemExit(f"ids not in the corpus: {sorted(missing)[:5]} ...")
    print(f"{changed} passages relabelled from {len(changes)} decisions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
