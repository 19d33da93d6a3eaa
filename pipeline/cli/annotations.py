"""``paradox annotations import|export``: passages to and from Label Studio, Prodigy, doccano, CSV (and REFI-QDA
projects, read back)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ._apps import annotations_app
from ._common import fail, info

FORMAT_HELP = "labelstudio, prodigy, doccano or csv"
IMPORT_HELP = ("labelstudio, prodigy, doccano, csv, refi (a .qdpx coded in QDA software) or review (passages "
               "reviewed in report.html)")


@annotations_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="The tool's export: Label Studio JSON (or JSON-MIN), Prodigy db-out "
                                          "JSONL, doccano JSONL, CSV, a REFI-QDA project (.qdpx), or the "
                                          "report's download of reviewed passages (JSONL)."),
    fmt: str = typer.Option(..., "--from", help=f"The tool the file comes from: {IMPORT_HELP}."),
    out: Path = typer.Option(..., "--out", "-o", help="Corpus JSONL to write (docs/formats.md)."),
    on_conflict: str = typer.Option("first", "--on-conflict",
                                    help="Conflicting duplicates (same id or text, other labels): keep the "
                                         "first, drop all, or error."),
    accept_unreviewed: bool = typer.Option(False, "--accept-unreviewed",
                                           help="Also keep rows whose labels are still the model's pre-labels "
                                                "and that carry no reviewer mark (left out by default)."),
    as_json: bool = typer.Option(False, "--json", help="Print the import report as JSON."),
) -> None:
    """Convert annotations into the corpus format, checked like `paradox corpus validate`.

    The model's predictions never come back as annotations: a row whose labels equal the pre-labels it was
    exported with and that carries no reviewer mark (meta.reviewed and meta.reviewer) is reported and left
    out, unless --accept-unreviewed.

    Example: paradox annotations import --from labelstudio export.json --out annotations/corpus/batch-07.jsonl
    """
    from ..errors import CorpusError
    from ..exchange import ANNOTATION_TOOLS
    from ..exchange.importer import CONFLICT_POLICIES, import_annotations, write_corpus
    from ..exchange.records import CONFLICTS

    allowed = (*ANNOTATION_TOOLS, "refi", "review")
    if fmt not in allowed:
        fail(f"unknown --from {fmt!r}; allowed: {', '.join(allowed)}", 2)
    if on_conflict not in CONFLICT_POLICIES:
        fail(f"unknown --on-conflict {on_conflict!r}; allowed: {', '.join(CONFLICT_POLICIES)}", 2)
    try:
        passages, report = import_annotations(file, fmt, on_conflict, accept_unreviewed)
    except CorpusError as e:
        fail(str(e), 1)
    write_corpus(passages, out)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    info(f"{report.records} records: {report.imported} passages -> {out}; {report.unlabelled} unlabelled, "
         f"{report.rejected} rejected, {report.duplicates} exact duplicates dropped, "
         f"{len(report.conflicts)} conflicts, {len(report.unreviewed)} unreviewed pre-labels left out")
    if report.unreviewed:
        shown = ", ".join(f"{u['id']!r} ({u['where']})" for u in report.unreviewed[:5])
        more = f" and {len(report.unreviewed) - 5} more" if len(report.unreviewed) > 5 else ""
        info(f"  left out {len(report.unreviewed)} row(s) whose labels are still the model's pre-labels, with no "
             f"reviewer mark: {shown}{more}; pass --accept-unreviewed to keep them")
    if report.accepted_unreviewed:
        info(f"  kept {report.accepted_unreviewed} row(s) whose labels are still the model's pre-labels, with no "
             f"reviewer mark (--accept-unreviewed)")
    for c in report.conflicts:
        kept = f"; kept {c['kept']}" if c.get("kept") else "; none kept"
        who = [a for a in c.get("annotators") or [] if a]
        by = f" (annotators: {', '.join(who)})" if who else ""
        info(f"  conflict: {CONFLICTS[c['kind']]}: {c['id']!r} at {', '.join(c['where'])}{by}: "
             f"{' vs '.join(c['labels'])}{kept}")


@annotations_app.command("export")
def export(
    source: Path = typer.Argument(..., help="Tagged output folder or passages.jsonl of `paradox tag`, or corpus "
                                            "JSONL files/folder."),
    fmt: str = typer.Option(..., "--to", help=f"The tool to write for: {FORMAT_HELP}."),
    out: Path = typer.Option(..., "--out", "-o", help="File to write (.json for Label Studio, .jsonl, .csv)."),
) -> None:
    """Write passages with their labels as pre-annotations for an annotation tool.

    Example: paradox annotations export out/ --to labelstudio --out tasks.json
    """
    from ..errors import CorpusError, ParadoxError
    from ..exchange import ANNOTATION_TOOLS, export_annotations
    from ..exchange.labelstudio import CONFIG_PATH

    if fmt not in ANNOTATION_TOOLS:
        fail(f"unknown --to {fmt!r}; allowed: {', '.join(ANNOTATION_TOOLS)} (for QDA software: `paradox export "
             f"refi`)", 2)
    if not source.exists():
        fail(f"{source} does not exist", 2)
    try:
        n = export_annotations(source, fmt, out)
    except (CorpusError, ParadoxError) as e:
        fail(str(e), 1)
    info(f"{n} passages -> {out}")
    if fmt == "labelstudio":
        info(f"labelling config for the Label Studio project: {CONFIG_PATH}")
