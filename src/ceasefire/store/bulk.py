"""Bulk loading of extracted archive partitions: COPY on PostgreSQL, one batched transaction
per partition on SQLite.

A partition's reports, claims, extraction records, rejections, ledger records and the mark
that the partition is loaded are written in one transaction: a run killed at any point leaves
whole partitions, and loading a partition again stores nothing twice (reports are keyed by
SHA-256; claims are written only for reports this extractor version has not done).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, text

from ceasefire.ledger import GENESIS, Record, digest
from ceasefire.model import Claim
from ceasefire.store import Store, _claim_row, report_object, tables

REPORT_COLUMNS = ("sha256", "format", "title", "url", "published", "source", "source_id", "author", "language",
                  "text", "origin", "structured", "raw")
CLAIM_COLUMNS = ("idx", "kind", "event_type", "sub_event_type", "earliest", "latest", "time_precision", "latitude",
                 "longitude", "geo_precision", "area_id", "fatalities", "payload")
_CHUNK = 500  # keys per IN (...) list, well under SQLite's variable limit


@dataclass
class PartitionRows:
    """One extracted partition, as the bulk loader takes it.

    ``reports`` hold the :data:`REPORT_COLUMNS` (``published`` aware, ``structured`` a dict or
    None); ``claims`` hold ``report_sha256`` and the :data:`CLAIM_COLUMNS` (``payload`` as JSON
    text), in report order then claim order.
    """

    id: str
    source: str
    extractor: str
    reports: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    rejections: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)


@dataclass(frozen=True)
class PartitionLoad:
    """What loading one partition stored."""

    new: int
    duplicates: int
    claims: int
    rejected: int


def claim_columns(claim: Claim) -> dict[str, Any]:
    """A claim as the bulk loader's row: the claims table's columns, payload as JSON text."""
    row = _claim_row(0, claim)
    del row["report_id"]
    return {"report_sha256": claim.report_sha256} | row | {"payload": json.dumps(row["payload"], ensure_ascii=False)}


def loaded_partitions(store: Store, extractor: str) -> set[str]:
    """Ids of the archive partitions already loaded with claims of this extractor version."""
    t = tables.archive_partitions
    with store._connect("read loaded archive partitions") as conn:
        return set(conn.execute(select(t.c.id).where(t.c.extractor == extractor)).scalars())


def load_partition(store: Store, rows: PartitionRows) -> PartitionLoad:
    """Store one partition in one transaction, with its ledger records and its loaded mark."""
    now = dt.datetime.now(dt.UTC)
    postgres = store.engine.dialect.name == "postgresql"
    with store._connect(f"load archive partition {rows.id} ({rows.source})", lock=True) as conn:
        inserted = (_copy_reports if postgres else _insert_reports)(conn, rows.reports, now)
        ids = _report_ids(conn, [r["sha256"] for r in rows.reports])
        pending = _without_claims(conn, ids, rows.extractor)
        claims = [c for c in rows.claims if c["report_sha256"] in pending]
        _replace_claims(store, conn, ids, pending, claims, rows.extractor, now)
        _store_rejections(store, conn, rows.rejections, now)
        payloads: dict[str, list[Any]] = {sha: [] for sha in pending}
        for claim in claims:
            payloads[claim["report_sha256"]].append(json.loads(claim["payload"]))
        changes: list[tuple[str, str, Any]] = [
            ("report", r["sha256"], report_object(r)) for r in rows.reports if r["sha256"] in inserted]
        changes += [("claims", sha, payloads[sha]) for sha in _in_order(rows.reports, pending)]
        _append_records(conn, postgres, changes, now)
        conn.execute(store._insert(tables.archive_partitions).values(
            id=rows.id, extractor=rows.extractor, source=rows.source, reports=len(rows.reports), loaded_at=now)
            .on_conflict_do_nothing(index_elements=["id", "extractor"]))
    return PartitionLoad(new=len(inserted), duplicates=len(rows.reports) - len(inserted), claims=len(claims),
                         rejected=len(rows.rejections))


def _in_order(reports: Sequence[dict[str, Any]], shas: set[str]) -> list[str]:
    return [r["sha256"] for r in reports if r["sha256"] in shas]


def _stored_row(row: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    return {name: row[name] for name in REPORT_COLUMNS} | {"received_at": now}


def _insert_reports(conn: Connection, reports: Sequence[dict[str, Any]], now: dt.datetime) -> set[str]:
    """SQLite: one writer at a time, so the reports not stored yet are the ones to insert."""
    stored = set(_report_ids(conn, [r["sha256"] for r in reports]))
    new = [_stored_row(r, now) for r in reports if r["sha256"] not in stored]
    if new:
        conn.execute(tables.reports.insert(), new)
    return {r["sha256"] for r in new}


def _copy_reports(conn: Connection, reports: Sequence[dict[str, Any]], now: dt.datetime) -> set[str]:
    """PostgreSQL: COPY into a staging table, then insert what is not stored yet, so a report
    another process stores meanwhile is skipped instead of failing the partition."""
    columns = ", ".join(REPORT_COLUMNS)
    conn.execute(text(f"CREATE TEMP TABLE staged_reports ON COMMIT DROP AS SELECT {columns} FROM reports WITH NO DATA"))
    conn.execute(text("ALTER TABLE staged_reports ADD COLUMN ord integer"))
    _copy(conn, "staged_reports", (*REPORT_COLUMNS, "ord"),
          ([*(_copy_value(r[c]) for c in REPORT_COLUMNS), n] for n, r in enumerate(reports)))
    result = conn.execute(text(
        f"INSERT INTO reports ({columns}, received_at) SELECT {columns}, :now FROM staged_reports ORDER BY ord "
        "ON CONFLICT (sha256) DO NOTHING RETURNING sha256"), {"now": _naive_utc(now)})
    return set(result.scalars())


def _report_ids(conn: Connection, shas: Sequence[str]) -> dict[str, int]:
    r = tables.reports.c
    found: dict[str, int] = {}
    for start in range(0, len(shas), _CHUNK):
        rows = conn.execute(select(r.sha256, r.id).where(r.sha256.in_(shas[start:start + _CHUNK])))
        found |= {row.sha256: row.id for row in rows}
    return found


def _without_claims(conn: Connection, ids: dict[str, int], extractor: str) -> set[str]:
    """Reports whose claims this extractor version has not stored yet."""
    e = tables.extractions.c
    by_id = {report_id: sha for sha, report_id in ids.items()}
    done: set[int] = set()
    keys = list(by_id)
    for start in range(0, len(keys), _CHUNK):
        done |= set(conn.execute(select(e.report_id).where(e.report_id.in_(keys[start:start + _CHUNK]),
                                                           e.extractor == extractor)).scalars())
    return {sha for report_id, sha in by_id.items() if report_id not in done}


def _replace_claims(store: Store, conn: Connection, ids: dict[str, int], pending: set[str],
                    claims: Sequence[dict[str, Any]], extractor: str, now: dt.datetime) -> None:
    report_ids = [ids[sha] for sha in sorted(pending)]
    for start in range(0, len(report_ids), _CHUNK):  # claims of an older extractor version
        conn.execute(tables.claims.delete().where(tables.claims.c.report_id.in_(report_ids[start:start + _CHUNK])))
    counts = dict.fromkeys(pending, 0)
    for claim in claims:
        counts[claim["report_sha256"]] += 1
    rows = [{"report_id": ids[c["report_sha256"]]} | {name: c[name] for name in CLAIM_COLUMNS} for c in claims]
    if store.engine.dialect.name == "postgresql":
        _copy(conn, "claims", ("report_id", *CLAIM_COLUMNS), ([_copy_value(r[c]) for c in r] for r in rows))
    elif rows:
        conn.execute(tables.claims.insert(), [r | {"payload": json.loads(r["payload"])} for r in rows])
    if not counts:
        return
    records = [{"report_id": ids[sha], "extractor": extractor, "claims": n, "extracted_at": now}
               for sha, n in counts.items()]
    stmt = store._insert(tables.extractions)
    conn.execute(stmt.on_conflict_do_update(index_elements=["report_id"], set_={
        "extractor": stmt.excluded.extractor, "claims": stmt.excluded.claims,
        "extracted_at": stmt.excluded.extracted_at}), records)


def _store_rejections(store: Store, conn: Connection, rejections: Sequence[tuple[str, str]], now: dt.datetime) -> None:
    if not rejections:
        return
    rows = [{"sha256": hashlib.sha256(f"{origin}\n{reason}".encode()).hexdigest(), "origin": origin,
             "reason": reason, "received_at": now} for origin, reason in rejections]
    conn.execute(store._insert(tables.rejections).on_conflict_do_nothing(index_elements=["sha256"]), rows)


def _append_records(conn: Connection, postgres: bool, changes: Sequence[tuple[str, str, Any]],
                    now: dt.datetime) -> None:
    """The ledger records of many changes, chained in order: one read of the head, one write."""
    if not changes:
        return
    if postgres:  # the writer lock is held already; the table lock also stops older writers, as Store._record
        conn.execute(text("LOCK TABLE ledger IN EXCLUSIVE MODE"))
    last = conn.execute(select(tables.ledger.c.seq, tables.ledger.c.hash)
                        .order_by(tables.ledger.c.seq.desc()).limit(1)).first()
    seq, previous = (last.seq, last.hash) if last else (0, GENESIS)
    records = []
    for kind, key, value in changes:
        seq += 1
        record = Record.chained(seq, kind, key, digest(value), previous, now)
        records.append(vars(record) | {"recorded_at": now})
        previous = record.hash
    if postgres:
        columns = tuple(records[0])
        _copy(conn, "ledger", columns, ([_copy_value(r[c]) for c in columns] for r in records))
    else:
        conn.execute(tables.ledger.insert(), records)


def _copy(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL COPY FROM STDIN on the transaction's own connection."""
    raw: Any = conn.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _copy_value(value: Any) -> Any:
    """A value as COPY takes it: UTC columns are naive UTC (as UTCDateTime stores them), JSON as text."""
    if isinstance(value, dt.datetime):
        return _naive_utc(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _naive_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None)


__all__ = ["PartitionLoad", "PartitionRows", "claim_columns", "load_partition", "loaded_partitions"]
