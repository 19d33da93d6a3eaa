"""``paradox compare``: two models on the same annotated passages, per-label F1 deltas with bootstrap CIs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ._apps import app
from ._common import fail

DEFAULT = [Path("annotations/corpus")]


@app.command()
def compare(
    model_a: str = typer.Argument(..., help="Model folder A (the baseline), or 'default'."),
    model_b: str = typer.Argument(..., help="Model folder B (the candidate), or 'default'."),
    annotations: List[Path] = typer.Argument(None, help="Annotated JSONL files or folders (default "
                                                       "annotations/corpus)."),
    split: str = typer.Option("test", help="Compare on this split of the splits file (train, dev, test) or all."),
    splits: Optional[Path] = typer.Option(None, "--splits", help="Splits file (default annotations/splits.json)."),
    draws: int = typer.Option(1000, "--draws", min=10, help="Bootstrap resamples of the passages."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
) -> None:
    """Print F1 of A and B per label, B - A, and its bootstrap 95% confidence interval.

    Example: paradox compare models/default models/candidate annotations/corpus --split test
    """
    from ..compare import compare as run, format_comparison
    from ..corpus import load_splits, read_corpus, split_corpus
    from ..errors import CorpusError, ModelError

    if split not in ("all", "train", "dev", "test"):
        fail(f"unknown split {split!r}; allowed: all, train, dev, test", 2)
    for m in (model_a, model_b):
        if m != "default" and not Path(m).exists():
            fail(f"model folder {m} does not exist", 2)
    try:
        gold = read_corpus(annotations or DEFAULT)
    except CorpusError as e:
        fail(str(e), 2)
    if split != "all":
        gold = split_corpus(gold, load_splits(splits) if splits else None)[split]
    if not gold:
        fail(f"no passages in split {split!r} to compare on", 2)
    try:
        result = run(model_a, model_b, gold, draws=draws, seed=seed)
    except ModelError as e:
        fail(str(e), 2)
    if as_json:
        typer.echo(json.dumps({k: v for k, v in result.items() if not k.startswith("scores_")}, indent=1))
    else:
        typer.echo(format_comparison(result))
