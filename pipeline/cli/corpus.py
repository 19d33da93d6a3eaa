"""``paradox corpus validate|stats``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List

import typer

from ._apps import corpus_app
from ._common import fail, info

DEFAULT = [Path("annotations/corpus")]


@corpus_app.command("validate")
def validate(paths: List[Path] = typer.Argument(None, help="JSONL files or folders (default annotations/corpus).")
             ) -> None:
    """Check every line against docs/formats.md; list each problem with file, line and field.

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
    from ..corpus import SPLITS
    from ..labels import GENRES

    typer.echo(f"{s['passages']} passages, {s['documents']} documents, {s['alliances']} alliances")
    typer.echo("documents by " + "; ".join(f"{k}: {v}" for k, v in s["documents_by"].items() if k != "form"))
    for r, rs in s.get("rounds", {}).items():
        typer.echo(f"round {r}: {rs['passages']} passages, {rs['documents']} documents, {rs['alliances']} alliances, "
                   f"{rs['forms']} forms, {len(rs['writers'])} writers, {len(rs['annotators'])} annotators; "
                   f"no pole {rs['no_pole']:.0%}, tension {rs['tension']:.1%}, content {rs['poles']['content']:.0%}; "
                   f"split " + ", ".join(f"{k} {v}" for k, v in rs["split"].items()))
    rounds = sorted(s.get("rounds", {}))
    table = s["table"]["all"]
    forms = sorted(k.split(":", 1)[1] for k in table if k.startswith("form:"))
    typer.echo(f"\n{'form':20}{'documents':>10}{'passages':>10}")
    for f in forms:
        typer.echo(f"{f:20}{s['documents_by']['form'].get(f, 0):>10}{table.get('form:' + f, 0):>10}")
    cols = (["all", "lang:nl", "lang:en"] + [f"genre:{g}" for g in GENRES] + [f"split:{x}" for x in SPLITS]
            + [f"round:{r}" for r in rounds])
    typer.echo(f"\n{'label':34}" + "".join(f"{c.split(':')[-1].replace('transfer-', 'tr-')[:9]:>10}" for c in cols))
    for label, row in s["table"].items():
        typer.echo(f"{label:34}" + "".join(f"{row.get(c, 0):>10}" for c in cols))
