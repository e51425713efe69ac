"""Which incidents a reader asked for, as SQL, and the limits every public read runs under.

:func:`matching` is the one place where an :class:`IncidentQuery` becomes SQL, and
:func:`published` the one place that decides what the public may see.

A read runs inside :func:`time_limit`: PostgreSQL's ``statement_timeout``, a progress handler
on SQLite, and a :class:`Cancel` the web server trips when the client goes away.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import CompoundSelect, Connection, Select, and_, func, literal, or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement

from ceasefire.errors import StoreError
from ceasefire.model import Incident, Verdict
from ceasefire.store import tables
from ceasefire.store.incident_query import IncidentQuery

MIN_PUBLIC_ORIGINS = 2  # independent origins a verdict needs to be public without an analyst
MAX_OFFSET = 10_000  # rows a page may skip; further pages continue from a cursor ("after")
READ_TIMEOUT = 10.0  # seconds a public read may run
FINDINGS = (Verdict.VIOLATION.value, Verdict.DISPUTED.value)  # the clause-level verdicts that count as findings
UNATTRIBUTED = "unattributed"  # a violation no party or perpetrator could be named for
ANY_READING = "*"  # in clause counts: each incident once per clause, whatever the reading
_SQLITE_CHECK_EVERY = 1000  # virtual machine steps between two looks at the clock


class QueryTimeout(StoreError):
    """A read ran past its time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"The query took longer than {seconds:g} s and was stopped. Ask for less at once: a "
                         "narrower date range, a smaller box or area, or a more specific filter; or try again "
                         "later.")


class QueryCancelled(StoreError):
    """A read was stopped because whoever asked for it went away."""

    def __init__(self) -> None:
        super().__init__("The query was cancelled: the client that asked for it disconnected.")


@dataclass(frozen=True)
class PageKey:
    """Where a page ends, in the list's order (newest first, then id): the next page starts after it."""

    earliest: dt.date
    id: str

    def __str__(self) -> str:
        return f"{self.earliest.isoformat()},{self.id}"


def published(automatic: ColumnElement[Any], reviewed: ColumnElement[Any],
              corroboration: ColumnElement[Any]) -> ColumnElement[bool]:
    """The publication rule: the public sees an incident when an analyst reviewed it, or when it
    has a verdict other than UNVERIFIED resting on at least two independent origins."""
    return or_(reviewed.is_not(None), and_(automatic.is_not(None), automatic != Verdict.UNVERIFIED.value,
                                           corroboration >= MIN_PUBLIC_ORIGINS))


def matching(query: IncidentQuery, *columns: Any, span: dt.timedelta, sqlite: bool) -> Select[Any]:
    """A select of ``columns`` (incident columns, or ``verdict``/``reviewed``/``public`` by those names)
    over the incidents ``query`` asks for, unordered.

    Args:
        span: the longest earliest..latest range of any incident, so ``since`` can use the date index.
        sqlite: the database is SQLite (whose planner needs a nudge with a box and dates).
    """
    i, r = tables.incidents, tables.reviews
    latest = select(r.c.incident_id, func.max(r.c.id).label("id")).group_by(r.c.incident_id).subquery()
    reviewed = select(r.c.incident_id, r.c.verdict).join(latest, latest.c.id == r.c.id).subquery()
    joined = i.outerjoin(reviewed, reviewed.c.incident_id == i.c.id)
    automatic: ColumnElement[Any] = i.c.verdict
    confidence: ColumnElement[Any] = i.c.confidence
    under = None
    if query.agreement:  # the verdict under this agreement: its overall assessment
        under = tables.assessments.alias("under")
        joined = joined.outerjoin(under, and_(under.c.incident_id == i.c.id, under.c.clause_id.is_(None),
                                              under.c.agreement_id == query.agreement))
        automatic, confidence = under.c.verdict, under.c.confidence
    verdict = func.coalesce(reviewed.c.verdict, automatic)
    named: dict[str, Any] = {"verdict": verdict.label("verdict"), "reviewed": reviewed.c.verdict.label("reviewed"),
                             "automatic": automatic.label("automatic"), "confidence": confidence.label("confidence"),
                             "public": published(automatic, reviewed.c.verdict, i.c.corroboration).label("public")}
    chosen: list[Any] = [named[c] if isinstance(c, str) else c for c in columns]
    stmt = select(*chosen).select_from(joined)
    conditions = [*_place(query, sqlite), *_time(query, span), *_labels(query, verdict)]
    if under is not None:  # judged under it, or not judged yet under any agreement
        a = tables.assessments.c
        conditions.append(or_(under.c.id.is_not(None), ~select(a.id).where(a.incident_id == i.c.id).exists()))
    if query.published_only:
        conditions.append(published(automatic, reviewed.c.verdict, i.c.corroboration))
    if query.unreviewed_only:
        conditions.append(reviewed.c.verdict.is_(None))
    return stmt.where(*conditions)


def _place(query: IncidentQuery, sqlite: bool) -> list[ColumnElement[bool]]:
    i = tables.incidents.c
    found: list[ColumnElement[bool]] = []
    if query.located_only:
        found.append(i.latitude.is_not(None))
    if query.bbox:
        west, south, east, north = query.bbox
        latitude: ColumnElement[Any] = i.latitude
        longitude: ColumnElement[Any] = i.longitude
        if query.since and sqlite:
            # "+ 0" keeps SQLite off the box index, which it prefers without statistics though
            # a month of dates is far narrower than a degree of latitude.
            latitude, longitude = latitude + 0, longitude + 0
        found += [longitude.between(west, east), latitude.between(south, north)]
    if query.areas or query.near:
        west, south, east, north = query.near or (0.0, 0.0, -1.0, -1.0)
        found.append(or_(i.area_id.in_(query.areas),
                         and_(i.longitude.between(west, east), i.latitude.between(south, north))))
    return found


def _time(query: IncidentQuery, span: dt.timedelta) -> list[ColumnElement[bool]]:
    i = tables.incidents.c
    found: list[ColumnElement[bool]] = []
    if query.since:
        # An incident starting more than the longest span before `since` cannot reach it: this
        # lower bound lets the date index do the work.
        found += [i.latest >= query.since, i.earliest >= query.since - min(span, query.since - dt.date.min)]
    if query.until:
        found.append(i.earliest <= query.until)
    return found


def _labels(query: IncidentQuery, verdict: ColumnElement[Any]) -> list[ColumnElement[bool]]:
    i, a, named = tables.incidents.c, tables.assessments.c, tables.incident_actors.c
    found: list[ColumnElement[bool]] = []
    if query.id:
        found.append(i.id == query.id)
    if query.event_type:
        found.append(or_(i.event_type == query.event_type, i.sub_event_type == query.event_type))
    if query.verdict:
        found.append(verdict == query.verdict)
    for actors in query.actor_sets:
        found.append(i.id.in_(select(named.incident_id).where(named.actor_id.in_(sorted(actors)))))
    if query.clause:
        found.append(i.id.in_(select(a.incident_id).where(a.clause_id == query.clause, a.verdict.in_(FINDINGS),
                                                          *_under(query, a))))
    if query.min_confidence is not None:
        found.append(i.confidence >= query.min_confidence)
    return found


def _under(query: IncidentQuery, a: Any) -> list[ColumnElement[bool]]:
    """Assessments of the query's agreement (all of them when it names none)."""
    return [a.agreement_id == query.agreement] if query.agreement else []


def incident_page(query: IncidentQuery, *, span: dt.timedelta, sqlite: bool, with_payload: bool = False,
                  after: PageKey | None = None, limit: int = 1000, offset: int = 0) -> Select[Any]:
    """One page of the map's list, newest first: cheap columns, the whole incident only when asked for."""
    i = tables.incidents.c
    columns = [i.id, i.latitude, i.longitude, i.earliest, i.latest, i.event_type, i.sub_event_type,
               i.corroboration, "confidence", i.place_name, i.perpetrator, "verdict", "reviewed", i.area_id,
               i.payload[("place", "geo_precision")].as_integer().label("geo_precision")]
    stmt = matching(query, *columns, *([i.payload] if with_payload else []), span=span, sqlite=sqlite)
    if after:
        stmt = stmt.where(or_(i.earliest < after.earliest, and_(i.earliest == after.earliest, i.id > after.id)))
    return stmt.order_by(i.earliest.desc(), i.id).limit(limit).offset(offset)


def _party(assessment: Any, *fallbacks: Any) -> ColumnElement[Any]:
    """The responsible party of an overall assessment (then each fallback), '' read as none."""
    steps = [func.nullif(assessment.payload[("responsibility", name)].as_string(), "")
             for name in ("party", *fallbacks)]
    return func.coalesce(*steps, UNATTRIBUTED)


def violations_per_day(query: IncidentQuery, *, span: dt.timedelta, sqlite: bool) -> Select[Any]:
    """(day, responsible party, count) of the matching incidents whose winning verdict is VIOLATION;
    the party is the overall assessment's party, else its perpetrator, else 'unattributed'."""
    i = tables.incidents.c
    found = matching(replace(query, verdict=Verdict.VIOLATION.value), i.id, i.earliest,
                     span=span, sqlite=sqlite).subquery()
    a = tables.assessments.alias("overall")
    party = _party(a.c, "perpetrator").label("party")
    return (select(found.c.earliest, party, func.count().label("n"))
            .select_from(found.outerjoin(a, and_(a.c.incident_id == found.c.id, a.c.clause_id.is_(None),
                                                 *_under(query, a.c))))
            .group_by(found.c.earliest, party))


def violations_per_party(query: IncidentQuery, *, span: dt.timedelta, sqlite: bool) -> Select[Any]:
    """(party, count) of the matching incidents whose winning verdict is VIOLATION; the party as
    :func:`violations_per_day` names it."""
    i = tables.incidents.c
    found = matching(replace(query, verdict=Verdict.VIOLATION.value), i.id, span=span,
                     sqlite=sqlite).subquery()
    a = tables.assessments.alias("overall")
    party = _party(a.c, "perpetrator").label("party")
    return (select(party, func.count().label("n"))
            .select_from(found.outerjoin(a, and_(a.c.incident_id == found.c.id, a.c.clause_id.is_(None),
                                                 *_under(query, a.c))))
            .group_by(party))


def verdict_totals(query: IncidentQuery, *, span: dt.timedelta, sqlite: bool) -> Select[Any]:
    """(winning verdict or None, count) of the matching incidents."""
    found = matching(query, tables.incidents.c.id, "verdict", span=span, sqlite=sqlite).subquery()
    return select(found.c.verdict, func.count().label("n")).group_by(found.c.verdict)


def findings_per_clause(query: IncidentQuery, *, span: dt.timedelta, sqlite: bool) -> CompoundSelect[Any]:
    """(clause, reading, winning verdict, count): the matching incidents whose winning verdict is
    VIOLATION or DISPUTED, per clause and reading they are found to violate (or may) under it; a
    clause found violated only in an UNVERIFIED or overruled incident is not counted. The reading
    is ``ANY_READING`` in the rows counting each incident once per clause, whatever the readings."""
    found = matching(query, tables.incidents.c.id, "verdict", span=span, sqlite=sqlite).subquery()
    a = tables.assessments.c
    finding = and_(found.c.id == a.incident_id, a.clause_id.is_not(None), a.verdict.in_(FINDINGS),
                   found.c.verdict.in_(FINDINGS), *_under(query, a))
    per_reading = (select(a.clause_id, a.reading_id, found.c.verdict, func.count(func.distinct(a.incident_id))
                          .label("n")).join(found, finding).group_by(a.clause_id, a.reading_id, found.c.verdict))
    per_clause = (select(a.clause_id, literal(ANY_READING).label("reading_id"), found.c.verdict,
                         func.count(func.distinct(a.incident_id)).label("n"))
                  .join(found, finding).group_by(a.clause_id, found.c.verdict))
    return per_reading.union_all(per_clause)


def incident_actor_rows(incidents: list[Incident]) -> list[dict[str, str]]:
    """The ``incident_actors`` rows of these incidents: each pack actor an incident names, once."""
    return [{"incident_id": incident.id, "actor_id": actor}
            for incident in incidents for actor in sorted({a.actor_id for a in incident.actors if a.actor_id})]


# -- time limits and cancellation --------------------------------------------------------------


class Cancel:
    """Trips a running read from another thread: the web server does when the client leaves."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self._stop: Callable[[], None] | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()
        with self._lock:
            if self._stop is not None:
                self._stop()

    def _attach(self, stop: Callable[[], None] | None) -> None:
        with self._lock:  # never stop a connection after its read has ended: it may serve another
            self._stop = stop


@contextmanager
def time_limit(conn: Connection, seconds: float, cancel: Cancel | None = None) -> Iterator[None]:
    """Run the statements of the block for at most ``seconds`` each (PostgreSQL) or in all
    (SQLite), and stop them when ``cancel`` is tripped.

    Raises:
        QueryTimeout: a statement ran past the limit.
        QueryCancelled: ``cancel`` was tripped.
    """
    raw: Any = conn.connection.driver_connection
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, round(seconds * 1000))}")
    else:
        deadline = time.monotonic() + seconds
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline or bool(cancel and cancel.cancelled)),
                                 _SQLITE_CHECK_EVERY)
    try:
        if cancel is not None:
            cancel._attach(raw.cancel_safe if postgres else None)
            if cancel.cancelled:
                raise QueryCancelled()
        yield
    except DBAPIError as exc:
        if not _stopped(exc, postgres):
            raise
        if cancel is not None and cancel.cancelled:
            raise QueryCancelled() from exc
        raise QueryTimeout(seconds) from exc
    finally:
        if cancel is not None:
            cancel._attach(None)
        if not postgres:
            raw.set_progress_handler(None, 0)


def _stopped(exc: DBAPIError, postgres: bool) -> bool:
    if postgres:
        return getattr(exc.orig, "sqlstate", None) == "57014"  # query_canceled: timeout or cancel request
    return "interrupted" in str(exc.orig)
