"""``paradox train``: train a model folder on annotated passages."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._apps import app
from ._common import fail, info


@app.command()
def train(
    annotations: List[Path] = typer.Argument(..., help="Annotated JSONL files or folders (docs/formats.md)."),
    out: Path = typer.Option(..., "--out", "-o", help="Model folder to write."),
    backend: Optional[str] = typer.Option(None, help="A backend of the table with its own default settings: tfidf, "
                                          "tfidf-lexicon, tfidf-wordllama, use, ensemble, ensemble-lexicon or "
                                          "transformer (default: the shipped default's backend and settings)."),
    tune_on: Optional[str] = typer.Option(None, "--tune-on", help="The split that calibration, thresholds and "
                                          "abstention are fitted on (default: transfer-dev when the splits have "
                                          "one, else dev)."),
    splits: Optional[Path] = typer.Option(None, help="splits.json (default: annotations/splits.json)."),
    name: str = typer.Option("model", help="Model name recorded in its config."),
    version: str = typer.Option("1.0.0", help="Model version."),
    parent: Optional[str] = typer.Option(None, help="The model this one retrains (lineage)."),
    base_model: Optional[str] = typer.Option(None, help="transformer: base model folder (default: MiniLM)."),
    epochs: Optional[int] = typer.Option(None, help="transformer: training epochs (default 3)."),
    batch_size: Optional[int] = typer.Option(None, help="transformer: passages per batch."),
) -> None:
    """Train on the train split, tune on transfer-dev (or dev), score on transfer-test and test, save the model.
    Without --backend it repeats the shipped default's recipe (its backend and settings).

    Example: paradox train annotations/corpus new.jsonl --out models/v2
    """
    from ..errors import CorpusError, MissingDependency, ModelError
    from ..evaluate import format_table
    from ..train import train as run_train

    from ..train import default_recipe

    settings = {k: v for k, v in (("base_model", base_model), ("epochs", epochs), ("batch_size", batch_size))
                if v is not None}
    if settings and backend != "transformer":
        fail(f"--{'/--'.join(k.replace('_', '-') for k in settings)} only apply to --backend transformer, "
             f"not {backend or 'the default recipe'!r}", 2)
    if backend is None:
        backend, settings = default_recipe()
        info(f"recipe: the shipped default's ({backend}, its settings; --backend to choose another)")
    try:
        res = run_train(annotations, out, backend=backend, splits_path=splits, name=name, version=version,
                        parent=parent, tune_on=tune_on, **settings)
    except (CorpusError, ModelError, MissingDependency, ValueError) as e:
        fail(str(e), 2)
    info(f"trained on {res.n.get('train', 0)} passages ({res.seconds:.1f} s) -> {res.path}")
    if res.transfer:
        typer.echo("transfer-test (writers the model never saw):")
        typer.echo(format_table(res.transfer))
    if res.scores:
        typer.echo("test (in-corpus):")
        typer.echo(format_table(res.scores))
