"""Subscriptions to an incident query, the incident changes they are told of, the alerts made
from them and their deliveries.

Changes are found from stored state, not inside the stages: :meth:`Subscriptions.detect_changes`
compares each incident's winning verdict and visibility with the state it last saw, records a
change for each difference and remembers the new state, in one transaction. Each subscription
keeps a cursor over the changes, and an alert is unique per (subscription, change); a delivery
claims its alerts before anything is sent, so an alert leaves at most once per channel, whatever
restarts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from ceasefire.errors import NotFound
from ceasefire.store import tables
from ceasefire.store.engine import Database
from ceasefire.store.incident_query import IncidentQuery
from ceasefire.store.query import matching

CHANNELS = ("webhook", "email")


@dataclass(frozen=True)
class Subscription:
    """Who is told of which incidents, and how. The filters are the user's words, resolved with
    ``store.incident_query.ask`` each time they are used."""

    id: int
    name: str
    owner: str | None
    area: str | None
    party: str | None
    clause: str | None
    verdict: str | None
    min_confidence: float | None
    published_only: bool
    webhook_url: str | None
    webhook_secret: str | None
    email: str | None
    feed_token: str
    checked_seq: int
    created_at: dt.datetime


@dataclass(frozen=True)
class IncidentChange:
    """An incident that appeared (``new``), whose winning verdict changed (``verdict``), or that
    became visible to the public with the same verdict (``published``)."""

    seq: int
    incident_id: str
    kind: str
    before: str | None
    after: str | None
    public: bool
    at: dt.datetime


@dataclass(frozen=True)
class Alert:
    id: int
    subscription_id: int
    change: IncidentChange
    created_at: dt.datetime


@dataclass(frozen=True)
class Delivery:
    id: int
    subscription_id: int
    channel: str
    alerts: int
    status: str  # sending, delivered, failed
    attempts: int
    detail: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None


class Subscriptions(Database):
    def add_subscription(self, values: dict[str, Any]) -> Subscription:
        """Store a subscription (the columns of ``subscriptions`` but id, checked_seq and
        created_at); it is told of the changes found after now."""
        with self._connect("add a subscription") as conn:
            latest = conn.execute(select(func.coalesce(func.max(tables.incident_changes.c.seq), 0))).scalar_one()
            row = values | {"checked_seq": latest, "created_at": dt.datetime.now(dt.UTC)}
            new_id = conn.execute(tables.subscriptions.insert().values(**row)
                                  .returning(tables.subscriptions.c.id)).scalar_one()
        return self.subscription(int(new_id))

    def subscriptions(self, owner: str | None = None) -> list[Subscription]:
        """Every subscription (those of ``owner`` when given), oldest first."""
        s = tables.subscriptions
        stmt = select(s).order_by(s.c.id)
        if owner is not None:
            stmt = stmt.where(s.c.owner == owner)
        with self._connect("read subscriptions") as conn:
            return [Subscription(**row._mapping) for row in conn.execute(stmt)]

    def subscription(self, subscription_id: int | None = None, *, feed_token: str | None = None) -> Subscription:
        """One subscription, by id or by the token of its feed.

        Raises:
            NotFound: no such subscription.
        """
        s = tables.subscriptions
        where = s.c.id == subscription_id if feed_token is None else s.c.feed_token == feed_token
        with self._connect("read a subscription") as conn:
            row = conn.execute(select(s).where(where)).first()
        if row is None:
            raise NotFound(f"No subscription {subscription_id or 'with that feed'}. List them with "
                           "`ceasefire subscriptions`.")
        return Subscription(**row._mapping)

    def remove_subscription(self, subscription_id: int, owner: str | None = None) -> None:
        """Remove a subscription (only one of ``owner``'s, when given), its alerts and deliveries.

        Raises:
            NotFound: no such subscription (of that owner).
        """
        s = tables.subscriptions
        found = self.subscription(subscription_id)
        if owner is not None and found.owner != owner:
            raise NotFound(f"You have no subscription {subscription_id}.")
        with self._connect("remove a subscription") as conn:
            conn.execute(tables.alerts.delete().where(tables.alerts.c.subscription_id == subscription_id))
            conn.execute(tables.deliveries.delete().where(tables.deliveries.c.subscription_id == subscription_id))
            conn.execute(s.delete().where(s.c.id == subscription_id))

    # -- changes ---------------------------------------------------------------------------

    def detect_changes(self, now: dt.datetime | None = None) -> list[IncidentChange]:
        """Record a change for every incident whose winning verdict or visibility differs from the
        state last seen (or that was never seen), and remember the new state. Running it again
        with nothing changed records nothing.

        Returns:
            The changes recorded, oldest first.
        """
        now = now or dt.datetime.now(dt.UTC)
        i, st = tables.incidents.c, tables.incident_states
        current = matching(IncidentQuery(), i.id.label("incident_id"), "verdict", "public",
                           span=dt.timedelta(0), sqlite=self.engine.dialect.name == "sqlite").subquery()
        differs = or_(st.c.incident_id.is_(None), st.c.verdict.is_distinct_from(current.c.verdict),
                      st.c.public != current.c.public)
        stmt = (select(current.c.incident_id, current.c.verdict, current.c.public, st.c.incident_id.label("known"),
                       st.c.verdict.label("was"), st.c.public.label("was_public"))
                .select_from(current.outerjoin(st, st.c.incident_id == current.c.incident_id))
                .where(differs).order_by(current.c.incident_id))
        with self._connect("detect incident changes", lock=True) as conn:
            rows = conn.execute(stmt).all()
            if not rows:
                return []
            first = conn.execute(select(func.coalesce(func.max(tables.incident_changes.c.seq), 0))).scalar_one() + 1
            changes = [{"seq": first + n, "incident_id": r.incident_id, "kind": _kind(r), "before": r.was,
                        "after": r.verdict, "public": bool(r.public), "at": now} for n, r in enumerate(rows)]
            conn.execute(tables.incident_changes.insert(), changes)
            known = [r.incident_id for r in rows if r.known is not None]
            if known:
                conn.execute(st.delete().where(st.c.incident_id.in_(known)))
            conn.execute(st.insert(), [{"incident_id": r.incident_id, "verdict": r.verdict, "public": bool(r.public)}
                                       for r in rows])
        return [IncidentChange(**c) for c in changes]

    def changes(self, *, after_seq: int = 0, since: dt.datetime | None = None, public_only: bool = False,
                newest_first: bool = False, limit: int = 10_000) -> list[IncidentChange]:
        """Recorded changes after ``after_seq`` (at or after ``since``; only those leaving the
        incident public, with ``public_only``), oldest first unless ``newest_first``."""
        c = tables.incident_changes
        stmt = select(c).where(c.c.seq > after_seq).order_by(c.c.seq.desc() if newest_first else c.c.seq).limit(limit)
        if since is not None:
            stmt = stmt.where(c.c.at >= since)
        if public_only:
            stmt = stmt.where(c.c.public.is_(True))
        with self._connect("read incident changes") as conn:
            return [IncidentChange(**row._mapping) for row in conn.execute(stmt)]

    def matching_ids(self, query: IncidentQuery, incident_ids: list[str]) -> set[str]:
        """Which of these incidents ``query`` asks for (as `incidents list` would find them)."""
        i = tables.incidents.c
        found: set[str] = set()
        for start in range(0, len(incident_ids), 500):
            stmt = matching(query, i.id, span=dt.timedelta(0), sqlite=self.engine.dialect.name == "sqlite")
            with self._connect("match incidents to a subscription") as conn:
                found |= set(conn.execute(stmt.where(i.id.in_(incident_ids[start:start + 500]))).scalars())
        return found

    # -- alerts and deliveries -------------------------------------------------------------

    def record_alerts(self, subscription_id: int, seqs: list[int], checked_seq: int) -> int:
        """Make an alert for each change (once: an alert made before is kept) and move the
        subscription's cursor to ``checked_seq``, in one transaction.

        Returns:
            How many alerts are new.
        """
        a, s = tables.alerts, tables.subscriptions
        now = dt.datetime.now(dt.UTC)
        with self._connect("record alerts") as conn:
            made = 0
            if seqs:
                stmt = self._insert(a).values([{"subscription_id": subscription_id, "change_seq": seq,
                                                "created_at": now} for seq in seqs])
                made = len(conn.execute(stmt.on_conflict_do_nothing(
                    index_elements=["subscription_id", "change_seq"]).returning(a.c.id)).all())
            conn.execute(s.update().where(s.c.id == subscription_id, s.c.checked_seq < checked_seq)
                         .values(checked_seq=checked_seq))
        return int(made)

    def alerts(self, subscription_id: int, *, pending: str | None = None, limit: int = 1000) -> list[Alert]:
        """The alerts of a subscription, newest first; with ``pending`` (a channel), only those
        not yet claimed by a delivery on it, oldest first."""
        a, c = tables.alerts, tables.incident_changes
        stmt = select(a.c.id, a.c.subscription_id, a.c.created_at, c).join(c, c.c.seq == a.c.change_seq).where(
            a.c.subscription_id == subscription_id)
        if pending:
            stmt = stmt.where(_delivery_column(pending).is_(None)).order_by(a.c.id)
        else:
            stmt = stmt.order_by(a.c.id.desc())
        with self._connect("read alerts") as conn:
            return [_alert(row) for row in conn.execute(stmt.limit(limit))]

    def claim_delivery(self, subscription_id: int, channel: str, alert_ids: list[int]) -> tuple[int, list[int]]:
        """Start a delivery on ``channel`` and claim for it those of ``alert_ids`` no delivery has
        claimed yet (all in one transaction), so they are never sent again.

        Returns:
            (the delivery's id, the alerts it claimed).
        """
        a, d = tables.alerts, tables.deliveries
        column = _delivery_column(channel)
        with self._connect("start a delivery", lock=True) as conn:
            free = list(conn.execute(select(a.c.id).where(a.c.id.in_(alert_ids), column.is_(None))
                                     .order_by(a.c.id)).scalars())
            delivery = conn.execute(d.insert().values(
                subscription_id=subscription_id, channel=channel, alerts=len(free), status="sending", attempts=0,
                started_at=dt.datetime.now(dt.UTC)).returning(d.c.id)).scalar_one()
            if free:
                conn.execute(a.update().where(a.c.id.in_(free)).values({column.name: delivery}))
        return int(delivery), free

    def finish_delivery(self, delivery_id: int, *, delivered: bool, attempts: int, detail: str) -> None:
        d = tables.deliveries
        with self._connect("record a delivery") as conn:
            conn.execute(d.update().where(d.c.id == delivery_id).values(
                status="delivered" if delivered else "failed", attempts=attempts, detail=detail[:1000],
                finished_at=dt.datetime.now(dt.UTC)))

    def deliveries(self, subscription_id: int | None = None, limit: int = 100) -> list[Delivery]:
        """Deliveries, newest first (of one subscription when given)."""
        d = tables.deliveries
        stmt = select(d).order_by(d.c.id.desc()).limit(limit)
        if subscription_id is not None:
            stmt = stmt.where(d.c.subscription_id == subscription_id)
        with self._connect("read deliveries") as conn:
            return [Delivery(**row._mapping) for row in conn.execute(stmt)]


def _kind(row: Any) -> str:
    if row.known is None:
        return "new"
    return "verdict" if row.was != row.verdict else "published"


def _delivery_column(channel: str) -> Any:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return tables.alerts.c[f"{channel}_delivery"]


def _alert(row: Any) -> Alert:
    change = IncidentChange(seq=row.seq, incident_id=row.incident_id, kind=row.kind, before=row.before,
                            after=row.after, public=bool(row.public), at=row.at)
    return Alert(id=row.id, subscription_id=row.subscription_id, change=change, created_at=row.created_at)


__all__ = ["CHANNELS", "Alert", "Delivery", "IncidentChange", "Subscription", "Subscriptions"]
