"""Pre-segmented input: a ``.jsonl`` file of passages (docs/formats.md, "input passages").

Each line is one passage, tagged as it is, its ``id`` kept. A bad line is reported and skipped; the
file's other passages are tagged.
"""

from __future__ import annotations

import json
from typing import Iterator

from ..types import ErrorRecord, Passage


def iter_passages(path: str, rel: str, doc_id: str, problems: list[ErrorRecord]) -> Iterator[Passage]:
    """The passages of a JSONL file, line by line; a bad line becomes a problem and is skipped."""
    with open(path, encoding="utf-8-sig", errors="strict") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                text = rec["text"]
                if not isinstance(text, str) or not text.strip():
                    raise ValueError("field 'text' is empty")
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                msg = f"line {lineno}: " + (f"malformed JSON ({e.msg})" if isinstance(e, json.JSONDecodeError)
                                           else "field 'text' is missing" if isinstance(e, (KeyError, TypeError))
                                           else str(e))
                problems.append(ErrorRecord(rel, "bad_record", msg))
                continue
            pid = str(rec.get("id") or f"{doc_id}#{lineno}")
            lang = rec.get("lang") if rec.get("lang") in ("nl", "en", "other") else ""
            yield Passage(id=pid, doc_id=str(rec.get("doc_id") or doc_id), text=text, start=0,
                          end=len(text), path=rel, lang=lang)
