"""The root ``ceasefire`` command and its entry point, where errors are worded once."""

from __future__ import annotations

import sys

import typer

from ceasefire.cli.console import err
from ceasefire.errors import CeasefireError
from ceasefire.render import escape

app = typer.Typer(help="Ceasefire monitoring and verification: reports -> claims -> incidents -> assessments.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)


def group(name: str, help: str) -> typer.Typer:
    """A command group (``ceasefire NAME ...``) added to the root command."""
    found = typer.Typer(help=help, no_args_is_help=True)
    app.add_typer(found, name=name)
    return found


def main() -> None:
    """The ``ceasefire`` program: a ``CeasefireError`` becomes one line on stderr and exit status 1."""
    try:
        app()
    except CeasefireError as exc:
        err.print(f"[red]Error:[/red] {escape(str(exc))}")
        sys.exit(1)
