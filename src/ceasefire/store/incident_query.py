"""Which incidents a reader asks for: one typed question with one meaning, wherever it is asked.

:func:`ask` turns the words a user gives (the CLI's options, the web's parameters, a report's
period) into an :class:`IncidentQuery`, checking every value against the agreement pack once:

- ``since``/``until``: the incident's date range *overlaps* the period (an incident of 15–22
  January is found by ``since=2017-01-20``);
- ``area``: an area id or name, meaning the area, every area inside it, and the box of its radius;
- ``party``: an actor id or name, meaning the party with its forces and proxies (every actor
  whose sponsor chain reaches it);
- ``actor``: an actor id or any of its names and aliases;
- ``verdict``: the verdict that wins (an analyst's review over the automatic one);
- ``clause``: a clause the incident violates or may violate (VIOLATION or DISPUTED);
- ``min_confidence``: the automatic assessment's confidence is at least this (0 to 1);
- ``published_only``: only what the publication rule lets the public see;
- ``agreement``: always the pack's: the incidents judged under it (or not judged yet), with
  its verdicts, in a database that may monitor several agreements.

An unknown value is refused with the nearest known ones. :mod:`ceasefire.store.query` compiles
the result to SQL, in one place.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ceasefire.errors import CeasefireError
from ceasefire.model import ACTS, AgreementPack, Verdict

Box = tuple[float, float, float, float]  # west, south, east, north in degrees


class BadQuery(CeasefireError):
    """A filter names something the pack does not know, or is out of range."""

    status = 422

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


@dataclass(frozen=True)
class IncidentQuery:
    """Which incidents to read, resolved against the pack. Every field narrows; ``actor_sets`` asks,
    for each set, that the incident names at least one of its actors (an actor is a set of one; a
    party, the party and every actor whose sponsor chain reaches it)."""

    id: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    event_type: str | None = None
    verdict: str | None = None  # the verdict that wins: an analyst's review over the automatic one
    actor_sets: tuple[frozenset[str], ...] = ()
    areas: tuple[str, ...] = ()  # pack area ids; with ``near``, either matches
    near: Box | None = None
    bbox: Box | None = None
    agreement: str | None = None
    clause: str | None = None  # a clause the incident violates (or may: DISPUTED)
    located_only: bool = False
    published_only: bool = False
    min_confidence: float | None = None  # the automatic assessment's confidence, 0 to 1
    unreviewed_only: bool = False  # only incidents no analyst has reviewed yet (the review queue)


def ask(pack: AgreementPack, *, since: dt.date | None = None, until: dt.date | None = None,
        area: str | None = None, actor: str | None = None, party: str | None = None, verdict: str | None = None,
        clause: str | None = None, agreement: str | None = None, event_type: str | None = None,
        bbox: Box | None = None, located_only: bool = False, published_only: bool = False,
        min_confidence: float | None = None) -> IncidentQuery:
    """The :class:`IncidentQuery` for these words, each checked against ``pack``.

    Raises:
        BadQuery: a value the pack does not know (naming the nearest known ones), or a period
            that ends before it starts.
    """
    if since and until and until < since:
        raise BadQuery("until", f"The period ends ({until}) before it starts ({since}). Swap --since and --until.")
    if min_confidence is not None and not 0 <= min_confidence <= 1:
        raise BadQuery("min_confidence", f"A minimum confidence is between 0 and 1, not {min_confidence:g}.")
    areas: tuple[str, ...] = ()
    near = None
    if area:
        area_id = _area_id(pack, area)
        areas, near = area_and_inside(pack, area_id), area_box(pack, area_id)
    actor_sets = ([frozenset({_actor_id(pack, actor, "actor")})] if actor else []) + (
        [party_family(pack, _actor_id(pack, party, "party"))] if party else [])
    return IncidentQuery(since=since, until=until, event_type=_act(event_type), verdict=_verdict(verdict),
                         actor_sets=tuple(actor_sets), areas=areas, near=near, bbox=bbox,
                         agreement=_agreement(pack, agreement), clause=_clause(pack, clause),
                         located_only=located_only, published_only=published_only, min_confidence=min_confidence)


def area_and_inside(pack: AgreementPack, area_id: str) -> tuple[str, ...]:
    """An area and every area inside it (its children, their children ...)."""
    inside, frontier = [area_id], [area_id]
    while frontier:
        parent = frontier.pop()
        children = [a.id for a in pack.areas.values() if a.parent == parent]
        inside += children
        frontier += children
    return tuple(inside)


def area_box(pack: AgreementPack, area_id: str) -> Box:
    """A box around the area's centre of its radius: what is 'around' it."""
    area = pack.areas[area_id]
    dlat = area.radius_km / 111.0
    dlon = dlat / max(math.cos(math.radians(area.latitude)), 0.01)
    return area.longitude - dlon, area.latitude - dlat, area.longitude + dlon, area.latitude + dlat


def party_family(pack: AgreementPack, party: str) -> frozenset[str]:
    """A party with its forces and proxies: every pack actor whose sponsor chain reaches it."""
    return frozenset(a for a in pack.actors if a == party or party in pack.sponsor_chain(a))


def _area_id(pack: AgreementPack, value: str) -> str:
    names = {n.casefold(): a.id for a in pack.areas.values() for n in (a.id, a.name, *a.aliases)}
    return names.get(value.strip().casefold()) or _unknown("area", value, names, "ceasefire pack check PACK")


def _actor_id(pack: AgreementPack, value: str, what: str) -> str:
    names = {n.casefold(): a.id for a in pack.actors.values() for n in (a.id, a.name, *a.aliases)}
    return names.get(value.strip().casefold()) or _unknown(what, value, names, "ceasefire pack check PACK")


def _verdict(value: str | None) -> str | None:
    if value is None:
        return None
    found = value.strip().upper().replace(" ", "_")
    if found not in Verdict.__members__:
        raise BadQuery("verdict", f"Unknown verdict {value[:40]!r}: use one of {', '.join(Verdict)}.")
    return found


def _clause(pack: AgreementPack, value: str | None) -> str | None:
    if value is None:
        return None
    known = {c.id.casefold(): c.id for c in pack.agreement.clauses}
    return known.get(value.strip().casefold()) or _unknown("clause", value, known, "ceasefire pack check PACK")


def _agreement(pack: AgreementPack, value: str | None) -> str:
    """Every question is asked under one agreement: the pack's (a database may monitor several)."""
    if value is None or value == pack.agreement.id:
        return pack.agreement.id
    raise BadQuery("agreement", f"Unknown agreement {value[:60]!r}: this pack is {pack.agreement.id}; pass --pack "
                                f"{value[:60]} (or choose it in the web app's agreement switch) to ask under it.")


def _act(value: str | None) -> str | None:
    if value is None:
        return None
    known = {a.casefold(): a for a in ACTS}
    return known.get(value.strip().casefold()) or _unknown("event_type", value, known, "ACLED's codebook")


def _unknown(what: str, value: str, names: dict[str, str], where: str) -> str:
    nearest = _nearest(value, names)
    hint = f" Did you mean {', '.join(repr(n) for n in nearest)}?" if nearest else ""
    raise BadQuery(what, f"Unknown {what.replace('_', ' ')} {value[:60]!r}.{hint} See `{where}` for the known ones.")


def _nearest(value: str, names: dict[str, str], most: int = 3) -> list[str]:
    """The ids of up to ``most`` known names closest to ``value``, best first."""
    found = process.extract(value.casefold(), list(names), scorer=fuzz.WRatio, limit=most * 3, score_cutoff=60)
    return list(_unique(names[name] for name, _score, _i in found))[:most]


def _unique(values: Iterable[str]) -> Iterable[str]:
    seen: set[str] = set()
    for value in values:
        if value not in seen:
            seen.add(value)
            yield value
