"""The ``paradox`` command: a thin typer layer, one module per command.

Each command imports the library inside its function: ``paradox --help`` and a command's ``--help``
then start without loading the model, numpy or the file-format libraries. Elsewhere in the package,
imports inside functions are kept only for heavy or optional libraries (scikit-learn, torch,
transformers, pyarrow, datasets, pandas, spaCy, fastText, the document-format parsers, distributed), so
that tagging with the default model loads only what it uses.
"""

from ._apps import app
from . import annotations, compare, corpus, evaluate, explain, export, stats, suggest, tag, train  # noqa: E402,F401,I001  (registers the commands)


def main() -> None:
    app()
