"""Incidents as ACLED CSV (ACLED's 31 columns, in ACLED's order), UCDP GED-style CSV, GeoJSON and
JSON. Every writer takes an iterable and writes row by row, so an export of a million incidents
(read with ``Store.iter_incidents``) keeps memory flat. CSV cells that a spreadsheet would run
as formulas are written as text (``csv_cells``); JSON and GeoJSON keep the raw values."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from ceasefire.csv_cells import safe_row
from ceasefire.errors import PublishError
from ceasefire.intake.acled import COLUMNS
from ceasefire.model import AgreementPack, Incident, Role
from ceasefire.model.claims import acled_fatalities
from ceasefire.publish import codes
from ceasefire.store import Store, StoredIncident
from ceasefire.store.incident_query import IncidentQuery

UCDP_COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)


VERDICT_COLUMNS = ("ceasefire_verdict", "ceasefire_automatic_verdict", "ceasefire_reviewed", "ceasefire_confidence",
                   "ceasefire_clauses", "ceasefire_perpetrator", "ceasefire_url")
"""What ``export --with-verdicts`` appends to an ACLED row, after ACLED's own columns (which stay exact)."""


class ExportFormat(StrEnum):
    ACLED_CSV = "acled-csv"
    UCDP_CSV = "ucdp-csv"
    GEOJSON = "geojson"
    JSON = "json"


def export(incidents: Iterable[StoredIncident], pack: AgreementPack, format: ExportFormat, out: TextIO, *,
           with_verdicts: bool = False, base_url: str = "") -> int:
    """Write incidents to ``out`` in ``format``; returns how many were written. ``with_verdicts``
    appends :data:`VERDICT_COLUMNS` to ACLED rows; ``base_url`` starts each incident's URL."""
    writers: dict[ExportFormat, Callable[[], int]] = {
        ExportFormat.ACLED_CSV: lambda: write_acled_csv(incidents, pack, out, with_verdicts=with_verdicts,
                                                        base_url=base_url),
        ExportFormat.UCDP_CSV: lambda: write_ucdp_csv(incidents, pack, out),
        ExportFormat.GEOJSON: lambda: write_geojson(incidents, out, pack, base_url),
        ExportFormat.JSON: lambda: write_json(incidents, out, pack, base_url),
    }
    return writers[format]()


def write_geojson(incidents: Iterable[StoredIncident], out: TextIO, pack: AgreementPack | None = None,
                  base_url: str = "") -> int:
    """A FeatureCollection of located incidents with their verdicts; returns how many were written."""
    out.write('{"type":"FeatureCollection","features":[')
    count = 0
    for stored in incidents:
        place = stored.incident.place
        if place is None:
            continue
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
                   "properties": _summary(stored) | verdict_fields(stored, pack, base_url)}
        out.write(("," if count else "") + json.dumps(feature, ensure_ascii=False, sort_keys=True))
        count += 1
    out.write("]}\n")
    return count


def write_json(incidents: Iterable[StoredIncident], out: TextIO, pack: AgreementPack | None = None,
               base_url: str = "") -> int:
    """A JSON array of whole incidents (every merged field with its evidence) and their verdicts,
    one element per line."""
    out.write("[")
    count = 0
    for stored in incidents:
        element = stored.incident.model_dump(mode="json") | {
            "verdict": stored.verdict, "automatic_verdict": stored.automatic, "confidence": stored.confidence,
            "reviewed": stored.review is not None, "clauses": sorted(stored.clauses)} | verdict_fields(
            stored, pack, base_url)
        out.write(("," if count else "") + "\n" + json.dumps(element, ensure_ascii=False, sort_keys=True))
        count += 1
    out.write("\n]\n")
    return count


def verdict_fields(stored: StoredIncident, pack: AgreementPack | None, base_url: str = "") -> dict[str, Any]:
    """What a reader of an export needs beside the facts: the verdict, who is responsible, the
    clauses found violated, whether an analyst reviewed it, and where to read it."""
    perpetrators = stored.incident.actors_in(Role.PERPETRATOR)
    named = ([codes.actor_name(a, pack) if pack else (a.actor_id or a.evidence.text) for a in perpetrators])
    return {"verdict": stored.verdict, "automatic_verdict": stored.automatic, "reviewed": stored.review is not None,
            "confidence": stored.confidence, "clauses": sorted(stored.clauses), "perpetrator": "; ".join(named) or None,
            "url": f"{base_url.rstrip('/')}/incidents/{stored.incident.id}"}


def _summary(stored: StoredIncident) -> dict[str, Any]:
    incident, place = stored.incident, stored.incident.place
    return {"id": incident.id, "date": incident.date.earliest.isoformat(),
            "time_precision": incident.date.time_precision,
            "event_type": incident.event_type, "sub_event_type": incident.sub_event_type,
            "place": place.name if place else None, "geo_precision": place.geo_precision if place else None,
            "verdict": stored.verdict, "confidence": stored.confidence, "corroboration": incident.corroboration,
            "fatalities": incident.fatalities.low if incident.fatalities else None}


def write_acled_csv(incidents: Iterable[StoredIncident], pack: AgreementPack, out: TextIO,
                    timestamp: int | None = None, *, with_verdicts: bool = False, base_url: str = "") -> int:
    """One row per incident in ACLED's export format; returns how many were written. With
    ``with_verdicts``, :data:`VERDICT_COLUMNS` follow ACLED's 31 columns.

    Fatalities are the most conservative figure (the low one), as ACLED counts them; ``timestamp``
    (default now) is the time of the export, ACLED's last-modified column.
    """
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *(VERDICT_COLUMNS if with_verdicts else ())],
                            lineterminator="\n")
    writer.writeheader()
    now = timestamp if timestamp is not None else int(dt.datetime.now(dt.UTC).timestamp())
    count = 0
    for stored in incidents:
        row = acled_row(stored.incident, pack, now)
        if with_verdicts:
            row |= _verdict_columns(verdict_fields(stored, pack, base_url))
        writer.writerow(safe_row(row))
        count += 1
    return count


def _verdict_columns(fields: dict[str, Any]) -> dict[str, object]:
    cells = {"verdict": fields["verdict"] or "", "automatic_verdict": fields["automatic_verdict"] or "",
             "reviewed": "yes" if fields["reviewed"] else "no",
             "confidence": "" if fields["confidence"] is None else f"{fields['confidence']:.2f}",
             "clauses": "; ".join(fields["clauses"]), "perpetrator": fields["perpetrator"] or "", "url": fields["url"]}
    return {f"ceasefire_{name}": value for name, value in cells.items()}


def acled_row(incident: Incident, pack: AgreementPack, timestamp: int) -> dict[str, object]:
    """An incident as one ACLED row: actors and their inter codes, place and precisions, sources."""
    place, day = incident.place, codes.event_day(incident.date)
    perpetrators, targets = incident.actors_in(Role.PERPETRATOR), incident.actors_in(Role.TARGET)
    inter1 = codes.inter_code(perpetrators[0], pack) if perpetrators else None
    inter2 = codes.inter_code(targets[0], pack) if targets else None
    row: dict[str, object] = {
        "event_id_cnty": incident.id, "event_date": day.isoformat(), "year": day.year,
        "time_precision": incident.date.time_precision, "disorder_type": codes.disorder_type(incident),
        "event_type": incident.event_type or "", "sub_event_type": incident.sub_event_type or "",
        "actor1": _names(perpetrators[:1], pack), "assoc_actor_1": _names(perpetrators[1:], pack), "inter1": inter1,
        "actor2": _names(targets[:1], pack), "assoc_actor_2": _names(targets[1:], pack), "inter2": inter2,
        "interaction": codes.interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
        "iso": codes.country_number(place.country) if place else None, "region": "",
        "country": codes.country_name(place.country) if place else "", "admin1": place.admin1 if place else "",
        "admin2": "", "admin3": "", "location": place.name if place else "",
        "latitude": place.latitude if place else "", "longitude": place.longitude if place else "",
        "geo_precision": place.geo_precision if place else "",
        "source": "; ".join(sorted({o.label for o in incident.origins})), "source_scale": "",
        "notes": acled_notes(incident, pack), "fatalities": acled_fatalities(incident.fatalities),
        "tags": "; ".join(incident.tags), "timestamp": timestamp,
    }
    return {column: "" if value is None else value for column, value in row.items()}


def acled_notes(incident: Incident, pack: AgreementPack) -> str:
    """A one-sentence description built from the coded fields only, so it reads the same after a
    round trip through ACLED CSV (the verdict, which re-assessment may change, is in the JSON)."""
    place = incident.place
    words = [f"On {codes.event_day(incident.date).isoformat()}, {incident.sub_event_type or 'an event'}"]
    if place:
        words.append(f"at {place.name}")
    if incident.actors_in(Role.PERPETRATOR):
        words.append(f"by {_names(incident.actors_in(Role.PERPETRATOR), pack, ' and ')}")
    if incident.actors_in(Role.TARGET):
        words.append(f"against {_names(incident.actors_in(Role.TARGET), pack, ' and ')}")
    return " ".join(words) + "."


def _names(actors: list[Any], pack: AgreementPack, separator: str = "; ") -> str:
    return separator.join(codes.actor_name(a, pack) for a in actors)


def write_ucdp_csv(incidents: Iterable[StoredIncident], pack: AgreementPack, out: TextIO) -> int:
    """One row per incident in UCDP GED's columns: deaths low/best/high, where_prec and date_prec.

    UCDP's conflict, dyad and Gleditsch-Ward ids are left empty: they belong to UCDP's registry.
    """
    writer = csv.DictWriter(out, fieldnames=UCDP_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for stored in incidents:
        writer.writerow(safe_row(ucdp_row(stored.incident, pack)))
        count += 1
    return count


def ucdp_row(incident: Incident, pack: AgreementPack) -> dict[str, object]:
    """An incident as one UCDP GED row: sides, deaths low/best/high, where_prec, date_prec, PRIO-GRID cell."""
    place, date, deaths = incident.place, incident.date, incident.fatalities
    perpetrators, targets = incident.actors_in(Role.PERPETRATOR), incident.actors_in(Role.TARGET)
    side_a, side_b = _names(perpetrators[:1], pack), _names(targets[:1], pack)
    sources = "; ".join(sorted({o.label for o in incident.origins}))
    row: dict[str, object] = {
        "id": incident.id, "relid": incident.id, "year": date.earliest.year, "active_year": "", "code_status": "",
        "type_of_violence": codes.violence_type(incident, pack),
        "dyad_name": f"{side_a} - {side_b}" if side_a and side_b else "", "side_a": side_a, "side_b": side_b,
        "number_of_sources": len(incident.claims), "source_office": sources, "source_original": sources,
        "where_prec": codes.where_precision(place), "where_coordinates": place.name if place else "",
        "where_description": place.name if place else "", "adm_1": place.admin1 if place else "",
        "latitude": place.latitude if place else "", "longitude": place.longitude if place else "",
        "geom_wkt": f"POINT ({place.longitude} {place.latitude})" if place else "",
        "priogrid_gid": codes.priogrid_cell(place.latitude, place.longitude) if place else "",
        "country": codes.country_name(place.country) if place else "",
        "event_clarity": 1 if codes.date_precision(date) == 1 else 2, "date_prec": codes.date_precision(date),
        "date_start": date.earliest.isoformat(), "date_end": date.latest.isoformat(),
        "deaths_civilians": deaths.best if deaths and deaths.best and deaths.civilians else "",
        "deaths_unknown": deaths.best if deaths and deaths.best and not deaths.civilians else "",
        "best": deaths.best if deaths else 0, "low": deaths.low if deaths else 0,
        "high": (deaths.high if deaths.high is not None else deaths.best) if deaths else 0,
    }
    return {column: "" if row.get(column) is None else row.get(column, "") for column in UCDP_COLUMNS}


def export_file(store: Store, pack: AgreementPack, format: ExportFormat, path: Path | None,
                query: IncidentQuery | None = None, stdout: TextIO | None = None, *, with_verdicts: bool = False,
                base_url: str = "") -> int:
    """Stream the incidents ``query`` asks for (all without one) into ``path``
    (through ``PATH.part``, renamed when complete), or into ``stdout`` when ``path`` is None;
    returns how many were written.

    Raises:
        PublishError: the file cannot be written.
    """
    incidents = store.iter_incidents(query)
    if path is None:
        return export(incidents, pack, format, stdout or sys.stdout, with_verdicts=with_verdicts, base_url=base_url)
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("w", encoding="utf-8", newline="") as handle:
            count = export(incidents, pack, format, handle, with_verdicts=with_verdicts, base_url=base_url)
        os.replace(partial, path)  # a killed export leaves a .part file, never a truncated PATH
        return count
    except OSError as exc:
        raise PublishError(f"Cannot write {path}: {exc.strerror}. Check the folder exists and is writable.") from exc
