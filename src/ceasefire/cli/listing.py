"""Lists as a table, CSV, JSON or JSON Lines: one ``--format`` option and one writer for every
list command, as sqlite-utils and gh do.

A row is a small Pydantic model; CSV, JSON and JSON Lines write its fields in order (CSV cells
that a spreadsheet would run as formulas are quoted by ``csv_cells``), and the table shows the
columns the command chose for a reader at a terminal.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from ceasefire.csv_cells import safe_row
from ceasefire.render import escape


class ListFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


FormatOption = Annotated[ListFormat, typer.Option(
    "--format", help="table for reading; csv, json (an array) or jsonl (an object a line) for other programs")]

Item = TypeVar("Item")
Row = TypeVar("Row", bound=BaseModel)


@dataclass(frozen=True)
class Column(Generic[Item]):
    """One column of the terminal table: its header and the text of an item's cell."""

    header: str
    cell: Callable[[Item], Any]
    no_wrap: bool = False
    justify: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class Listing(Generic[Item, Row]):
    """What a list command prints: its items, the row each becomes for other programs, and the
    table columns a reader sees."""

    title: str
    items: Sequence[Item]
    row: Callable[[Item], Row]
    model: type[Row]
    columns: Sequence[Column[Item]]


def write(console: Console, listing: Listing[Any, Any], format: ListFormat) -> None:
    """Print ``listing`` in ``format``: a Rich table on ``console``, or text on standard output."""
    if format is ListFormat.TABLE:
        console.print(_table(listing))
        return
    rows = [listing.row(item).model_dump(mode="json") for item in listing.items]
    if format is ListFormat.CSV:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(listing.model.model_fields), lineterminator="\n")
        writer.writeheader()
        writer.writerows(safe_row(_cells(row)) for row in rows)
    elif format is ListFormat.JSON:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _table(listing: Listing[Any, Any]) -> Table:
    table = Table(title=listing.title)
    for column in listing.columns:
        table.add_column(column.header, no_wrap=column.no_wrap, justify=column.justify)
    for item in listing.items:
        table.add_row(*(_text(column.cell(item)) for column in listing.columns))
    return table


def _text(value: Any) -> str:
    return "" if value is None else escape(value)


def _cells(row: dict[str, Any]) -> dict[str, object]:
    """CSV cells as JSON writes the values: true/false, and nested values as JSON text."""
    return {key: json.dumps(value, ensure_ascii=False) if isinstance(value, bool | list | dict) else value
            for key, value in row.items()}
