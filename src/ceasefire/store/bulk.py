"""Bulk loading of extracted archive partitions: COPY on PostgreSQL, one batched transaction
per partition on SQLite.

A partition's reports, claims, extraction records, rejections, ledger records and the mark
that the partition is loaded are written in one transaction: a run killed at any point leaves
whole partitions, and loading a partition again stores nothing twice (reports are keyed by
SHA-256; claims are written only for reports this extractor version has not done). The ledger
records go through the ledger's one writer, all of a partition's in one batch
(:func:`ceasefire.store.ledger.append_many`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, text

from ceasefire.ledger import digest
from ceasefire.model import Claim
from ceasefire.store import tables
from ceasefire.store.claims import _claim_row
from ceasefire.store.engine import Database, copy_rows, copy_value, insert, naive_utc
from ceasefire.store.ledger import Change, append_many
from ceasefire.store.objects import report_object
from ceasefire.store.reports import rejection_row

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


class ArchivePartitions(Database):
    """Bulk loading of extracted archive partitions (``ceasefire run --archive``)."""

    def loaded_partitions(self, extractor: str) -> set[str]:
        """Ids of the archive partitions already loaded with claims of this extractor version."""
        t = tables.archive_partitions
        with self._connect("read loaded archive partitions") as conn:
            return set(conn.execute(select(t.c.id).where(t.c.extractor == extractor)).scalars())

    def load_partition(self, rows: PartitionRows) -> PartitionLoad:
        """Store one partition in one transaction, with its ledger records and its loaded mark."""
        now = dt.datetime.now(dt.UTC)
        with self._connect(f"load archive partition {rows.id} ({rows.source})", lock=True) as conn:
            postgres = conn.dialect.name == "postgresql"
            inserted = (_copy_reports if postgres else _insert_reports)(conn, rows.reports, now)
            ids = _report_ids(conn, [r["sha256"] for r in rows.reports])
            pending = _without_claims(conn, ids, rows.extractor)
            claims = [c for c in rows.claims if c["report_sha256"] in pending]
            _replace_claims(conn, ids, pending, claims, rows.extractor, now)
            _store_rejections(conn, rows.rejections, now)
            payloads: dict[str, list[Any]] = {sha: [] for sha in pending}
            for claim in claims:
                payloads[claim["report_sha256"]].append(json.loads(claim["payload"]))
            changes: list[Change] = [("report", r["sha256"], digest(report_object(r)))
                                     for r in rows.reports if r["sha256"] in inserted]
            changes += [("claims", sha, digest(payloads[sha])) for sha in _in_order(rows.reports, pending)]
            append_many(conn, changes)
            conn.execute(insert(conn.dialect.name, tables.archive_partitions).values(
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
    copy_rows(conn, "staged_reports", (*REPORT_COLUMNS, "ord"),
              ([*(copy_value(r[c]) for c in REPORT_COLUMNS), n] for n, r in enumerate(reports)))
    result = conn.execute(text(
        f"INSERT INTO reports ({columns}, received_at) SELECT {columns}, :now FROM staged_reports ORDER BY ord "
        "ON CONFLICT (sha256) DO NOTHING RETURNING sha256"), {"now": naive_utc(now)})
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


def _replace_claims(conn: Connection, ids: dict[str, int], pending: set[str],
                    claims: Sequence[dict[str, Any]], extractor: str, now: dt.datetime) -> None:
    report_ids = [ids[sha] for sha in sorted(pending)]
    for start in range(0, len(report_ids), _CHUNK):  # claims of an older extractor version
        conn.execute(tables.claims.delete().where(tables.claims.c.report_id.in_(report_ids[start:start + _CHUNK])))
    counts = dict.fromkeys(pending, 0)
    for claim in claims:
        counts[claim["report_sha256"]] += 1
    rows = [{"report_id": ids[c["report_sha256"]]} | {name: c[name] for name in CLAIM_COLUMNS} for c in claims]
    if conn.dialect.name == "postgresql":
        copy_rows(conn, "claims", ("report_id", *CLAIM_COLUMNS), ([copy_value(r[c]) for c in r] for r in rows))
    elif rows:
        conn.execute(tables.claims.insert(), [r | {"payload": json.loads(r["payload"])} for r in rows])
    if not counts:
        return
    records = [{"report_id": ids[sha], "extractor": extractor, "claims": n, "extracted_at": now}
               for sha, n in counts.items()]
    stmt = insert(conn.dialect.name, tables.extractions)
    conn.execute(stmt.on_conflict_do_update(index_elements=["report_id"], set_={
        "extractor": stmt.excluded.extractor, "claims": stmt.excluded.claims,
        "extracted_at": stmt.excluded.extracted_at}), records)


def _store_rejections(conn: Connection, rejections: Sequence[tuple[str, str]], now: dt.datetime) -> None:
    if not rejections:
        return
    rows = [rejection_row(origin, reason, now) for origin, reason in rejections]
    conn.execute(insert(conn.dialect.name, tables.rejections).on_conflict_do_nothing(index_elements=["sha256"]), rows)


__all__ = ["ArchivePartitions", "PartitionLoad", "PartitionRows", "claim_columns"]
