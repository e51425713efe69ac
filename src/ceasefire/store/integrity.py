"""What `verify` reads from the database, in one snapshot: the ledger, the signed checkpoints, the
hash of every stored object computed the way its ledger record computed it, and every column
that copies a ledgered object compared with the object it copies.

Readers see columns, not ledger records: the map reads ``incidents.verdict``, an incident page
reads ``incident_claims``, a download reads ``attachments.data``. Each such column is either part
of a ledgered object or a copy of one, and a copy is recomputed here from its object with the
same function that wrote it (``_incident_row``, ``_claim_row``), so the two cannot drift apart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Table, select, text

from ceasefire.errors import LedgerError
from ceasefire.ledger import Mismatch, Record, differs, digest
from ceasefire.ledger.checkpoints import SignedCheckpoint
from ceasefire.model import Claim, Incident
from ceasefire.store import tables
from ceasefire.store.claims import _claim_row
from ceasefire.store.engine import Database
from ceasefire.store.incidents import _incident_row
from ceasefire.store.objects import (
    attachment_object,
    capture_object,
    observer_object,
    report_object,
    review_object,
    reviewer_object,
    user_object,
)
from ceasefire.store.query import incident_actor_rows

BATCH = 500  # rows fetched at a time from tables holding bytes or payloads


@dataclass
class Audit:
    """Everything verify compares, read in one snapshot of the database."""

    records: list[Record] = field(default_factory=list)
    checkpoints: list[SignedCheckpoint] = field(default_factory=list)
    hashes: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, key) -> object hash
    mismatches: list[Mismatch] = field(default_factory=list)
    # (report sha256, claim index) -> the incident whose ledgered payload holds that claim
    members: dict[tuple[str, int], str] = field(default_factory=dict)
    named: set[tuple[str, str]] = field(default_factory=set)  # (incident, pack actor) its ledgered payload names


class Integrity(Database):
    def audit(self) -> Audit:
        """The ledger, the checkpoints, every stored object's hash and every copied column that
        differs from its ledgered object, read in one snapshot (what `verify` compares)."""
        with self._connect("read the ledger and every stored object") as conn:
            if self.engine.dialect.name == "postgresql":
                conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            else:
                conn.exec_driver_sql("BEGIN")  # pysqlite would read each table in its own snapshot
            return audit(conn)


def audit(conn: Connection) -> Audit:
    """Read the ledger and every checked table through ``conn`` (one transaction).

    Raises:
        LedgerError: a row holds a value that cannot be read at all (edited outside ceasefire).
    """
    found = Audit()
    with _reading("ledger"):
        found.records = [Record(r.seq, r.kind, r.key, r.object_hash, r.prev_hash, r.hash, r.at)
                         for r in conn.execute(select(tables.ledger).order_by(tables.ledger.c.seq))]
    with _reading("checkpoints"):
        _checkpoints(conn, found)
    with _reading("reports"):
        shas = _reports(conn, found)
    with _reading("claims"):
        _claims(conn, found, shas)
    with _reading("assessments"):
        overall = _assessments(conn, found)
    with _reading("incidents"):
        _incidents(conn, found, overall)
    with _reading("incident_claims"):
        _memberships(conn, found)
    with _reading("incident_actors"):
        _named_actors(conn, found)
    with _reading("attachments"):
        _attachments(conn, found)
    for kind, table, as_object in (("review", tables.reviews, review_object),
                                   ("capture", tables.captures, capture_object),
                                   ("user", tables.users, user_object),
                                   ("observer", tables.observers, observer_object),
                                   ("reviewer", tables.reviewers, reviewer_object)):
        with _reading(table.name):
            key = table.c.id if "id" in table.c else table.c.name
            for row in _rows(conn, table):
                found.hashes[(kind, str(row._mapping[key.name]))] = digest(as_object(row._mapping))
    return found


@contextmanager
def _reading(table: str) -> Iterator[None]:
    try:
        yield
    except (ValueError, TypeError, KeyError) as exc:  # SQLite keeps whatever is written into a column
        raise LedgerError(f"Ledger does not verify: the {table} table holds a value ceasefire cannot read "
                          f"({exc.__class__.__name__}: {exc}); it was written outside ceasefire.") from exc


def _rows(conn: Connection, table: Table, *order: Any) -> Any:
    """The table's rows, a batch at a time (a server-side cursor on PostgreSQL)."""
    query = select(table).order_by(*(order or table.primary_key.columns))
    return conn.execution_options(yield_per=BATCH).execute(query)


def _checkpoints(conn: Connection, found: Audit) -> None:
    for row in conn.execute(select(tables.checkpoints).order_by(tables.checkpoints.c.id)):
        try:
            found.checkpoints.append(SignedCheckpoint.from_mapping(dict(row._mapping)))
        except (KeyError, TypeError, ValueError):
            found.mismatches.append(Mismatch("checkpoints", str(row.id), "is not a checkpoint ceasefire can read "
                                                                         "(edited outside ceasefire)"))


def _reports(conn: Connection, found: Audit) -> dict[int, str]:
    shas = {}
    for row in _rows(conn, tables.reports):
        shas[row.id] = row.sha256
        found.hashes[("report", row.sha256)] = digest(report_object(row._mapping))
    return shas


def _claims(conn: Connection, found: Audit, shas: dict[int, str]) -> None:
    extracted = {r.report_id: r.claims for r in conn.execute(select(tables.extractions))}
    lists: dict[int, list[Any]] = {report_id: [] for report_id in extracted}
    claims = tables.claims.c
    for row in _rows(conn, tables.claims, claims.report_id, claims.idx):
        lists.setdefault(row.report_id, []).append(row.payload)
        found.mismatches += _claim_columns(row._mapping, shas.get(row.report_id, "?"))
    for report_id in sorted(set(extracted) - set(shas)):
        found.mismatches.append(Mismatch("extractions", str(report_id), f"column report_id is {report_id}, which no "
                                                                        "row in reports has"))
    for report_id, payloads in lists.items():
        sha = shas.get(report_id, f"report-id-{report_id}")
        found.hashes[("claims", sha)] = digest(payloads)
        if report_id in extracted and extracted[report_id] != len(payloads):
            found.mismatches.append(Mismatch("extractions", str(report_id), f"column claims is {extracted[report_id]}, "
                                             f"the ledgered claims of report {sha[:12]} number {len(payloads)}",
                                             ("claims", sha)))


def _claim_columns(row: Any, sha: str) -> list[Mismatch]:
    try:
        claim = Claim.model_validate(row["payload"])
    except ValidationError:
        return [Mismatch("claims", str(row["id"]), "column payload is not a claim", ("claims", sha))]
    name = f"{row['id']} (report {sha[:12]} claim {claim.index})"
    expected = _claim_row(row["report_id"], claim)
    if sha == "?":
        return [Mismatch("claims", name, f"column report_id is {row['report_id']}, which no row in reports has")]
    return [differs("claims", name, column, row[column], value, ("claims", sha)) for column, value in expected.items()
            if column not in ("payload", "report_id") and row[column] != value]


def _assessments(conn: Connection, found: Audit) -> dict[str, dict[str, Any]]:
    """Check each row's columns against its payload; returns each incident's overall assessment."""
    lists: dict[str, list[Any]] = {}
    overall: dict[str, dict[str, Any]] = {}
    for row in _rows(conn, tables.assessments):
        payload = row.payload
        lists.setdefault(row.incident_id, []).append(payload)
        if payload.get("clause_id") is None:
            overall.setdefault(payload.get("incident_id"), payload)  # the first, as save_assessments copies it
        for column in ("incident_id", "clause_id", "reading_id", "verdict", "confidence", "agreement_id"):
            if row._mapping[column] != payload.get(column):
                found.mismatches.append(differs("assessments", str(row.id), column, row._mapping[column],
                                                payload.get(column), ("assessments", row.incident_id)))
    for incident_id, payloads in lists.items():
        found.hashes[("assessments", incident_id)] = digest(payloads)
    return overall


def _incidents(conn: Connection, found: Audit, overall: dict[str, dict[str, Any]]) -> None:
    for row in _rows(conn, tables.incidents):
        found.hashes[("incident", row.id)] = digest(row.payload)
        try:
            incident = Incident.model_validate(row.payload)
        except ValidationError:
            found.mismatches.append(Mismatch("incidents", row.id, "column payload is not an incident",
                                             ("incident", row.id)))
            continue
        for column, value in _incident_row(incident).items():
            if column != "payload" and row._mapping[column] != value:
                found.mismatches.append(differs("incidents", row.id, column, row._mapping[column], value,
                                                ("incident", row.id)))
        assessment = overall.get(row.id) or {}
        for column in ("verdict", "confidence"):  # the automatic verdict; a review, when there is one, wins on reading
            if row._mapping[column] != assessment.get(column):
                found.mismatches.append(differs("incidents", row.id, column, row._mapping[column],
                                                assessment.get(column), ("assessments", row.id)))
        for ref in incident.claims:
            found.members[(ref.report_sha256, ref.index)] = incident.id
        found.named |= {(r["incident_id"], r["actor_id"]) for r in incident_actor_rows([incident])}


def _memberships(conn: Connection, found: Audit) -> None:
    stored = {(r.report_sha256, r.claim_idx): r.incident_id for r in conn.execute(select(tables.incident_claims))}
    for (sha, index), incident_id in sorted(stored.items()):
        expected = found.members.get((sha, index))
        name = f"(report {sha[:12]} claim {index})"
        if expected is None:
            found.mismatches.append(Mismatch("incident_claims", name, "puts a claim no ledgered incident holds "
                                                                      f"into incident {incident_id}"))
        elif expected != incident_id:
            found.mismatches.append(Mismatch("incident_claims", name, f"column incident_id is {incident_id}, the "
                                                                      f"ledgered incident {expected} holds this claim",
                                             ("incident", expected)))
    for (sha, index), incident_id in sorted(found.members.items() - stored.items()):
        if (sha, index) not in stored:
            found.mismatches.append(Mismatch("incident_claims", "", f"no row for claim {index} of report {sha[:12]}, "
                                                                    f"which the ledgered incident {incident_id} holds",
                                             ("incident", incident_id)))


def _named_actors(conn: Connection, found: Audit) -> None:
    """The actor filter reads ``incident_actors``: each row must be an actor its ledgered incident names."""
    stored = {(r.incident_id, r.actor_id) for r in conn.execute(select(tables.incident_actors))}
    for incident_id, actor_id in sorted(stored - found.named):
        found.mismatches.append(Mismatch("incident_actors", f"({incident_id} {actor_id})", "says the incident "
                                         f"names actor {actor_id}; its ledgered incident does not",
                                         ("incident", incident_id)))
    for incident_id, actor_id in sorted(found.named - stored):
        found.mismatches.append(Mismatch("incident_actors", "", f"no row for actor {actor_id} of incident "
                                         f"{incident_id}, which the ledgered incident names",
                                         ("incident", incident_id)))


def _attachments(conn: Connection, found: Audit) -> None:
    for row in _rows(conn, tables.attachments):
        found.hashes[("attachment", str(row.id))] = digest(attachment_object(row._mapping))
        stored = hashlib.sha256(row.data).hexdigest()
        if stored != row.sha256:
            found.mismatches.append(Mismatch("attachments", str(row.id), f"column data has SHA-256 {stored[:12]}, the "
                                                                         f"ledgered attachment says {row.sha256[:12]}",
                                             ("attachment", str(row.id))))
