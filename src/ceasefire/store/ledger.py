"""The one writer of the ledger table. Every change that is recorded (by a Store method, the bulk
loader or a migration) appends through :func:`append_many`, inside the transaction that makes
the change and with the writer lock held, so there is one hash chain and one way to extend it.
A test fails if any other module inserts into the table.

Only the columns every schema since 0005 has are read and written, so a migration can append
with the schema of its own revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, or_, select, text

from ceasefire.errors import LedgerError
from ceasefire.ledger import DELETED, GENESIS, Record, digest
from ceasefire.store import tables
from ceasefire.store.engine import Database, copy_rows, copy_value, holds_writer_lock

Change = tuple[str, str, str]  # (kind, key, object hash: see object_hash)
COLUMNS = ("seq", "kind", "key", "object_hash", "prev_hash", "hash", "at", "recorded_at")
COPY_FROM = 100  # records from which PostgreSQL's COPY is used instead of INSERT
ledger = tables.ledger


def append(conn: Connection, kind: str, key: str, value: Any) -> Record:
    """Record one change (``value`` None: a deletion) after the ledger's last record.

    Raises:
        LedgerError: ``conn``'s transaction does not hold the writer lock.
    """
    return append_many(conn, [(kind, key, object_hash(value))])[0]


def object_hash(value: Any) -> str:
    """What a record holds of the object it records: its digest, or ``deleted`` for None."""
    return DELETED if value is None else digest(value)


def append_many(conn: Connection, changes: Sequence[Change]) -> list[Record]:
    """Record many changes, each given as (kind, key, :func:`object_hash` of the object), chained in
    order: one read of the ledger's head and one write.

    Raises:
        LedgerError: ``conn``'s transaction does not hold the writer lock.
    """
    if not holds_writer_lock(conn):
        raise LedgerError("A ledger record was about to be appended outside the writer lock, so two writers "
                          "could chain onto the same record. Open the transaction with the lock "
                          "(Store._connect(..., lock=True)).")
    if not changes:
        return []
    postgres = conn.dialect.name == "postgresql"
    if postgres:  # the writer lock is held already; the table lock also stops writers of older versions
        conn.execute(text("LOCK TABLE ledger IN EXCLUSIVE MODE"))
    last = conn.execute(select(ledger.c.seq, ledger.c.hash).order_by(ledger.c.seq.desc()).limit(1)).first()
    seq, previous = (last.seq, last.hash) if last else (0, GENESIS)
    now = dt.datetime.now(dt.UTC)
    records = []
    for kind, key, hashed in changes:
        seq += 1
        record = Record.chained(seq, kind, key, hashed, previous, now)
        records.append(record)
        previous = record.hash
    rows = [vars(r) | {"recorded_at": now} for r in records]
    if postgres and len(rows) >= COPY_FROM:
        copy_rows(conn, "ledger", COLUMNS, ([copy_value(row[c]) for c in COLUMNS] for row in rows))
    else:
        conn.execute(ledger.insert(), rows)
    return records


def append_change(conn: Connection, kind: str, key: str, value: Any) -> Record | None:
    """Record ``value`` unless the ledger's latest record of (kind, key) already holds it.

    Returns:
        The new record, or None when nothing changed.
    """
    if latest_hashes(conn, kind, [key]).get(key) == digest(value):
        return None
    return append(conn, kind, key, value)


def latest_hashes(conn: Connection, kind: str, keys: Sequence[str] | None = None) -> dict[str, str]:
    """The object hash of the latest record of each key of ``kind`` (of these keys only, if given)."""
    query = select(ledger.c.key, ledger.c.object_hash).where(ledger.c.kind == kind).order_by(ledger.c.seq)
    if keys is not None:
        query = query.where(ledger.c.key.in_(keys))
    return {row.key: row.object_hash for row in conn.execute(query)}


def _record(row: Any) -> Record:
    return Record(row.seq, row.kind, row.key, row.object_hash, row.prev_hash, row.hash, row.at)


class Ledger(Database):
    """Reading the ledger."""

    def ledger(self) -> list[Record]:
        with self._connect("read the ledger") as conn:
            return [_record(r) for r in conn.execute(select(ledger).order_by(ledger.c.seq))]

    def ledger_head(self) -> Record | None:
        """The last ledger record, or None for an empty ledger."""
        with self._connect("read the ledger head") as conn:
            row = conn.execute(select(ledger).order_by(ledger.c.seq.desc()).limit(1)).first()
        return _record(row) if row else None

    def ledger_for(self, keys: Sequence[tuple[str, str]]) -> list[Record]:
        """The ledger records of these (kind, key) objects, in order: an object's history."""
        wanted = or_(*[(ledger.c.kind == kind) & (ledger.c.key == key) for kind, key in keys])
        with self._connect("read the ledger") as conn:
            return [_record(r) for r in conn.execute(select(ledger).where(wanted).order_by(ledger.c.seq))]
