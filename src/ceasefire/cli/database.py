"""The database itself: create or migrate its schema; import places into its gazetteer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from ceasefire import render
from ceasefire.cli.console import err, out
from ceasefire.cli.options import DbOption
from ceasefire.cli.root import group
from ceasefire.pipeline import import_gazetteer
from ceasefire.store import Store

db_app = group("db", "Manage the database schema.")
gazetteer_app = group("gazetteer", "Places beyond the bundled GeoNames cities500.")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or migrate it to the latest schema."""
    store = Store.open(db)
    out.print(f"Database {store.engine.url.render_as_string(hide_password=True)} is at the latest schema.")


@gazetteer_app.command("import")
def gazetteer_import(
    path: Annotated[Path, typer.Argument(help="GeoNames dump: a country's XX.zip or XX.txt (19 columns)")],
    db: DbOption = None,
) -> None:
    """Load GeoNames places (with alternate names) so extraction can place villages cities500 lacks."""
    store = Store.open(db)
    with Progress(SpinnerColumn(), TextColumn("import {task.completed} places"), console=err, transient=True) as bar:
        task = bar.add_task("import", total=None)
        result = import_gazetteer(store, path, progress=lambda n: bar.update(task, completed=n))
    render.gazetteer_import(out, result, store.count_gazetteer())
