"""``paradox suggest``: the passages most worth annotating next (active learning)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ._apps import app
from ._common import fail, info

OUT_FORMATS = ("labelstudio", "prodigy", "doccano", "csv", "jsonl")


@app.command()
def suggest(
    inputs: List[Path] = typer.Argument(..., help="Files and folders (recursive), or .jsonl of passages."),
    out: Path = typer.Option(..., "--out", "-o", help="File to write the suggestions to."),
    n: int = typer.Option(100, "--n", "-n", min=1, help="How many passages to suggest."),
    strategy: str = typer.Option("uncertainty", "--strategy", "-s",
                                 help="uncertainty (phase entropy and pole closeness to threshold), margin "
                                      "(top-2 phase gap) or diverse (most uncertain per k-means cluster)."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="labelstudio, prodigy, doccano, csv or jsonl."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model folder (default: models/default)."),
    exclude: Optional[List[Path]] = typer.Option(None, "--exclude-annotated",
                                                 help="Corpus JSONL files/folders whose texts to leave out."),
    seed: int = typer.Option(0, "--seed", help="Seed of the k-means clustering (diverse)."),
) -> None:
    """Tag INPUT and write the N passages to annotate next, with the model's labels as pre-annotations.

    Example: paradox suggest examples/ --n 20 --strategy diverse --format labelstudio --out tasks.json
    """
    from ..errors import CorpusError, ModelError
    from ..suggest import STRATEGIES, suggest as run, write_suggestions

    if strategy not in STRATEGIES:
        fail(f"unknown --strategy {strategy!r}; allowed: {', '.join(STRATEGIES)}", 2)
    if fmt not in OUT_FORMATS:
        fail(f"unknown --format {fmt!r}; allowed: {', '.join(OUT_FORMATS)}", 2)
    for p in inputs:
        if not p.exists():
            fail(f"input {p} does not exist", 2)
    try:
        result = run(inputs, n=n, strategy=strategy, model_path=str(model) if model else None,
                     exclude=exclude, seed=seed)
    except (ModelError, CorpusError) as e:
        fail(str(e), 2)
    write_suggestions(result, fmt, out)
    info(f"{result.pool} passages tagged by {result.model}, {result.candidates} candidates; "
         f"{len(result.suggestions)} suggested ({strategy}) -> {out}")
    for e in result.errors:
        info(f"  failed: {e['path']}: {e['kind']}: {e['message']}")
    if result.suggestions:
        top = result.suggestions[0]
        text = json.dumps(top.passage.text[:80], ensure_ascii=False)
        info(f"  first: {top.passage.id} (score {top.score:.2f}): {text}")
