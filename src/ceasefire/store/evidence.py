"""Evidence kept beside reports: captured web pages, the files observers attach to their
reports, and the observers whose signed submissions are accepted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from ceasefire.errors import NotFound
from ceasefire.store import tables
from ceasefire.store.engine import Database
from ceasefire.store.ledger import Change, append, append_change, append_many, object_hash
from ceasefire.store.objects import attachment_object, capture_object, observer_object


@dataclass(frozen=True)
class StoredCapture:
    """A web page as fetched: the body exactly as received, and the report ingested from it."""

    id: int
    url: str
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]
    raw: bytes
    raw_sha256: str
    text_sha256: str | None  # of the extracted text; None when no article text was found
    report_sha256: str | None
    captured_at: dt.datetime


@dataclass(frozen=True)
class Attachment:
    """A file an observer attached to a report, as listed (without its bytes)."""

    id: int
    filename: str  # as the observer named it; never used as a path
    content_type: str
    sha256: str
    size: int


@dataclass(frozen=True)
class AttachmentFile(Attachment):
    """An attached file with its bytes."""

    report_sha256: str
    data: bytes
    created_at: dt.datetime


def insert_capture(conn: Connection, row: dict[str, Any]) -> int:
    """Insert a captured page and its ledger record in ``conn``'s transaction (holding the writer lock)."""
    new_id = int(conn.execute(tables.captures.insert().values(**row).returning(tables.captures.c.id)).scalar_one())
    stored = conn.execute(select(tables.captures).where(tables.captures.c.id == new_id)).one()
    append(conn, "capture", str(new_id), capture_object(stored._mapping))
    return new_id


class Evidence(Database):
    def add_capture(self, row: dict[str, Any]) -> int:
        """Store a captured page with its ledger record, in one transaction."""
        with self._connect("store a capture", lock=True) as conn:
            return insert_capture(conn, row)

    def captures(self) -> list[StoredCapture]:
        c = tables.captures.c
        with self._connect("read captures") as conn:
            return [StoredCapture(r.id, r.url, r.final_url, r.status, r.headers, r.raw, r.raw_sha256, r.text_sha256,
                                  r.report_sha256, r.captured_at)
                    for r in conn.execute(select(tables.captures).order_by(c.id))]

    def add_observer(self, name: str, public_key: str) -> None:
        row = {"name": name, "public_key": public_key, "registered_at": dt.datetime.now(dt.UTC)}
        stmt = self._insert(tables.observers).values(**row)
        with self._connect("register an observer", lock=True) as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=row))
            append_change(conn, "observer", name, observer_object(row))

    def observer_keys(self) -> dict[str, str]:
        """Each observer's name and the public key (PEM) their submissions must be signed with."""
        with self._connect("read observers") as conn:
            return {r.name: r.public_key for r in conn.execute(select(tables.observers))}

    def add_attachments(self, report_sha256: str, files: Sequence[dict[str, Any]]) -> None:
        """Store a report's files (filename, content_type, data, sha256, size) with their ledger records."""
        if not files:
            return
        now = dt.datetime.now(dt.UTC)
        with self._connect("store attachments", lock=True) as conn:
            changes: list[Change] = []
            for file in files:
                new_id = conn.execute(tables.attachments.insert().values(
                    report_sha256=report_sha256, created_at=now, **file).returning(tables.attachments.c.id)).scalar()
                stored = file | {"report_sha256": report_sha256}
                changes.append(("attachment", str(new_id), object_hash(attachment_object(stored))))
            append_many(conn, changes)

    def attachments(self, report_sha256: str) -> list[Attachment]:
        a = tables.attachments.c
        with self._connect("list attachments") as conn:
            rows = conn.execute(select(a.id, a.filename, a.content_type, a.sha256, a.size)
                                .where(a.report_sha256 == report_sha256).order_by(a.id))
            return [Attachment(r.id, r.filename, r.content_type, r.sha256, r.size) for r in rows]

    def attachment(self, attachment_id: int) -> AttachmentFile:
        """Raises:
            NotFound: no attachment with that id.
        """
        with self._connect("read an attachment") as conn:
            r = conn.execute(select(tables.attachments).where(tables.attachments.c.id == attachment_id)).first()
        if r is None:
            raise NotFound(f"No attachment {attachment_id}.")
        return AttachmentFile(r.id, r.filename, r.content_type, r.sha256, r.size, r.report_sha256, r.data,
                              r.created_at)
