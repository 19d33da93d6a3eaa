"""``paradox evaluate``: score a model on annotated passages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List

import typer

from ._apps import app
from ._common import fail


@app.command()
def evaluate(
    model: Path = typer.Argument(..., help="Model folder."),
    annotations: List[Path] = typer.Argument(..., help="Annotated JSONL files or folders."),
    split: str = typer.Option("all", help="Score only this split of annotations/splits.json (train, dev, test, transfer-dev, transfer-test) "
                                          "or all passages."),
    as_json: bool = typer.Option(False, "--json", help="Print the full scores as JSON."),
) -> None:
    """Print per-label precision, recall and F1, overall and per language.

    Example: paradox evaluate models/default annotations/corpus --split test
    """
    from ..corpus import read_corpus, split_corpus
    from ..errors import CorpusError, ModelError
    from ..evaluate import evaluate_tagger, format_table
    from ..tagger import load_tagger

    try:
        tagger = load_tagger(model)
        gold = read_corpus(annotations)
    except (CorpusError, ModelError) as e:
        fail(str(e), 2)
    if split != "all":
        from ..corpus import SPLITS

        if split not in SPLITS:
            fail(f"unknown split {split!r}; allowed: all, {', '.join(SPLITS)}", 2)
        gold = split_corpus(gold)[split]
    if not gold:
        fail("no passages to evaluate", 2)
    scores = evaluate_tagger(tagger, gold)
    typer.echo(json.dumps(scores, indent=1) if as_json else format_table(scores))
