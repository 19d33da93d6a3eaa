"""The typer applications: the ``paradox`` command and its groups; the command modules register on them."""

import typer  # no `from __future__ import annotations` here: it would shadow the `annotations` command module

app = typer.Typer(help="Tag paradox language and lifecycle phases in documents of value-driven alliances.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
corpus_app = typer.Typer(help="Check and count the annotated corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
export_app = typer.Typer(help="Export tagged output to other research tools.", no_args_is_help=True)
app.add_typer(export_app, name="export")
annotations_app = typer.Typer(help="Exchange passages with annotation tools.", no_args_is_help=True)
app.add_typer(annotations_app, name="annotations")
