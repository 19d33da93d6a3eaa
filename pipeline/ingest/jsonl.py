"""Pre-segmented input: a ``.jsonl`` file of passages (docs/formats.md, "input passages").

Each line is one passage, tagged as it is, its ``id`` kept. A bad line is reported and skipped; the
file's other passages are tagged.
"""

from __future__ import annotations

import json
from typing import Iterator

from .. import errors
from ..types import ErrorRecord, Passage


def _check(line: str) -> tuple[str | None, dict]:
    """What is wrong with one line (None when nothing), and the record."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        return f"malformed JSON ({e.msg} at column {e.colno})", {}
    if not isinstance(rec, dict):
        return f"expected a JSON object, got {errors.json_type(rec)}", {}
    if "text" not in rec:
        return "field 'text' is missing", rec
    if not isinstance(rec["text"], str):
        return errors.wrong_type("text", "a string", rec["text"]), rec
    if not rec["text"].strip():
        return "field 'text' is empty", rec
    for key in ("id", "doc_id"):  # a number is taken as its digits; a list, an object or true/false is not an id
        value = rec.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int))):
            return errors.wrong_type(key, "a string", value), rec
    if rec.get("lang") is not None and not isinstance(rec["lang"], str):
        return errors.wrong_type("lang", "a string (nl, en or other)", rec["lang"]), rec
    return None, rec


def iter_passages(path: str, rel: str, doc_id: str, problems: list[ErrorRecord]) -> Iterator[Passage]:
    """The passages of a JSONL file, line by line; a bad line becomes a problem and is skipped."""
    with open(path, encoding="utf-8-sig", errors="strict") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            problem, rec = _check(line)
            if problem:
                problems.append(ErrorRecord(rel, "bad_record", f"line {lineno}: {problem}"))
                continue
            text = rec["text"]
            pid = str(rec.get("id") or f"{doc_id}#{lineno}")
            lang = rec.get("lang") if rec.get("lang") in ("nl", "en", "other") else ""  # else detected
            yield Passage(id=pid, doc_id=str(rec.get("doc_id") or doc_id), text=text, start=0,
                          end=len(text), path=rel, lang=lang)
