"""Sources that `ceasefire watch` follows, the items each has brought and where each item stands,
and everything refused on the way.

Each step of a poll is one transaction, so a watch killed at any moment resumes where it stopped:
a poll stores the new items (pending) with the feed's validators; an item is captured, its report
stored and the item marked done together; a refusal is recorded with the step it ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from ceasefire.errors import NotFound
from ceasefire.model import Report
from ceasefire.store import tables
from ceasefire.store.engine import Database
from ceasefire.store.evidence import insert_capture
from ceasefire.store.reports import insert_reports

PENDING, DONE, REFUSED = "pending", "done", "refused"


@dataclass(frozen=True)
class StoredSource:
    """A followed source, its schedule, what its last poll did and how many items it brought."""

    id: int
    url: str
    kind: str
    every_seconds: int
    pack_id: str | None
    pack_source: str | None
    added_at: dt.datetime
    due_at: dt.datetime
    etag: str | None
    last_modified: str | None
    last_fetch_at: dt.datetime | None
    last_outcome: str | None
    consecutive_failures: int
    unhealthy_since: dt.datetime | None
    items: int = 0  # captured and stored
    pending: int = 0
    refused: int = 0

    @property
    def healthy(self) -> bool:
        return self.unhealthy_since is None


@dataclass(frozen=True)
class NewItem:
    """An item a poll found: its key (SHA-256 of its link, or of its bytes), and what it says of itself."""

    key: str
    url: str | None
    title: str | None = None
    published: dt.datetime | None = None
    payload: bytes | None = None


@dataclass(frozen=True)
class PendingItem:
    id: int
    source_id: int
    url: str | None
    title: str | None
    published: dt.datetime | None
    payload: bytes | None
    attempts: int


@dataclass(frozen=True)
class SourceFailure:
    """Something a poll refused (a feed, a page, an item) and why."""

    source_id: int
    source_url: str | None  # None once the source was removed
    url: str
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class Poll:
    """What one fetch of a source gave: its validators, what it said, and a failure if it failed."""

    fetched_at: dt.datetime
    outcome: str
    etag: str | None = None
    last_modified: str | None = None
    failure: str | None = None  # the reason, when the fetch or its parsing failed


@dataclass(frozen=True)
class ItemEvidence:
    """What finishing an item stores: the page captured (a captures row), and the reports made of it."""

    capture: dict[str, Any] | None
    reports: Sequence[Report]
    reason: str | None = None  # why no report came of it, when none did


def _source(row: Any, counts: dict[int, dict[str, int]]) -> StoredSource:
    found = counts.get(row.id, {})
    return StoredSource(row.id, row.url, row.kind, row.every_seconds, row.pack_id, row.pack_source, row.added_at,
                        row.due_at, row.etag, row.last_modified, row.last_fetch_at, row.last_outcome,
                        row.consecutive_failures, row.unhealthy_since, found.get(DONE, 0), found.get(PENDING, 0),
                        found.get(REFUSED, 0))


class Sources(Database):
    def add_source(self, url: str, kind: str, every_seconds: int, *, pack_id: str | None = None,
                   pack_source: str | None = None, due_at: dt.datetime | None = None) -> tuple[StoredSource, bool]:
        """Follow ``url`` (due at once unless ``due_at``); a URL already followed gets the new kind,
        interval and pack. Returns the source and whether it is new."""
        now = dt.datetime.now(dt.UTC)
        s = tables.sources.c
        with self._connect("add a source") as conn:
            known = conn.execute(select(s.id).where(s.url == url)).scalar()
            settings = {"kind": kind, "every_seconds": every_seconds, "pack_id": pack_id, "pack_source": pack_source}
            if known is None:
                conn.execute(tables.sources.insert().values(
                    url=url, added_at=now, due_at=due_at or now, consecutive_failures=0, **settings))
            else:
                conn.execute(update(tables.sources).where(s.id == known).values(**settings))
        return self.source(url), known is None

    def source(self, ref: int | str) -> StoredSource:
        """A source by id or URL.

        Raises:
            NotFound: no source has that id or URL.
        """
        s = tables.sources.c
        where = s.id == int(ref) if isinstance(ref, int) or ref.isdigit() else s.url == ref
        with self._connect("read a source") as conn:
            row = conn.execute(select(tables.sources).where(where)).first()
            if row is None:
                raise NotFound(f"No source {ref}. `ceasefire source list` shows the sources followed.")
            return _source(row, _item_counts(conn, row.id))

    def remove_source(self, ref: int | str) -> StoredSource:
        """Stop following a source; what it brought (captures, reports) stays, and so do its failures."""
        found = self.source(ref)
        with self._connect("remove a source") as conn:
            conn.execute(delete(tables.source_items).where(tables.source_items.c.source_id == found.id))
            conn.execute(delete(tables.sources).where(tables.sources.c.id == found.id))
        return found

    def sources(self) -> list[StoredSource]:
        with self._connect("list sources") as conn:
            counts = _item_counts(conn)
            return [_source(r, counts) for r in conn.execute(select(tables.sources).order_by(tables.sources.c.id))]

    def due_sources(self, now: dt.datetime) -> list[StoredSource]:
        s = tables.sources.c
        with self._connect("read the sources due") as conn:
            rows = conn.execute(select(tables.sources).where(s.due_at <= now).order_by(s.due_at, s.id)).all()
            return [_source(r, {}) for r in rows]

    def next_due(self) -> dt.datetime | None:
        with self._connect("read the next poll time") as conn:
            found: dt.datetime | None = conn.execute(select(func.min(tables.sources.c.due_at))).scalar()
            return found

    def record_poll(self, source: StoredSource, poll: Poll, items: Sequence[NewItem] = (), *,
                    failure_limit: int = 3) -> int:
        """Store a poll's new items (pending) with the source's validators, schedule and health, in one
        transaction. A failure counts toward ``failure_limit`` failures in a row, which mark the source
        unhealthy. Returns how many items were new."""
        s = tables.sources.c
        failures = source.consecutive_failures + 1 if poll.failure else 0
        values: dict[str, Any] = {
            "last_fetch_at": poll.fetched_at, "last_outcome": poll.outcome, "consecutive_failures": failures,
            "due_at": poll.fetched_at + dt.timedelta(seconds=source.every_seconds)}
        if poll.failure is None:
            values |= {"unhealthy_since": None, "etag": poll.etag or source.etag,
                       "last_modified": poll.last_modified or source.last_modified}
        elif failures >= failure_limit and source.unhealthy_since is None:
            values["unhealthy_since"] = poll.fetched_at
        with self._connect("record a poll") as conn:
            if poll.failure:
                _fail(conn, source.id, source.url, poll.failure, poll.fetched_at)
            new = sum(_add_item(conn, source.id, item, poll.fetched_at) for item in items)
            conn.execute(update(tables.sources).where(s.id == source.id).values(**values))
        return new

    def known_items(self, source_id: int, keys: Sequence[str]) -> set[str]:
        i = tables.source_items.c
        with self._connect("read known items") as conn:
            return set(conn.execute(select(i.key).where(i.source_id == source_id, i.key.in_(keys))).scalars())

    def pending_items(self) -> list[PendingItem]:
        i = tables.source_items.c
        with self._connect("read pending items") as conn:
            rows = conn.execute(select(i.id, i.source_id, i.url, i.title, i.published, i.payload, i.attempts)
                                .where(i.state == PENDING).order_by(i.id))
            return [PendingItem(*r) for r in rows]

    def captured(self, url: str) -> tuple[int | None, str | None] | None:
        """(capture id, report SHA-256) of a page already captured for an item of any source."""
        i = tables.source_items.c
        with self._connect("look up a captured page") as conn:
            row = conn.execute(select(i.capture_id, i.report_sha256).where(i.url == url, i.state == DONE)
                               .limit(1)).first()
            return None if row is None else (row.capture_id, row.report_sha256)

    def finish_item(self, item_id: int, evidence: ItemEvidence, pack_source: str | None = None, *,
                    capture_id: int | None = None, report_sha256: str | None = None) -> int | None:
        """Store the item's capture and reports with their ledger records and mark it done, in one
        transaction (``capture_id``, ``report_sha256``: those already stored for the same page).
        Returns the capture id."""
        report_sha256 = evidence.reports[0].sha256 if evidence.reports else report_sha256
        with self._connect("store a captured item", lock=True) as conn:
            if evidence.capture is not None:
                capture_id = insert_capture(conn, evidence.capture)
            insert_reports(conn, evidence.reports, [pack_source] * len(evidence.reports))
            conn.execute(update(tables.source_items).where(tables.source_items.c.id == item_id).values(
                state=DONE, capture_id=capture_id, report_sha256=report_sha256, reason=evidence.reason,
                done_at=dt.datetime.now(dt.UTC)))
        return capture_id

    def store_items(self, source: StoredSource, items: Sequence[NewItem], evidence: ItemEvidence) -> int:
        """Items that arrive with their evidence (a page, a JSON Lines file): the capture, reports and
        items done, in one transaction; nothing when every item is known. Returns how many were new."""
        now = dt.datetime.now(dt.UTC)
        with self._connect("store captured items", lock=True) as conn:
            new = [item for item in items if _add_item(conn, source.id, item, now)]
            if not new:
                return 0
            capture_id = insert_capture(conn, evidence.capture) if evidence.capture is not None else None
            insert_reports(conn, evidence.reports, [source.pack_source] * len(evidence.reports))
            i = tables.source_items.c
            conn.execute(update(tables.source_items).where(i.source_id == source.id, i.key.in_([n.key for n in new]))
                         .values(state=DONE, capture_id=capture_id, done_at=now, reason=evidence.reason))
        return len(new)

    def refuse_item(self, item: PendingItem, reason: str, *, final: bool) -> None:
        """Count a failed attempt at an item; a final one refuses it and lists it with its reason."""
        now = dt.datetime.now(dt.UTC)
        with self._connect("record a refused item") as conn:
            values: dict[str, Any] = {"attempts": item.attempts + 1, "reason": reason}
            if final:
                values |= {"state": REFUSED, "done_at": now}
                _fail(conn, item.source_id, item.url or f"item {item.id}", reason, now)
            conn.execute(update(tables.source_items).where(tables.source_items.c.id == item.id).values(**values))

    def add_source_failure(self, source_id: int, url: str, reason: str) -> None:
        """List a part of an answer that was refused (a feed item, a line) without failing its source."""
        with self._connect("record a refused item") as conn:
            _fail(conn, source_id, url, reason, dt.datetime.now(dt.UTC))

    def source_failures(self, ref: int | str | None = None, *, limit: int = 200) -> list[SourceFailure]:
        """What polls refused, newest first; of one source with ``ref``."""
        f, s = tables.source_failures.c, tables.sources.c
        query = (select(f.source_id, s.url.label("source_url"), f.url, f.reason, f.at)
                 .select_from(tables.source_failures.outerjoin(tables.sources, s.id == f.source_id))
                 .order_by(f.id.desc()).limit(limit))
        if ref is not None:
            query = query.where(f.source_id == self.source(ref).id)
        with self._connect("list source failures") as conn:
            return [SourceFailure(*r) for r in conn.execute(query)]


def _add_item(conn: Connection, source_id: int, item: NewItem, now: dt.datetime) -> bool:
    """Insert an item not known yet as pending; whether it was new."""
    i = tables.source_items.c
    if conn.execute(select(i.id).where(i.source_id == source_id, i.key == item.key)).first() is not None:
        return False
    conn.execute(tables.source_items.insert().values(
        source_id=source_id, key=item.key, url=item.url, title=item.title, published=item.published,
        payload=item.payload, state=PENDING, attempts=0, seen_at=now))
    return True


def _fail(conn: Connection, source_id: int, url: str, reason: str, at: dt.datetime) -> None:
    conn.execute(tables.source_failures.insert().values(source_id=source_id, url=url, reason=reason, at=at))


def _item_counts(conn: Connection, source_id: int | None = None) -> dict[int, dict[str, int]]:
    i = tables.source_items.c
    query = select(i.source_id, i.state, func.count()).group_by(i.source_id, i.state)
    if source_id is not None:
        query = query.where(i.source_id == source_id)
    counts: dict[int, dict[str, int]] = {}
    for sid, state, n in conn.execute(query):
        counts.setdefault(sid, {})[state] = n
    return counts

