"""``paradox stats``: recompute statistics, tables and report from an existing output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._apps import app
from ._common import fail, info


@app.command()
def stats(
    out: Path = typer.Argument(..., help="An output folder of `paradox tag` (with passages.jsonl)."),
    exclude_uncertain: bool = typer.Option(False, help="Leave out passages marked uncertain."),
    report_passages: Optional[int] = typer.Option(None, "--report-passages", min=0,
                                                  help="Passages shown in the report (default 10000; 0: all)."),
) -> None:
    """Recompute summary.json, documents.csv, passages.csv/.parquet and report.html from passages.jsonl
    (e.g. after correcting labels), without tagging again.

    Exit status: 0 done; 1 a malformed line in passages.jsonl; 2 a usage error; 3 an output could not be
    written (full disk, permission denied, read-only folder): the earlier outputs are left as they were.

    Example: paradox stats out/
    """
    from ..errors import OUTPUT_EXIT, BadLine, output_error
    from ..output.assemble import restat

    src = out / "passages.jsonl"
    if not src.exists():
        fail(f"{src} not found; run `paradox tag ... --out {out}` first", 2)
    try:
        n = restat(out, exclude_uncertain=exclude_uncertain, report_passages=report_passages)
    except BadLine as e:
        fail(str(e))
    except OSError as e:
        fail(str(output_error(out, e)), OUTPUT_EXIT)
    info(f"statistics of {n} passages -> {out / 'summary.json'}, {out / 'report.html'}")
