"""The tamper-evident ledger: every change to reports, claims, incidents, assessments, reviews,
attachments, captures and accounts appends a record, in the same transaction as the change. A
record holds the SHA-256 of the changed object in canonical JSON (RFC 8785) and is chained to the
record before it; signed checkpoints hold the Merkle root of the records up to a point.

``verify`` recomputes the chain, checks it against every signed checkpoint, checks every stored
object against its latest record and every copied column against the object it copies, and names
what fails: an edited row or column, a deleted row, a row with no record, a removed, reordered or
rewritten record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import rfc8785

GENESIS = "0" * 64
DELETED = "deleted"
# What each kind of record stands for: the table holding the object, and whether it is one row or
# a list of rows (a report's claims, an incident's assessments).
TABLES = {"report": "reports", "claims": "claims", "incident": "incidents", "assessments": "assessments",
          "review": "reviews", "capture": "captures", "attachment": "attachments", "user": "users",
          "observer": "observers", "reviewer": "reviewers"}
LISTS = {"claims", "assessments"}


def canonical(value: Any) -> bytes:
    """RFC 8785 canonical JSON: the same bytes for the same object on every machine."""
    return rfc8785.dumps(value)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


@dataclass(frozen=True)
class Record:
    seq: int
    kind: str  # a key of TABLES
    key: str
    object_hash: str
    prev_hash: str
    hash: str
    at: str  # ISO time of the change

    @staticmethod
    def chained(seq: int, kind: str, key: str, object_hash: str, prev_hash: str, at: dt.datetime) -> Record:
        when = at.astimezone(dt.UTC).isoformat()
        return Record(seq, kind, key, object_hash, prev_hash, record_hash(seq, kind, key, object_hash, prev_hash, when),
                      when)


def record_hash(seq: int, kind: str, key: str, object_hash: str, prev_hash: str, at: str) -> str:
    # A flat object of short strings and one integer: the standard library's sorted, compact JSON
    # is byte-for-byte RFC 8785 here (a test holds it to that) and several times faster.
    fields = {"seq": seq, "kind": kind, "key": key, "object": object_hash, "prev": prev_hash, "at": at}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    """Where verification failed: the record (by position) and what is wrong."""

    seq: int
    kind: str
    key: str
    problem: str

    def __str__(self) -> str:
        if not self.seq:  # an object with no record
            return f"{self.kind} {self.key}: {self.problem}"
        return f"record #{self.seq} ({self.kind} {self.key}): {self.problem}"


def verify_chain(records: Iterable[Record]) -> list[Break]:
    """Breaks in the chain itself: gaps (removed records), wrong links (reordered), wrong hashes (edited)."""
    breaks, previous, expected_seq = [], GENESIS, 1
    for record in records:
        if record.seq != expected_seq:
            breaks.append(Break(record.seq, record.kind, record.key,
                                f"expected record #{expected_seq} here: records were removed or reordered"))
        if record.prev_hash != previous:
            breaks.append(Break(record.seq, record.kind, record.key, "does not link to the record before it"))
        if record.hash != record_hash(record.seq, record.kind, record.key, record.object_hash, record.prev_hash,
                                      record.at):
            breaks.append(Break(record.seq, record.kind, record.key, "its own hash does not match its content"))
        previous, expected_seq = record.hash, record.seq + 1
    return breaks


def verify_objects(records: Iterable[Record], stored: dict[tuple[str, str], str]) -> list[Break]:
    """Breaks between the ledger and the stored objects (``(kind, key) -> object hash``)."""
    latest: dict[tuple[str, str], Record] = {}
    for record in records:
        latest[(record.kind, record.key)] = record
    breaks = []
    for (kind, key), record in latest.items():
        current, rows = stored.get((kind, key)), _rows(kind)
        if record.object_hash == DELETED:
            if current is not None:
                breaks.append(Break(record.seq, kind, key, f"was recorded as deleted but is still in {TABLES[kind]}"))
        elif current is None:
            gone = "are gone" if kind in LISTS else "is gone"
            breaks.append(Break(record.seq, kind, key,
                                f"is recorded but its {rows} {gone} (deleted outside ceasefire)"))
        elif current != record.object_hash:
            differ = "differ" if kind in LISTS else "differs"
            breaks.append(Break(record.seq, kind, key, f"its {rows} {differ} from what was recorded (edited)"))
    for kind, key in sorted(set(stored) - set(latest)):
        breaks.append(Break(0, kind, key, f"is stored in {TABLES[kind]} without any ledger record (added outside "
                                          "ceasefire)"))
    return sorted(breaks, key=lambda b: (b.seq or 10**12, b.kind, b.key))


def _rows(kind: str) -> str:
    return f"rows in {TABLES[kind]}" if kind in LISTS else f"row in {TABLES[kind]}"


@dataclass(frozen=True)
class Mismatch:
    """A stored row that says something other than the ledgered object it is a copy of."""

    table: str
    row: str  # empty when the row is missing
    problem: str
    copies: tuple[str, str] | None = None  # (kind, key) of the ledgered object it was compared with


    def __str__(self) -> str:
        return f"{self.table} row {self.row}: {self.problem}" if self.row else f"{self.table}: {self.problem}"


def differs(table: str, row: str, column: str, found: Any, expected: Any, copies: tuple[str, str]) -> Mismatch:
    """A column holding ``found`` where the ledgered object it copies says ``expected``."""
    authority = {"claims": "claim", "assessments": "assessment"}.get(copies[0], copies[0])
    return Mismatch(table, row, f"column {column} is {_shown(found)}, the ledgered {authority} says {_shown(expected)}",
                    copies)


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class CheckpointBreak:
    """A signed checkpoint the ledger no longer matches, or a checkpoint that was edited."""

    checkpoint: int
    problem: str

    def __str__(self) -> str:
        return self.problem


Problem = Break | CheckpointBreak | Mismatch


def verify_copies(mismatches: Iterable[Mismatch], breaks: Iterable[Break]) -> list[Mismatch]:
    """The mismatches left once those against an object that itself fails are dropped: a copy
    compared with an edited object says nothing the object's own break does not."""
    failed = {(b.kind, b.key) for b in breaks}
    return [m for m in mismatches if m.copies not in failed]
