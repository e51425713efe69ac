"""Incidents as GeoJSON and as ACLED CSV (ACLED's 31 columns, in ACLED's order), written as
streams so the size of an export does not grow memory."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from typing import TextIO

from ceasefire.intake.acled import COLUMNS
from ceasefire.model import AgreementPack, Role
from ceasefire.store import StoredIncident


def write_geojson(incidents: Iterable[StoredIncident], out: TextIO) -> int:
    """A FeatureCollection of located incidents; returns how many were written."""
    out.write('{"type":"FeatureCollection","features":[')
    count = 0
    for stored in incidents:
        incident, place = stored.incident, stored.incident.place
        if place is None:
            continue
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
                   "properties": {"id": incident.id, "date": incident.date.earliest.isoformat(),
                                  "time_precision": incident.date.time_precision,
                                  "event_type": incident.event_type, "sub_event_type": incident.sub_event_type,
                                  "place": place.name, "geo_precision": place.geo_precision,
                                  "verdict": stored.verdict, "confidence": stored.confidence,
                                  "corroboration": incident.corroboration,
                                  "fatalities": incident.fatalities.low if incident.fatalities else None}}
        out.write(("," if count else "") + json.dumps(feature, ensure_ascii=False, sort_keys=True))
        count += 1
    out.write("]}\n")
    return count


def write_acled_csv(incidents: Iterable[StoredIncident], pack: AgreementPack, out: TextIO) -> int:
    """One row per incident in ACLED's export format; fatalities as the most conservative figure."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    now = int(dt.datetime.now(dt.UTC).timestamp())
    for stored in incidents:
        writer.writerow(_acled_row(stored, pack, now))
        count += 1
    return count


def _acled_row(stored: StoredIncident, pack: AgreementPack, timestamp: int) -> dict[str, object]:
    incident, place = stored.incident, stored.incident.place

    def name(role: Role) -> str:
        actor = next(iter(incident.actors_in(role)), None)
        if actor is None:
            return ""
        return pack.actors[actor.actor_id].name if actor.actor_id in pack.actors else actor.evidence.text

    return {
        "event_id_cnty": incident.id, "event_date": incident.date.earliest.isoformat(),
        "year": incident.date.earliest.year, "time_precision": incident.date.time_precision,
        "disorder_type": "Political violence", "event_type": incident.event_type or "",
        "sub_event_type": incident.sub_event_type or "", "actor1": name(Role.PERPETRATOR), "assoc_actor_1": "",
        "inter1": "", "actor2": name(Role.TARGET), "assoc_actor_2": "", "inter2": "", "interaction": "",
        "civilian_targeting": "Civilian targeting" if any(
            a.side.value == "civilians" for a in incident.actors_in(Role.TARGET)) else "",
        "iso": "", "region": "", "country": place.country if place else "", "admin1": place.admin1 if place else "",
        "admin2": "", "admin3": "", "location": place.name if place else "",
        "latitude": place.latitude if place else "", "longitude": place.longitude if place else "",
        "geo_precision": place.geo_precision if place else "",
        "source": "; ".join(o.label for o in incident.origins), "source_scale": "",
        "notes": f"Verdict {stored.verdict} ({incident.corroboration} independent origin(s)).",
        "fatalities": incident.fatalities.low if incident.fatalities else 0,
        "tags": "; ".join(incident.tags), "timestamp": timestamp,
    }
