"""One writer of the ledger: store/ledger.py appends every record (Store's methods, the bulk
loader and migration 0016 call it), and only with the writer lock held.

Migration 0016 calls the writer like any other module. A migration importing application code
is safe here because the writer reads and writes only the ledger columns every revision since
0005 has (``COLUMNS`` in store/ledger.py), so it works against the schema of 0016's own revision.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

import ceasefire
from ceasefire.errors import LedgerError
from ceasefire.store import Store
from ceasefire.store.ledger import append
from tests.ledger.conftest import fill

SOURCE = Path(ceasefire.__file__).parent
WRITER = SOURCE / "store" / "ledger.py"
# Each way Python or SQL in this code base could add rows to the ledger table.
WRITES = re.compile(
    r"\bledger\.insert\("  # tables.ledger.insert(), or an alias named ledger
    r"|\binsert\(\s*(?:tables\.)?ledger\b"  # insert(tables.ledger), sa.insert(ledger), dialect.insert(ledger)
    r"|\bbulk_insert\(\s*\w*ledger"  # op.bulk_insert(ledger_table, rows)
    r"|insert\s+into\s+[\"']?ledger\b"  # INSERT INTO ledger in SQL text
    r"|\bcopy\s+[\"']?ledger\b"  # COPY ledger (...) FROM STDIN
    r"|copy\w*\(\s*\w+\s*,\s*[\"']ledger[\"']",  # a COPY helper given the table name
    re.IGNORECASE)


def ledger_writes(text: str) -> list[str]:
    return [f"{number}: {line.strip()}" for number, line in enumerate(text.splitlines(), 1) if WRITES.search(line)]


def test_no_module_but_store_ledger_writes_the_ledger_table() -> None:
    found = {str(path.relative_to(SOURCE)): ledger_writes(path.read_text(encoding="utf-8"))
             for path in sorted(SOURCE.rglob("*.py")) if path != WRITER}
    assert {path: lines for path, lines in found.items() if lines} == {}
    assert ledger_writes(WRITER.read_text(encoding="utf-8"))  # the writer itself is seen, so the scan works


@pytest.mark.parametrize("line", [
    "conn.execute(tables.ledger.insert().values(**vars(record), recorded_at=now))",  # Store._record before
    'conn.execute(ledger.insert(), records)',  # migration 0016 before
    '_copy(conn, "ledger", columns, ([_copy_value(r[c]) for c in columns] for r in records))',  # bulk.py before
    "conn.execute(postgresql.insert(tables.ledger).values(row))",
    'op.bulk_insert(ledger_table, rows)',
    'conn.exec_driver_sql("insert into ledger (seq, kind) values (?, ?)", row)',
    'cursor.copy("COPY ledger (seq, kind, key) FROM STDIN")',
])
def test_the_scan_sees_each_way_of_writing_the_ledger(line: str) -> None:
    assert ledger_writes(line)


@pytest.mark.parametrize("line", [
    "rows = conn.execute(select(tables.ledger).order_by(tables.ledger.c.seq))",
    '"""Append a ledger record for a change, inside the transaction that makes the change."""',
    "from ceasefire.store.ledger import append_many",
])
def test_the_scan_leaves_reads_and_words_alone(line: str) -> None:
    assert ledger_writes(line) == []


def test_every_record_of_every_kind_is_written_by_the_one_writer(tmp_path: Path, syria_pack: Any) -> None:
    store = Store.open(str(tmp_path / "writers.db"))
    writers: list[str] = []

    def note_writer(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if re.match(r"\s*INSERT INTO ledger\b", statement):
            writers.append(next(frame.filename for frame in reversed(traceback.extract_stack())
                                if frame.filename.startswith(str(SOURCE))))

    event.listen(store.engine, "before_cursor_execute", note_writer)
    fill(store, syria_pack)  # reports, claims, incidents, assessments, a review, files, a capture, accounts
    store.remove_user("ana")
    kinds = {record.kind for record in store.ledger()}
    assert kinds == {"report", "claims", "incident", "assessments", "reviewer", "review", "attachment", "capture",
                     "user", "observer"}
    assert writers and set(writers) == {str(WRITER)}


def test_an_append_without_the_writer_lock_is_refused(store: Store) -> None:
    with pytest.raises(LedgerError, match="outside the writer lock"), store._connect("append unlocked") as conn:
        append(conn, "report", "ab" * 32, {"text": "Shelling in Douma."})
    assert store.ledger() == []
    with store._connect("append locked", lock=True) as conn:
        append(conn, "report", "ab" * 32, {"text": "Shelling in Douma."})
    assert [(r.seq, r.kind) for r in store.ledger()] == [(1, "report")]
