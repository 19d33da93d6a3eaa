"""``paradox export refi``: a tagged output folder as a REFI-QDA project for QDA software."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ._apps import export_app
from ._common import fail, info


@export_app.command("refi")
def refi(
    out_dir: Path = typer.Argument(..., help="Output folder of `paradox tag` (with passages.jsonl)."),
    out: Path = typer.Option(..., "--out", "-o", help="The REFI-QDA project to write (.qdpx)."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", help="Also write the codebook alone (.qdc)."),
    input_root: Optional[List[Path]] = typer.Option(None, "--input-root", "-i",
                                                    help="A file or folder given to `paradox tag` (repeatable; "
                                                         "default: the input roots recorded in summary.json)."),
    missing: str = typer.Option("error", "--missing", help="A source that is gone or changed since it was tagged "
                                                            "(its content hash differs): error, reconstruct "
                                                            "(from the passages) or skip (with a warning)."),
    skip_none: bool = typer.Option(False, "--skip-none", help="Do not code passages whose phase is none."),
    as_json: bool = typer.Option(False, "--json", help="Print the export report as JSON."),
) -> None:
    """Write a .qdpx (project.qde + sources/*.txt) for ATLAS.ti, MAXQDA, NVivo, QualCoder.

    Example: paradox export refi out/ --out out/paradox.qdpx --input-root examples --codebook out/paradox.qdc
    """
    from ..errors import ParadoxError
    from ..exchange.refi import MISSING_POLICIES, write_qdc, write_qdpx

    if missing not in MISSING_POLICIES:
        fail(f"unknown --missing {missing!r}; allowed: {', '.join(MISSING_POLICIES)}", 2)
    if not out_dir.exists():
        fail(f"{out_dir} does not exist; run `paradox tag INPUT --out {out_dir}` first", 2)
    try:
        report = write_qdpx(out_dir, out, input_root, on_missing=missing, skip_none=skip_none)
    except ParadoxError as e:
        fail(str(e), 1)
    if codebook:
        write_qdc(codebook)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    info(f"{report.documents} documents, {report.passages} passages, {report.selections} coded segments -> {out}"
         + (f"; codebook -> {codebook}" if codebook else ""))
    for path in report.reconstructed:
        info(f"  reconstructed from passages (source missing or changed): {path}")
    for path in report.skipped:
        info(f"  skipped (source missing or changed): {path}")
