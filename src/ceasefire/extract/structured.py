"""Claims from reports that arrive already coded (ACLED rows): no text analysis, only mapping."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ceasefire.extract.lexicon import Lexicon
from ceasefire.intake.codes import SIDE_BY_INTER, country_code
from ceasefire.model import (
    Casualties,
    Claim,
    ClaimActor,
    ClaimDate,
    ClaimKind,
    ClaimPlace,
    Evidence,
    Report,
    Role,
    Side,
)

# ACLED time_precision -> days either side of event_date
TIME_SPREAD = {1: 0, 2: 3, 3: 15}


def acled_claim(report: Report, lexicon: Lexicon) -> Claim:
    """One event claim from a coded row (ACLED, or UCDP GED mapped to ACLED's fields by intake);
    every field's evidence is the row's notes."""
    row = report.structured or {}
    whole = Evidence(start=0, end=len(report.text), text=report.text)
    day = dt.date.fromisoformat(row["event_date"])
    spread = dt.timedelta(days=TIME_SPREAD.get(row.get("time_precision") or 1, 0))
    earliest, latest = (dt.date.fromisoformat(row["date_start"]), dt.date.fromisoformat(row["date_end"])) \
        if row.get("date_start") else (day - spread, day + spread)
    actors = [actor for number, role in (("1", Role.PERPETRATOR), ("2", Role.TARGET))
              for actor in _actors(row, number, role, lexicon, whole)]
    fatalities = None
    if row.get("fatalities") is not None:
        low, high = row.get("deaths_low", row["fatalities"]), row.get("deaths_high", row["fatalities"])
        fatalities = Casualties(evidence=whole, low=low, best=row.get("deaths_best", row["fatalities"]), high=high,
                                qualifier=row.get("coded_by", "ACLED"))
    country = country_code(row.get("iso"), row.get("country"))
    return Claim(
        report_sha256=report.sha256, index=0, kind=ClaimKind.EVENT, sentence=whole,
        event_type=row["event_type"], sub_event_type=row["sub_event_type"],
        tags=[t.strip() for t in (row.get("tags") or "").split(";") if t.strip()],
        date=ClaimDate(evidence=whole, earliest=earliest, latest=latest, time_precision=row.get("time_precision") or 1),
        place=ClaimPlace(evidence=whole, name=row["location"], latitude=row["latitude"], longitude=row["longitude"],
                         admin1=row.get("admin1") or None, country=country,
                         geo_precision=row.get("geo_precision") or 1),
        actors=actors, fatalities=fatalities, coded_id=row.get("event_id_cnty") or None)


def _actors(row: dict[str, Any], number: str, role: Role, lexicon: Lexicon, whole: Evidence) -> list[ClaimActor]:
    """actor1 and its associated actors (assoc_actor_1, "; "-separated) in one role; an actor the
    pack does not know keeps its coded name, and the side its inter code gives."""
    main = (row.get(f"actor{number}") or "").strip()
    associated = [n.strip() for n in (row.get(f"assoc_actor_{number}") or "").split(";") if n.strip()]
    inter = SIDE_BY_INTER.get(row.get(f"inter{number}") or 0, Side.UNKNOWN)
    return [_actor(name, role, lexicon, whole, inter if name == main else Side.UNKNOWN)
            for name in ([main] if main else []) + associated]


def _actor(name: str, role: Role, lexicon: Lexicon, whole: Evidence, side: Side) -> ClaimActor:
    # ACLED names actors like "Military Forces of <country> (2000-)": try it whole, then without the dates.
    match = lexicon.actor(name) or lexicon.actor(name.split(" (")[0])
    if match is None:
        return ClaimActor(role=role, evidence=whole, side=side, name=name)
    return ClaimActor(role=role, evidence=whole, actor_id=match.actor_id, side=match.side,
                      name=None if match.actor_id else name)
