"""The counts every page, the API and the report show, defined once.

An incident counts under the verdict that wins (an analyst's review over the automatic one).
A violation is attributed to the overall assessment's responsible party, else its perpetrator,
else "unattributed". A clause is counted for an incident only when the incident's winning verdict
is VIOLATION or DISPUTED and the clause is found violated (or maybe violated) under a reading: a
clause-level finding inside an UNVERIFIED incident is not a finding yet. The map, the agreement
page, the timeline, the periodic report and /api/v1 all call :func:`count` with the
:class:`~ceasefire.store.incident_query.IncidentQuery` they ask.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ceasefire.store import Store
from ceasefire.store.incident_query import IncidentQuery
from ceasefire.store.query import ANY_READING, UNATTRIBUTED, Cancel

__all__ = ["ANY_READING", "UNATTRIBUTED", "Counts", "count"]
NOT_ASSESSED = "NOT_ASSESSED"


@dataclass(frozen=True)
class Counts:
    """Incidents by winning verdict, violations by responsible party and by day, findings by clause."""

    verdicts: dict[str, int] = field(default_factory=dict)  # winning verdict (or NOT_ASSESSED) -> incidents
    parties: dict[str, int] = field(default_factory=dict)  # party (actor id, words, UNATTRIBUTED) -> violations
    days: dict[dt.date, dict[str, int]] = field(default_factory=dict)  # first day -> party -> violations
    clauses: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (clause, reading, verdict) -> incidents

    @property
    def incidents(self) -> int:
        return sum(self.verdicts.values())

    def verdict(self, verdict: str) -> int:
        return self.verdicts.get(verdict, 0)

    def clause(self, clause_id: str, verdict: str, reading: str = ANY_READING) -> int:
        """Incidents whose winning verdict is ``verdict`` that violate the clause (under ``reading``)."""
        return self.clauses.get((clause_id, reading, verdict), 0)


def count(store: Store, query: IncidentQuery, cancel: Cancel | None = None) -> Counts:
    """The counts of the incidents ``query`` asks for (see the module's docstring for what counts)."""
    verdicts = {(v or NOT_ASSESSED): n for v, n in store.verdict_totals(query, cancel).items()}
    days: dict[dt.date, dict[str, int]] = {}
    for day, party, n in store.violations_per_day(query, cancel):
        per_party = days.setdefault(day, {})
        per_party[party] = per_party.get(party, 0) + n
    clauses = {(clause, reading or "", verdict): n
               for clause, reading, verdict, n in store.findings_per_clause(query, cancel)}
    return Counts(verdicts=verdicts, parties=store.violations_per_party(query, cancel), days=days, clauses=clauses)
