"""The ``paradox`` command: a thin typer layer, one module per command."""

from __future__ import annotations

import typer

app = typer.Typer(help="Tag paradox language and lifecycle phases in documents of value-driven alliances.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
corpus_app = typer.Typer(help="Check and count the annotated corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")

from . import corpus, evaluate, explain, stats, tag, train  # noqa: E402,F401  (registers the commands)


def main() -> None:
    app()
