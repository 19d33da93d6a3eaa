"""``paradox explain``: the words that pushed each predicted label."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ._apps import app


@app.command()
def explain(
    text: str = typer.Argument(..., help="A passage to tag and explain."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model folder (default: models/default)."),
    k: int = typer.Option(6, help="Features per label."),
) -> None:
    """Tag one passage and show, per predicted label, the features that pushed it.

    Example: paradox explain "We namen eerst de tijd om elkaar te leren kennen."
    """
    from ..tagger import load_tagger

    tagger = load_tagger(model)
    tp = tagger.tag_texts([text])[0]
    expl = tagger.explain(text, k)
    typer.echo(json.dumps({"phase": tp.phase, "poles": tp.poles, "tensions": tp.tensions,
                           "response": tp.response, "explanations": expl}, ensure_ascii=False, indent=1))
