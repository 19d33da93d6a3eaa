#!/usr/bin/env python3
"""Turn a hand-filled annotation sheet into corpus JSONL lines (docs/formats.md).

Annotators write a document by hand in ``annotations/documents/<alliance>/`` and
label it paragraph by paragraph in a sheet. This script only does the
bookkeeping: it splits the document into paragraphs (blank-line separated),
checks that the sheet has one row per paragraph and that each row's opening
words match its paragraph, computes the character offsets, and writes the
passages to ``annotations/corpus/<alliance>.jsonl`` (replacing earlier lines of
the same document). It writes no text of its own.

Sheet format::

    file: annotations/documents/greenfund/greenfund-2019-minutes-03.md
    alliance: GreenFund Alliance
    date: 2019-03-14
    lang: en
    genre: minutes
    annotator: ann-a
    ---
    none | - | - | Minutes of the
    forming | trust analysis | balance | The chair opened

Columns after ``---``: phase (``none:hard`` marks a hard negative: phase
``none``, no pole, cue words in another sense or document boilerplate) | poles (space separated, or -) | response (or -) |
the paragraph's first words.

Usage: python scripts/sheet_to_jsonl.py SHEET [SHEET ...]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.labels import GENRES, LANGS, sort_poles  # noqa: E402
from pipeline.segment import paragraph_spans as paragraphs  # noqa: E402  (the same split as the tagger's)
from coding import parse_labels  # noqa: E402  (the row rules blind coding uses too)

def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower().strip("*#_ ")


def convert(sheet: Path) -> tuple[Path, str, list[dict]]:
    head, _, body = sheet.read_text(encoding="utf-8").partition("\n---\n")
    meta = {}
    for ln, line in enumerate(head.splitlines(), 1):
        if line.strip():
            key, sep, val = line.partition(":")
            if not sep:
                raise SystemExit(f"{sheet}:{ln}: header line needs 'key: value', got {line!r}")
            meta[key.strip()] = val.strip()
    for key in ("file", "alliance", "date", "lang", "genre", "annotator"):
        if key not in meta:
            raise SystemExit(f"{sheet}: header misses '{key}:'")
    if meta["lang"] not in LANGS:
        raise SystemExit(f"{sheet}: lang {meta['lang']!r} not in {LANGS}")
    if meta["genre"] not in GENRES:
        raise SystemExit(f"{sheet}: genre {meta['genre']!r} not in {GENRES}")
    doc_path = ROOT / meta["file"]
    text = doc_path.read_text(encoding="utf-8")
    spans = paragraphs(text)
    head_lines = head.count("\n") + 2
    rows = [(head_lines + i, r) for i, r in enumerate(body.splitlines(), 1) if r.strip()]
    if len(rows) != len(spans):
        for i in range(min(len(rows), len(spans))):
            s, e = spans[i]
            prefix = rows[i][1].split("|", 3)[-1].strip()
            if not norm(text[s:e]).startswith(norm(prefix)[:25]):
                raise SystemExit(
                    f"{sheet}:{rows[i][0]}: {len(rows)} rows for {len(spans)} paragraphs; "
                    f"first mismatch at paragraph {i + 1}: {text[s:e][:60]!r} vs row {prefix!r}")
        raise SystemExit(f"{sheet}: {len(rows)} rows for {len(spans)} paragraphs in {doc_path}")
    doc_id = doc_path.stem
    out = []
    for i, ((ln, row), (s, e)) in enumerate(zip(rows, spans)):
        cols = [c.strip() for c in row.split("|", 3)]
        if len(cols) != 4:
            raise SystemExit(f"{sheet}:{ln}: need 4 columns 'phase | poles | response | words'")
        phase, poles, response, prefix = cols
        para = text[s:e]
        if not norm(para).startswith(norm(prefix)[:25]):
            raise SystemExit(f"{sheet}:{ln}: row says {prefix!r} but paragraph {i + 1} "
                             f"starts {para[:60]!r}")
        try:
            phase, pole_list, resp, hard = parse_labels(phase, poles, response)
        except ValueError as e:
            raise SystemExit(f"{sheet}:{ln}: {e}") from None
        out.append({
            "id": f"{doc_id}#{i + 1}", "doc_id": doc_id, "text": para,
            "lang": meta["lang"], "genre": meta["genre"], "phase": phase,
            "poles": sort_poles(pole_list), "response": resp,
            "meta": {"alliance": meta["alliance"], "date": meta["date"],
                     "annotator": meta["annotator"], "start": s, "end": e,
                     "file": meta["file"], **({"hard_negative": True} if hard else {})},
        })
    return doc_path, doc_id, out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for arg in argv:
        doc_path, doc_id, recs = convert(Path(arg))
        target = ROOT / "annotations" / "corpus" / f"{doc_path.parent.name}.jsonl"
        kept = []
        if target.exists():
            kept = [json.loads(l) for l in target.read_text(encoding="utf-8").splitlines() if l.strip()]
            kept = [r for r in kept if r["doc_id"] != doc_id]
        allrecs = kept + recs
        allrecs.sort(key=lambda r: (r["doc_id"], r["meta"]["start"]))
        tmp = target.with_suffix(".tmp")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in allrecs),
                       encoding="utf-8")
        tmp.replace(target)
        print(f"{arg}: {len(recs)} passages of {doc_id} -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
