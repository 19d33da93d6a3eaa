"""``paradox tag``: tag files and folders into an output folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ._apps import app
from ._common import fail, info, is_terminal


@app.command()
def tag(
    inputs: List[Path] = typer.Argument(..., help="Files and folders (recursive): txt, md, docx, pdf, html, odt, "
                                                  "or .jsonl of pre-segmented passages."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model folder (default: models/default)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes to tag in."),
    force: bool = typer.Option(False, "--force", help="Retag documents already tagged in OUT."),
    include: Optional[List[str]] = typer.Option(None, "--include", help="Only paths matching this glob."),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", help="Skip paths matching this glob."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON on stdout."),
    report_passages: Optional[int] = typer.Option(None, "--report-passages", min=0,
                                                  help="Passages shown in the report (default 10000; 0: all)."),
) -> None:
    """Tag documents and write passages.jsonl, summary.json, report.html (and CSV, Parquet, errors.jsonl).

    Exit status: 0 all tagged; 1 some inputs failed (listed in errors.jsonl, the others tagged); 2 a usage
    error; 3 the output folder could not be written (full disk, permission denied, read-only, or another run
    writing to it): the documents tagged so far are kept and the same command resumes.

    Example: paradox tag examples/ --out out/ --workers 2
    """
    from ..batch import run
    from ..errors import OUTPUT_EXIT, ModelError, OutputError

    for p in inputs:
        if not p.exists() and not p.is_symlink():
            fail(f"input {p} does not exist", 2)
    if out.exists() and not out.is_dir():
        fail(f"--out {out} is a file, not a folder; give a folder for the outputs (it is created if missing)", 2)
    progress = None
    bar = None
    if not quiet and is_terminal():
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn)

        bar = Progress(TextColumn("tagging"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[rate]} docs/s"), TimeRemainingColumn(), transient=True)
        task = bar.add_task("tag", total=None, rate="–")
        bar.start()

        def progress(rel: str, done: int, total: int) -> None:
            el = bar.tasks[task].elapsed or 1e-9
            bar.update(task, completed=done, total=total, rate=f"{done / el:.1f}")
    elif not quiet:
        def progress(rel: str, done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                info(f"tagged {done}/{total}: {rel}")
    try:
        summary = run(inputs, out, model_path=str(model) if model else None, workers=workers, force=force,
                      include=include, exclude=exclude, progress=progress, scheduler=scheduler,
                      report_passages=report_passages)
    except ModelError as e:
        fail(str(e), 2)
    except FileNotFoundError as e:
        fail(str(e), 2)
    except OutputError as e:
        fail(f"{e}; the documents tagged so far are kept in {out / '.parts'}, and the same command resumes "
             f"once that is fixed", OUTPUT_EXIT)
    finally:
        if bar:
            bar.stop()
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    info(f"{summary.documents} documents: {summary.tagged} tagged, {summary.skipped} skipped (unchanged), "
         f"{summary.failed} failed; {summary.passages} passages in {summary.seconds:.1f} s -> {out}", quiet)
    if summary.output_folders_left_out:
        info(f"left out {len(summary.output_folders_left_out)} output folder(s), never read as input: "
             + ", ".join(summary.output_folders_left_out), quiet)
    for e in summary.errors:
        info(f"  failed: {e['path']}: {e['kind']}: {e['message']}", quiet)
    raise typer.Exit(summary.exit_code)
