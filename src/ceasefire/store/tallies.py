"""Tallies beside verified incidents: per period and area, each counter's claimed count, the
monitor's own count, and the incidents the system could verify (issue 16).

:meth:`Tallies.tally_comparison` is the one definition of the comparison; the web page, the
API and the periodic report only show it. A tally's area is the region (``admin1``) its place
lies in, or the whole agreement area when it names none; incidents are counted when their whole
date range lies inside the tally's period and, for a region, when they lie in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, func, or_, select

from ceasefire.model import Claim, ClaimActor, ClaimKind, ClaimRef, ReportFormat
from ceasefire.store import tables
from ceasefire.store.engine import Database
from ceasefire.store.incident_query import IncidentQuery
from ceasefire.store.query import matching

WHOLE_AREA = ""  # the area key of tallies that name no region
DAY_SPAN = 1  # days: a count for a day, or for the 24 hours up to one, is that day's


@dataclass(frozen=True)
class TallyFigure:
    """One counter's count, with the words it rests on."""

    ref: ClaimRef
    counter: str  # the counter's pack actor id, or its words
    count: int
    counted: str  # "violations", "explosions", ...
    blamed: str | None  # the blamed party's actor id, side or words
    by_monitor: bool
    words: str  # the words of the count ("15 violations by the rebels")
    period_start: dt.date
    period_end: dt.date
    area: str = WHOLE_AREA  # the region the count is for


@dataclass(frozen=True)
class TallyRow:
    """One period and area: every counter's figure beside the incidents found there."""

    period_start: dt.date
    period_end: dt.date
    area: str  # a region (admin1) name, or WHOLE_AREA
    figures: list[TallyFigure] = field(default_factory=list)
    incidents: int = 0  # incidents dated inside the period, in the area
    verified: int = 0  # of those, the ones the publication rule lets the public see

    @property
    def monitor_count(self) -> int | None:
        """The monitor's own count (summed over its figures), or None when it gave none."""
        own = [f.count for f in self.figures if f.by_monitor]
        return sum(own) if own else None

    @property
    def party_figures(self) -> list[TallyFigure]:
        return [f for f in self.figures if not f.by_monitor]


class Tallies(Database):
    def tally_comparison(self, *, since: dt.date | None = None, until: dt.date | None = None,
                         agreement: str | None = None, public: bool = False) -> list[TallyRow]:
        """Rows of tallies whose period ends in ``since``..``until``, newest first, each with the
        incidents of its period and area. ``agreement``: only the tallies of that agreement's reports
        (and of reports ingested for none), incidents judged under it; ``public``: no counts from
        observers' own reports."""
        c, r = tables.claims, tables.reports
        stmt = select(c.c.payload, r.c.format).join(r, r.c.id == c.c.report_id).where(c.c.kind == ClaimKind.TALLY.value)
        if since is not None:  # a row belongs to the day its period ends ("the past 24 hours" up to it)
            stmt = stmt.where(c.c.latest >= since)
        if until is not None:
            stmt = stmt.where(c.c.latest <= until)
        if agreement is not None:
            stmt = stmt.where(or_(r.c.agreement_id == agreement, r.c.agreement_id.is_(None)))
        with self._connect("read tallies") as conn:
            claims = [Claim.model_validate(row.payload) for row in conn.execute(stmt)
                      if not (public and row.format == ReportFormat.OBSERVER.value)]
        rows = []
        sqlite = self.engine.dialect.name == "sqlite"
        with self._connect("count incidents beside tallies") as conn:
            for row in _rows(claims):
                every, verified = (conn.execute(_incidents_inside(row, agreement, published, sqlite)).scalar_one()
                                   for published in (False, True))
                rows.append(replace(row, incidents=int(every), verified=int(verified)))
        return sorted(rows, key=lambda t: (t.period_end, t.period_start, t.area), reverse=True)


def _rows(claims: Iterable[Claim]) -> list[TallyRow]:
    """Figures grouped by day (a count for one day, or for the 24 hours up to it, belongs to the day
    it ends) or by longer period, and by area; a row for the whole area also shows the monitor's
    regional counts of its day, so that parties' nationwide figures stand beside them."""
    groups: dict[tuple[dt.date | None, dt.date, str], list[TallyFigure]] = defaultdict(list)
    for claim in claims:
        tally = claim.tally
        if tally is None:
            continue
        area = claim.place.admin1 if claim.place is not None and claim.place.admin1 else WHOLE_AREA
        short = (tally.period_end - tally.period_start).days <= DAY_SPAN
        groups[(None if short else tally.period_start, tally.period_end, area)].append(TallyFigure(
            ref=ClaimRef(report_sha256=claim.report_sha256, index=claim.index),
            counter=_named(tally.counted_by) or "unattributed", count=tally.count, counted=tally.counted,
            blamed=_named(tally.blamed), by_monitor=tally.by_monitor, words=tally.evidence.text, area=area,
            period_start=tally.period_start, period_end=tally.period_end))
    for (first, last, area), found in list(groups.items()):
        if area == WHOLE_AREA:
            found += [f for (f0, l0, a), more in groups.items() if (f0, l0) == (first, last) and a != WHOLE_AREA
                      for f in more if f.by_monitor]
    return [TallyRow(min(f.period_start for f in found), last, area, sorted(found, key=lambda f: (f.by_monitor,
                                                                                                   f.counter, f.area)))
            for (_, last, area), found in groups.items()]


def _named(actor: ClaimActor | None) -> str | None:
    if actor is None:
        return None
    return actor.actor_id or actor.name or (actor.side.value if actor.side.value != "unknown" else actor.evidence.text)


def _incidents_inside(row: TallyRow, agreement: str | None, published_only: bool, sqlite: bool) -> Select[Any]:
    """How many incidents lie wholly inside the row's period and in its area (under the agreement's
    verdicts; with ``published_only``, those the publication rule lets the public see)."""
    i = tables.incidents.c
    asked = IncidentQuery(since=row.period_start, until=row.period_end, agreement=agreement,
                          published_only=published_only)
    # span 0: only incidents starting inside the period are wanted, which is what the index bound gives
    stmt = matching(asked, func.count(), span=dt.timedelta(0), sqlite=sqlite).where(i.latest <= row.period_end)
    return stmt.where(i.admin1 == row.area) if row.area != WHOLE_AREA else stmt
