"""Small helpers shared by the command modules: messages on stderr, exits."""

from __future__ import annotations

import sys

import typer


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def info(message: str, quiet: bool = False) -> None:
    if not quiet:
        typer.echo(message, err=True)


def is_terminal() -> bool:
    return sys.stderr.isatty()
