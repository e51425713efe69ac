"""Claims from reports that arrive already coded (ACLED rows): no text analysis, only mapping."""

from __future__ import annotations

import datetime as dt

from ceasefire.extract.lexicon import Lexicon
from ceasefire.model import Casualties, Claim, ClaimActor, ClaimDate, ClaimKind, ClaimPlace, Evidence, Report, Role

# ACLED time_precision -> days either side of event_date
TIME_SPREAD = {1: 0, 2: 3, 3: 15}


def acled_claim(report: Report, lexicon: Lexicon) -> Claim:
    """One event claim from an ACLED row; every field's evidence is the row's notes."""
    row = report.structured or {}
    whole = Evidence(start=0, end=len(report.text), text=report.text)
    day = dt.date.fromisoformat(row["event_date"])
    spread = dt.timedelta(days=TIME_SPREAD.get(row.get("time_precision") or 1, 0))
    actors = [_actor(row.get(column) or "", role, lexicon, whole)
              for column, role in (("actor1", Role.PERPETRATOR), ("actor2", Role.TARGET)) if row.get(column)]
    fatalities = None
    if row.get("fatalities") is not None:
        fatalities = Casualties(evidence=whole, low=row["fatalities"], best=row["fatalities"], high=row["fatalities"],
                                qualifier="ACLED")
    return Claim(
        report_sha256=report.sha256, index=0, kind=ClaimKind.EVENT, sentence=whole,
        event_type=row["event_type"], sub_event_type=row["sub_event_type"],
        tags=[t.strip() for t in (row.get("tags") or "").split(";") if t.strip()],
        date=ClaimDate(evidence=whole, earliest=day - spread, latest=day + spread,
                       time_precision=row.get("time_precision") or 1),
        place=ClaimPlace(evidence=whole, name=row["location"], latitude=row["latitude"], longitude=row["longitude"],
                         admin1=row.get("admin1") or None, country=None,
                         geo_precision=row.get("geo_precision") or 1),
        actors=actors, fatalities=fatalities)


def _actor(name: str, role: Role, lexicon: Lexicon, whole: Evidence) -> ClaimActor:
    # ACLED names actors like "Military Forces of Syria (2000-)": try it whole, then without the dates.
    match = lexicon.actor(name) or lexicon.actor(name.split(" (")[0])
    if match is None:
        return ClaimActor(role=role, evidence=whole)
    return ClaimActor(role=role, evidence=whole, actor_id=match.actor_id, side=match.side)
