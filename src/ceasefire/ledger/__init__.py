"""The tamper-evident ledger: every change to reports, claims, incidents, assessments and
reviews appends a record, in the same transaction as the change. A record holds the SHA-256
of the changed object in canonical JSON (RFC 8785) and is chained to the record before it.

``verify`` recomputes the chain and checks every stored object against its latest record, and
names the first record that fails: an edited row, a deleted row, a row with no record, a
removed or reordered record.
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


def canonical(value: Any) -> bytes:
    """RFC 8785 canonical JSON: the same bytes for the same object on every machine."""
    return rfc8785.dumps(value)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


@dataclass(frozen=True)
class Record:
    seq: int
    kind: str  # report | claims | incident | assessments | review
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
        current = stored.get((kind, key))
        if record.object_hash == DELETED:
            if current is not None:
                breaks.append(Break(record.seq, kind, key, "was recorded as deleted but is stored"))
        elif current is None:
            breaks.append(Break(record.seq, kind, key, "is recorded but its row is gone (deleted outside ceasefire)"))
        elif current != record.object_hash:
            breaks.append(Break(record.seq, kind, key, "the stored row differs from what was recorded (edited)"))
    for kind, key in sorted(set(stored) - set(latest)):
        breaks.append(Break(0, kind, key, "is stored without any ledger record (added outside ceasefire)"))
    return sorted(breaks, key=lambda b: (b.seq or 10**12, b.kind, b.key))
