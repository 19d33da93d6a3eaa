"""``paradox corpus validate|stats``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List

import typer

from . import corpus_app
from ._common import fail, info

DEFAULT = [Path("annotations/corpus")]


@corpus_app.command("validate")
def validate(paths: List[Path] = typer.Argument(None, help="JSONL files or folders (default annotations/corpus).")
             ) -> None:
    """Check every line against SPEC §3.1; list each problem with file, line and field.

    Example: paradox corpus validate annotations/corpus
    """
    from ..corpus import read_corpus, validate as check
    from ..errors import CorpusError

    try:
        problems = check(paths or DEFAULT)
    except CorpusError as e:
        fail(str(e), 2)
    for p in problems:
        typer.echo(p, err=True)
    if problems:
        fail(f"{len(problems)} problem(s)")
    n = len(read_corpus(paths or DEFAULT))
    info(f"ok: {n} passages valid")


@corpus_app.command("stats")
def stats(paths: List[Path] = typer.Argument(None, help="JSONL files or folders (default annotations/corpus)."),
          as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Print coverage: counts per label x language x genre x split.

    Example: paradox corpus stats annotations/corpus
    """
    from ..corpus import read_corpus, stats as count
    from ..errors import CorpusError

    try:
        s = count(read_corpus(paths or DEFAULT))
    except CorpusError as e:
        fail(str(e), 2)
    if as_json:
        typer.echo(json.dumps(s, indent=1))
        return
    typer.echo(f"{s['passages']} passages, {s['documents']} documents, {s['alliances']} alliances")
    typer.echo("documents by " + "; ".join(f"{k}: {v}" for k, v in s["documents_by"].items()))
    cols = ["all", "lang:nl", "lang:en", "genre:mission_statement", "genre:minutes", "genre:report",
            "genre:other", "split:train", "split:dev", "split:test"]
    typer.echo(f"{'label':34}" + "".join(f"{c.split(':')[-1][:9]:>10}" for c in cols))
    for label, row in s["table"].items():
        typer.echo(f"{label:34}" + "".join(f"{row.get(c, 0):>10}" for c in cols))
