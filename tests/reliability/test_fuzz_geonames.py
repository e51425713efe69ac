"""GeoNames dumps with bad lines, junk values and damaged zip archives: each bad line is named,
good lines are kept, and a damaged archive is an IntakeError, never another exception."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ceasefire.errors import IntakeError
from ceasefire.extract.geonames import COLUMNS, read_dump
from tests.reliability.fuzzing import HUGE_NUMBERS, damaged, fuzz, tricky_text
from tests.reliability.tally import Tally

GOOD = ["170063", "Aleppo", "Aleppo", "Halab,حلب", "36.20124", "37.16117", "P", "PPLA", "SY", "", "09", "", "", "",
        "1602264", "", "390", "Asia/Damascus", "2023-01-01"]


@st.composite
def bad_line(draw: st.DrawFn) -> str:
    fields = list(GOOD)
    for index in draw(st.lists(st.integers(0, COLUMNS - 1), min_size=1, max_size=4)):
        fields[index] = draw(st.one_of(st.sampled_from([*HUGE_NUMBERS, "95.5", "-181", "", "\t"]),
                                       tricky_text(20).map(lambda t: t.replace("\n", " "))))
    if draw(st.booleans()):
        del fields[draw(st.integers(0, COLUMNS - 1)):]
    return "\t".join(fields)


def lines_and_errors(path: Path) -> tuple[list[dict[str, object]], list[IntakeError]]:
    rows = list(read_dump(path))
    return [r for r in rows if isinstance(r, dict)], [r for r in rows if isinstance(r, IntakeError)]


@fuzz(150)
@given(bad=st.lists(bad_line(), min_size=1, max_size=5))
def test_bad_lines_are_named_and_good_lines_kept(tally: Tally, bad: list[str]) -> None:
    """GeoNames lines with huge numbers, impossible coordinates, NULs, wrong column counts, invalid UTF-8"""
    good_id = 1000
    lines = [x for n, b in enumerate(bad) for x in ("\t".join([str(good_id + n), *GOOD[1:]]), b)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "SY.txt"
        path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n")
        rows, errors = lines_and_errors(path)
    assert {good_id + n for n in range(len(bad))} <= {r["geonames_id"] for r in rows}
    assert all(str(e).startswith(f"{path}:") and e.line for e in errors)
    assert all("\x00" not in str(r["names"]) for r in rows)
    tally.case(good_kept=len(bad), fuzzed_kept=len(rows) - len(bad), fuzzed_rejected=len(errors))


@fuzz(100)
@given(data=st.data())
def test_damaged_zip_dumps_are_an_intake_error(tally: Tally, data: st.DataObject) -> None:
    """GeoNames zip archives truncated, bit-flipped, gzipped, spliced with junk, or not zips at all"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("SY.txt", "\n".join("\t".join([str(n), *GOOD[1:]]) for n in range(300)) + "\n")
    how, raw = data.draw(damaged(buffer.getvalue()))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "SY.zip"
        path.write_bytes(raw)
        try:
            rows, errors = lines_and_errors(path)
        except IntakeError as exc:
            assert str(exc).startswith(str(path))
            tally.case(**{f"{how}: refused whole": 1})
            return
    tally.case(**{f"{how}: read": 1})
    assert all(str(e).startswith(f"{path}:") for e in errors)
