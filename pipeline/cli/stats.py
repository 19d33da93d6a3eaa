"""``paradox stats``: recompute statistics from an existing output folder."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from . import app
from ._common import fail, info


@app.command()
def stats(
    out: Path = typer.Argument(..., help="An output folder of `paradox tag` (with passages.jsonl)."),
    exclude_uncertain: bool = typer.Option(False, help="Leave out passages marked uncertain."),
) -> None:
    """Recompute summary.json and report.html from passages.jsonl (e.g. after correcting labels).

    Example: paradox stats out/
    """
    from ..output import atomic_write
    from ..output.report import write_report
    from ..stats import summarize
    from ..types import TaggedPassage

    src = out / "passages.jsonl"
    if not src.exists():
        fail(f"{src} not found; run `paradox tag ... --out {out}` first", 2)
    passages = []
    with src.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    passages.append(TaggedPassage.from_dict(json.loads(line)))
                except (json.JSONDecodeError, TypeError) as e:
                    fail(f"{src}:{lineno}: not a tagged passage ({e})")
    old = {}
    if (out / "summary.json").exists():
        old = json.loads((out / "summary.json").read_text(encoding="utf-8")).get("run", {})
    s = summarize(passages, exclude_uncertain=exclude_uncertain)
    with atomic_write(out / "summary.json") as fh:
        json.dump({"run": old, "statistics": s}, fh, indent=1, ensure_ascii=False)
    write_report(out / "report.html", passages, s, old)
    info(f"statistics of {len(passages)} passages -> {out / 'summary.json'}, {out / 'report.html'}")
