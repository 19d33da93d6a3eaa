"""``paradox explain``: the words that pushed each predicted label, as a table or as JSON."""

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
    k: int = typer.Option(6, help="Words per label."),
    as_json: bool = typer.Option(False, "--json", help="Print one flat JSON object (see docs/formats.md)."),
) -> None:
    """Tag one passage and show, per predicted label, its probability and the words that pushed it.

    Example: paradox explain "We namen eerst de tijd om elkaar te leren kennen."
    """
    from ..explain import explain_text

    ex = explain_text(text, model, k)
    if as_json:
        typer.echo(json.dumps(ex, ensure_ascii=False))
        return
    typer.echo(f"phase {ex['phase']}, poles {', '.join(ex['poles']) or '-'}, tensions "
               f"{', '.join(ex['tensions']) or '-'}, response {ex['response'] or '-'}"
               + ("  (uncertain)" if ex["uncertain"] else ""))
    by_label: dict[str, list[dict]] = {}
    for r in ex["reasons"]:
        by_label.setdefault(f"{r['kind']} {r['label']} ({r['probability']:.2f})", []).append(r)
    for lab in ex["labels"]:
        head = f"{lab['kind']} {lab['label']} ({lab['probability']:.2f})"
        rows = by_label.get(head, [])
        typer.echo(f"\n{head}")
        if not rows:
            typer.echo("  (no word of this passage pushed it up; the label rests on the model's prior)")
        for r in rows:
            typer.echo(f"  {r['word']:<32} {r['weight']:+.3f}")
