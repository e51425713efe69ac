"""Strategies for bad input, and the property every intake reader must keep.

The property: reading any bytes yields only ``Report``s and ``IntakeError``s (nothing else is
raised), every error names the file it came from, and every report can be stored as it is.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ceasefire.errors import IntakeError
from ceasefire.intake import READERS, ReportDefaults
from ceasefire.model import Report
from ceasefire.store import report_object


def fuzz(examples: int) -> settings:
    """Hypothesis settings: ``examples`` inputs (kept small so the suite stays under a minute)."""
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

ARABIC = "قصفت القوات الحكومية بلدة دوما يوم الأحد، مما أسفر عن مقتل خمسة مدنيين"
TRICKY_CHARS = ["\x00", "\ud800", "\udfff", "\u202e", "\ufeff", "\u0085", "\u2028", "\r", "é", "ح", "😀"]
TRICKY_DATES = [
    "2017-02-30", "2017-13-01", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "1e400", "nan",
    "Thu, 05 Jan 99999 10:00:00 +0000", "2017-01-05T25:61:00", "yesterday", "", "17/01/2017", "-1",
    "2017-01-05T10:00:00+02:00", "Thu, 05 Jan 2017 10:00:00 +0000",
]
HUGE_NUMBERS = ["1e400", "-1e400", "1.5e400", "nan", "inf", "-inf", "9" * 5000, "-0", "0x1F", "1_000", "١٢"]


def tricky_text(max_size: int = 80) -> st.SearchStrategy[str]:
    """Text with NULs, lone surrogates, bidi marks, Arabic and emoji mixed in."""
    return st.text(st.one_of(st.characters(), st.sampled_from(TRICKY_CHARS)), max_size=max_size)


def json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), tricky_text(),
                        st.sampled_from(TRICKY_DATES))
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5),
                                                                                             inner, max_size=3),
                        max_leaves=6)


@st.composite
def damaged(draw: st.DrawFn, good: bytes) -> tuple[str, bytes]:
    """(how, bytes): a good file truncated, compressed, spliced with junk, re-encoded, or pure junk."""
    how = draw(st.sampled_from(["truncated", "gzip", "zip", "junk inserted", "bytes flipped", "random bytes",
                                "invalid utf-8", "windows-1256", "long line", "deep nesting"]))
    cut = draw(st.integers(0, max(len(good) - 1, 0)))
    if how == "truncated":
        return how, good[:cut]
    if how == "gzip":
        return how, gzip.compress(good)[: draw(st.integers(1, 200))]
    if how == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("item", good)
        return how, buffer.getvalue()
    if how == "junk inserted":
        return how, good[:cut] + draw(st.binary(min_size=1, max_size=40)) + good[cut:]
    if how == "bytes flipped":
        data = bytearray(good)
        for index in draw(st.lists(st.integers(0, max(len(good) - 1, 0)), min_size=1, max_size=5)):
            if data:
                data[index] ^= draw(st.integers(1, 255))
        return how, bytes(data)
    if how == "random bytes":
        return how, draw(st.binary(max_size=300))
    if how == "invalid utf-8":
        return how, good[:cut] + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80"]))
    if how == "windows-1256":
        return how, good.decode("utf-8", "replace").replace("a", ARABIC, 1).encode("cp1256", "replace")
    if how == "long line":
        return how, good[:cut] + b"x" * draw(st.integers(100_001, 120_000)) + good[cut:]
    depth = draw(st.integers(500, 3000))
    return how, good[:cut] + draw(st.sampled_from([b"[", b"{\"a\":", b"<div>", b"- "])) * depth + good[cut:]


def read(ext: str, data: bytes, origin: str = "fuzz") -> list[Report | IntakeError]:
    """Every item the reader for ``ext`` yields from ``data``; any other exception fails the test."""
    return list(READERS[ext](io.BytesIO(data), f"{origin}{ext}", ReportDefaults()))


def check(items: Iterable[Report | IntakeError], origin: str) -> dict[str, int]:
    """Assert the property on each item; returns how many reports and rejections there were."""
    counts = {"report": 0, "rejected": 0}
    for item in items:
        if isinstance(item, IntakeError):
            assert str(item).startswith(origin), f"error does not name the file: {item}"
            assert item.reason.strip(), "an empty reason"
            counts["rejected"] += 1
        else:
            assert isinstance(item, Report), f"{type(item).__name__} is neither a Report nor an IntakeError"
            storable(item)
            counts["report"] += 1
    return counts


def storable(report: Report) -> None:
    """What the store will do with the report must not fail: hash its ledger object, encode its text."""
    row = report.model_dump(mode="python") | {"format": report.format.value, "source_id": None}
    report_object(row)
    for value in (report.text, report.title, report.url, report.source, report.author, report.language):
        if value is not None:
            assert "\x00" not in value
            value.encode("utf-8")
    if report.published is not None:
        assert 1900 <= report.published.astimezone(dt.UTC).year <= 2100
