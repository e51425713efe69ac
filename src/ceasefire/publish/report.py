"""A periodic monitoring report, in the manner of a monitoring mission's daily report: headline
counts against the previous period of the same length, a map and a daily chart, tables per
clause, party and area, notable and disputed incidents with their reasons and sources, what the
period's reporting did not cover, and the ledger checkpoint it was built from.

``build_report`` gathers the figures from a store; ``render.py`` writes them as HTML, Markdown or PDF.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ceasefire.errors import PublishError
from ceasefire.model import AgreementPack, Area, Assessment, Verdict
from ceasefire.publish.codes import event_day
from ceasefire.publish.counts import UNATTRIBUTED, Counts, count
from ceasefire.publish.palette import PRECISION_KM
from ceasefire.store import Store, StoredIncident
from ceasefire.store.incident_query import IncidentQuery

NOTABLE = 10  # violations shown in full, most fatalities first
COVERAGE_KINDS = ("country", "governorate", "region", "district")  # areas too small are not listed


@dataclass(frozen=True)
class Change:
    """A count this period beside the previous period's."""

    label: str
    now: int
    before: int

    @property
    def delta(self) -> str:
        return f"{self.now - self.before:+d}"


@dataclass(frozen=True)
class Finding:
    """One incident as the report shows it: facts, verdict, reasons and sources."""

    id: str
    day: dt.date
    what: str
    place: str
    verdict: str
    confidence: float | None
    party: str
    fatalities: int | None
    reasons: list[str]  # the overall assessment's reasons as lines, then the analyst's
    sources: list[str]
    reports: list[str]
    depends_on: str | None = None
    reviewed: bool = False


@dataclass(frozen=True)
class Point:
    """An incident on the map."""

    latitude: float
    longitude: float
    verdict: str
    uncertainty_km: float = 0.0  # how far the real place may be: 0 for an exact place, else drawn as an area


@dataclass
class Coverage:
    days_without_reports: list[dt.date] = field(default_factory=list)
    areas_without_reports: list[str] = field(default_factory=list)
    reports_per_day: dict[dt.date, int] = field(default_factory=dict)


@dataclass
class PeriodReport:
    """Everything one monitoring report shows; plain values, ready for a template."""

    agreement_id: str
    agreement_title: str
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    built_at: dt.datetime
    totals: list[Change]
    by_type: list[Change]
    by_party: list[Change]
    daily: dict[str, dict[dt.date, int]]  # party -> day -> violations
    clauses: list[dict[str, Any]]
    parties: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    notable: list[Finding]
    disputed: list[Finding]
    coverage: Coverage
    points: list[Point]
    checkpoint: dict[str, Any] | None
    ledger_head: dict[str, Any] | None
    tallies: list[dict[str, Any]] = field(default_factory=list)  # counters' tallies beside verified incidents

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def build_report(store: Store, pack: AgreementPack, start: dt.date, end: dt.date) -> PeriodReport:
    """Gather a report of the incidents whose event day falls in ``start``..``end`` (inclusive).

    Raises:
        PublishError: the period ends before it starts.
    """
    if end < start:
        raise PublishError(f"The report period ends ({end}) before it starts ({start}). Swap --from and --to.")
    length = end - start + dt.timedelta(days=1)
    previous_start, previous_end = start - length, start - dt.timedelta(days=1)
    # The same question the map and the API ask: incidents whose dates overlap the period.
    asked, asked_before = (IncidentQuery(since=start, until=end, agreement=pack.agreement.id),
                           IncidentQuery(since=previous_start, until=previous_end, agreement=pack.agreement.id))
    now, before = store.incidents(asked), store.incidents(asked_before)
    counted, counted_before = count(store, asked), count(store, asked_before)
    assessed = {s.incident.id: store.assessments(s.incident.id, pack.agreement.id) for s in now}
    parties = {s.incident.id: _party(s, assessed[s.incident.id], pack) for s in now}
    violations_now = [s for s in now if s.verdict == Verdict.VIOLATION]
    violations_before = [s for s in before if s.verdict == Verdict.VIOLATION]
    head = store.ledger_head()
    last = store.checkpoints()[-1:]
    return PeriodReport(
        agreement_id=pack.agreement.id, agreement_title=pack.agreement.title, start=start, end=end,
        previous_start=previous_start, previous_end=previous_end, built_at=dt.datetime.now(dt.UTC),
        totals=_totals(counted, counted_before, now, before),
        by_type=_changes(Counter(s.incident.sub_event_type or "unknown" for s in violations_now),
                         Counter(s.incident.sub_event_type or "unknown" for s in violations_before)),
        by_party=_changes(_named(counted.parties, pack), _named(counted_before.parties, pack)),
        daily=_daily(counted, pack),
        clauses=_clause_table(counted, pack), parties=_party_table(now, parties),
        areas=_area_table(now, pack),
        notable=[_finding(s, assessed[s.incident.id], parties, pack) for s in sorted(
            violations_now, key=lambda s: (-_deaths(s), -(s.confidence or 0), s.incident.id))[:NOTABLE]],
        disputed=[_finding(s, assessed[s.incident.id], parties, pack) for s in now if s.verdict == Verdict.DISPUTED],
        coverage=_coverage(store, pack, start, end),
        points=[_point(s, pack) for s in now if s.incident.place],
        checkpoint={k: getattr(last[0], k) for k in ("id", "size", "root", "at", "signer")} if last else None,
        ledger_head={"seq": head.seq, "hash": head.hash} if head else None,
        tallies=_tally_table(store, pack, start, end))


def _tally_table(store: Store, pack: AgreementPack, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The store's tally comparison for the period, as published (no observer's own counts), with pack names."""
    def name(actor: str | None) -> str:
        return pack.actors[actor].name if actor in pack.actors else actor or ""

    return [{"period": f"{row.period_end}" + (f", counts from {row.period_start}" if row.period_end != row.period_start
                                               else ""),
             "area": row.area or "whole agreement area",
             "claimed": "; ".join(f"{name(f.counter)}: {f.count} {f.counted}" + (f", blaming {name(f.blamed)}"
                                                                               if f.blamed else "")
                                  for f in row.party_figures) or "none",
             "monitor": row.monitor_count, "verified": row.verified}
            for row in store.tally_comparison(since=start, until=end, agreement=pack.agreement.id, public=True)]


def _named(parties: dict[str, int], pack: AgreementPack) -> Counter[str]:
    return Counter({_name(p, pack): n for p, n in parties.items()})


def _name(actor: str, pack: AgreementPack) -> str:
    return pack.actors[actor].name if actor in pack.actors else actor


def _point(stored: StoredIncident, pack: AgreementPack) -> Point:
    place = stored.incident.place
    assert place is not None
    area = pack.areas.get(place.area_id or "")
    precision = max(place.geo_precision, 3 if area and area.kind == "country" else 1)
    far = 0.0 if precision == 1 else area.radius_km if area else PRECISION_KM[precision]
    return Point(place.latitude, place.longitude, stored.verdict or "not assessed", far)


def _party(stored: StoredIncident, assessments: list[Assessment], pack: AgreementPack) -> str:
    """The party responsible under the overall assessment, else its perpetrator, by name (as counted)."""
    overall = next((a for a in assessments if a.clause_id is None), None)
    responsible = overall.responsibility.party or overall.responsibility.perpetrator if overall else None
    return _name(responsible, pack) if responsible else UNATTRIBUTED


def _deaths(stored: StoredIncident) -> int:
    return stored.incident.fatalities.low if stored.incident.fatalities else 0


def _totals(now: Counts, before: Counts, incidents_now: list[StoredIncident],
            incidents_before: list[StoredIncident]) -> list[Change]:
    rows = [Change("incidents", now.incidents, before.incidents)]
    for verdict in Verdict:
        rows.append(Change(verdict.value, now.verdict(verdict), before.verdict(verdict)))
    rows.append(Change("fatalities in violations (lowest figures)",
                       sum(_deaths(s) for s in incidents_now if s.verdict == Verdict.VIOLATION),
                       sum(_deaths(s) for s in incidents_before if s.verdict == Verdict.VIOLATION)))
    return rows


def _changes(now: Counter[str], before: Counter[str]) -> list[Change]:
    labels = sorted(set(now) | set(before), key=lambda label: (-now[label], -before[label], label))
    return [Change(label, now[label], before[label]) for label in labels]


def _daily(counted: Counts, pack: AgreementPack) -> dict[str, dict[dt.date, int]]:
    daily: dict[str, dict[dt.date, int]] = {}
    for day, parties in counted.days.items():
        for party, n in parties.items():
            per_day = daily.setdefault(_name(party, pack), {})
            per_day[day] = per_day.get(day, 0) + n
    return daily


def _clause_table(counted: Counts, pack: AgreementPack) -> list[dict[str, Any]]:
    """Per clause: incidents found to violate it (verdict VIOLATION) and disputed ones, each once."""
    return [{"id": clause.id, "title": clause.title, "violated": counted.clause(clause.id, Verdict.VIOLATION),
             "disputed": counted.clause(clause.id, Verdict.DISPUTED),
             "readings": {r.id: counted.clause(clause.id, Verdict.VIOLATION, r.id) for r in clause.readings}}
            for clause in pack.agreement.clauses]


def _party_table(now: list[StoredIncident], parties: dict[str, str]) -> list[dict[str, Any]]:
    table: dict[str, Counter[str]] = {}
    for stored in now:
        table.setdefault(parties[stored.incident.id], Counter())[stored.verdict or "not assessed"] += 1
    return [{"party": party, "incidents": sum(counts.values()), **{v.value: counts[v.value] for v in Verdict}}
            for party, counts in sorted(table.items(), key=lambda item: (-item[1][Verdict.VIOLATION],
                                                                          -sum(item[1].values()), item[0]))]


def _area_table(now: list[StoredIncident], pack: AgreementPack) -> list[dict[str, Any]]:
    table: dict[str, Counter[str]] = {}
    for stored in now:
        place = stored.incident.place
        area = pack.areas.get(place.area_id or "") if place else None
        name = area.name if area else (place.admin1 or place.name) if place else "no place given"
        counts = table.setdefault(name, Counter())
        counts[stored.verdict or "not assessed"] += 1
        counts["fatalities"] += _deaths(stored) if stored.verdict == Verdict.VIOLATION else 0
        counts["incidents"] += 1
    return [{"area": name, "incidents": counts["incidents"], "violations": counts[Verdict.VIOLATION.value],
             "disputed": counts[Verdict.DISPUTED.value], "fatalities": counts["fatalities"]}
            for name, counts in sorted(table.items(), key=lambda item: (-item[1][Verdict.VIOLATION.value],
                                                                         -item[1]["incidents"], item[0]))]


def _finding(stored: StoredIncident, assessments: list[Assessment], parties: dict[str, str],
             pack: AgreementPack) -> Finding:
    incident = stored.incident
    overall = next((a for a in assessments if a.clause_id is None), None)
    depends = sorted({a.depends_on for a in assessments if a.depends_on})
    return Finding(
        id=incident.id, day=event_day(incident.date), what=incident.sub_event_type or incident.event_type or "event",
        place=incident.place.name if incident.place else "no place given", verdict=stored.verdict or "not assessed",
        confidence=stored.confidence, party=parties[incident.id],
        fatalities=incident.fatalities.low if incident.fatalities else None,
        reasons=[r.text for r in (overall.reasons if overall else [])] + (
            [f"Analyst {stored.review.reviewer}: {stored.review.reason}"] if stored.review else []),
        sources=[f"{o.label} ({o.reliability.value})" for o in incident.origins],
        reports=sorted({ref.report_sha256[:12] for ref in incident.claims}),
        depends_on="; ".join(depends) or None, reviewed=stored.review is not None)


def _coverage(store: Store, pack: AgreementPack, start: dt.date, end: dt.date) -> Coverage:
    """Days no report was published, and areas no claim of the period was placed in: no reports is
    not the same as no violations."""
    per_day = store.publication_days(start, end)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    places = store.claim_places(start, end)
    within = _descendants(pack)
    quiet = [area.name for area in pack.areas.values() if area.kind in COVERAGE_KINDS
             and not any(_inside(area, within[area.id], p) for p in places)]
    return Coverage(days_without_reports=[d for d in days if d not in per_day], areas_without_reports=sorted(quiet),
                    reports_per_day=per_day)


def _descendants(pack: AgreementPack) -> dict[str, set[str]]:
    """Each area's id with the ids of every area inside it (through ``parent``)."""
    found: dict[str, set[str]] = {area_id: {area_id} for area_id in pack.areas}
    for area in pack.areas.values():
        seen, parent = set(), area.parent
        while parent and parent in found and parent not in seen:
            seen.add(parent)
            found[parent].add(area.id)
            parent = pack.areas[parent].parent
    return found


def _inside(area: Area, ids: set[str], place: tuple[str | None, float, float]) -> bool:
    area_id, latitude, longitude = place
    return area_id in ids or _km(area.latitude, area.longitude, latitude, longitude) <= area.radius_km


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
