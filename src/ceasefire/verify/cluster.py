"""Clustering: claims that describe the same real event become one incident.

Claims are blocked by spatial cell (h3) and week, so each claim is compared only with the
incidents near it in space and time and the cost grows near-linearly. Within a block, a claim
joins an incident when type, date, place and perpetrator side agree within their precisions;
when several incidents qualify, MinHash similarity of the sentences breaks the tie.
Incident ids come from the claim that founded them, and claims already placed stay where
they are, so re-running after new reports arrive extends incidents instead of renumbering them.
A claim that cannot be clustered (a date at the edge of the calendar, say) is left out and
the rest clustered without it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import h3
from datasketch import MinHash

from ceasefire.model import ClaimRef

CELL_RESOLUTION = 5  # hexagons of about 250 km² (edge about 9 km): a town and its outskirts
NEIGHBOUR_RINGS = 3  # cells searched around a claim: about 44 km, beyond the 30 km place tolerance
DATE_TOLERANCE = {1: 1, 2: 4, 3: 16}  # days either side, by ACLED time precision
PLACE_TOLERANCE_KM = {1: 12.0, 2: 30.0, 3: 120.0}  # by the coarser geo precision of the two
WEEK = 7
MARGIN = dt.timedelta(days=max(DATE_TOLERANCE.values()))  # the widest a date is ever widened by


@dataclass(slots=True)
class Point:
    """What clustering needs of one claim (kept small: an archive may hold millions)."""

    ref: ClaimRef
    sub_event_type: str
    earliest: dt.date
    latest: dt.date
    time_precision: int
    latitude: float | None
    longitude: float | None
    geo_precision: int
    region: str  # admin1 or country: the block of coarse places
    perpetrator_sides: frozenset[str]
    target_sides: frozenset[str] = frozenset()
    sentence: str = ""
    coded_id: str = ""  # the event's id in coded data (an ACLED row), if it came from there


@dataclass(slots=True)
class Group:
    """An incident being built: its founding point and the refs of its claims."""

    id: str
    anchor: Point
    refs: list[ClaimRef] = field(default_factory=list)
    sides: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    reports: set[str] = field(default_factory=set)
    coded_ids: set[str] = field(default_factory=set)


def incident_id(ref: ClaimRef) -> str:
    """A stable id from the founding claim: the same on every machine and every re-run."""
    return "I-" + hashlib.sha256(f"{ref.report_sha256}:{ref.index}".encode()).hexdigest()[:10]


Refused = dict[ClaimRef, Exception]
"""Claims a stage left out, with the error each raised."""


def cluster(points: Sequence[Point], placed: dict[ClaimRef, str] | None = None,
            refused: Refused | None = None) -> list[Group]:
    """Group points into incidents; ``placed`` maps refs to the incident they joined earlier.

    With ``refused`` given, a point that cannot be clustered is left out, with its error put
    there, and the rest are clustered; without it, the error is raised.
    """
    placed = placed or {}
    groups: dict[str, Group] = {}
    index = _BlockIndex()
    by_ref = {p.ref: p for p in points if _clusterable(p, refused)}
    for ref, group_id in sorted(placed.items(), key=lambda item: (item[1], item[0].report_sha256, item[0].index)):
        point = by_ref.get(ref)
        if point is None:
            continue  # the claim is gone (re-extracted differently)
        if group_id not in groups:
            groups[group_id] = Group(group_id, point)
            index.add(groups[group_id])
        _join(groups[group_id], point)
    for point in sorted((p for p in by_ref.values() if p.ref not in placed), key=_order):
        try:
            group = _best_match(point, [g for g in index.near(point) if _compatible(g, point)])
        except Exception as exc:
            if refused is None:
                raise
            refused[point.ref] = exc
            continue
        if group is None:
            group = Group(incident_id(point.ref), point)
            groups[group.id] = group
            index.add(group)
        _join(group, point)
    return sorted(groups.values(), key=lambda g: g.id)


def _clusterable(point: Point, refused: Refused | None) -> bool:
    """Whether the point can be clustered; when not, its error goes into ``refused`` (raised when
    there is none)."""
    try:
        _check(point)
    except Exception as exc:
        if refused is None:
            raise
        refused[point.ref] = exc
        return False
    return True


def _check(point: Point) -> None:
    """Raise what clustering the point would: dates too near the ends of the calendar to widen by
    a tolerance, or coordinates h3 cannot place."""
    if point.earliest < dt.date.min + MARGIN or point.latest > dt.date.max - MARGIN:
        raise ValueError(f"its dates {point.earliest}..{point.latest} are too near the ends of the calendar "
                         "to compare with others")
    _BlockIndex.keys(point, query=True)


def _order(point: Point) -> tuple[dt.date, int, int, str, int]:
    # Precise claims first, so incidents are founded on the best-located, best-dated reports.
    return point.earliest, point.geo_precision, point.time_precision, point.ref.report_sha256, point.ref.index


def _join(group: Group, point: Point) -> None:
    group.refs.append(point.ref)
    group.sides |= point.perpetrator_sides
    group.targets |= point.target_sides
    group.reports.add(point.ref.report_sha256)
    if point.coded_id:
        group.coded_ids.add(point.coded_id)


def _compatible(group: Group, point: Point) -> bool:
    """Same act, dates and places within their precisions, no conflicting sides; and never two
    claims of one report (extraction already merged what one report tells twice), nor two coded
    events with different ids (their coder already told them apart)."""
    anchor = group.anchor
    if anchor.sub_event_type != point.sub_event_type or point.ref.report_sha256 in group.reports:
        return False
    if point.coded_id and group.coded_ids and point.coded_id not in group.coded_ids:
        return False
    tolerance = dt.timedelta(days=DATE_TOLERANCE[max(anchor.time_precision, point.time_precision)])
    if point.earliest > anchor.latest + tolerance or anchor.earliest > point.latest + tolerance:
        return False
    precision = max(anchor.geo_precision, point.geo_precision)
    if precision == 3:
        if anchor.region != point.region:
            return False
    elif _km(anchor, point) > PLACE_TOLERANCE_KM[precision]:
        return False
    for known, new in ((group.sides, point.perpetrator_sides), (group.targets, point.target_sides)):
        if known and new and not known & new:
            return False
    return True


def _best_match(point: Point, groups: list[Group]) -> Group | None:
    if len(groups) <= 1:
        return groups[0] if groups else None
    shingles = _minhash(point.sentence)
    return max(groups, key=lambda g: (_minhash(g.anchor.sentence).jaccard(shingles), -_km(g.anchor, point), g.id))


def _minhash(text: str) -> MinHash:
    minhash = MinHash(num_perm=64, seed=17)
    for shingle in shingles(text):
        minhash.update(shingle.encode())
    return minhash


def shingles(text: str, size: int = 3) -> set[str]:
    """Word trigrams of a text, lowercased: the unit of near-duplicate comparison."""
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))}


def _km(a: Point, b: Point) -> float:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.inf
    return float(h3.great_circle_distance((a.latitude, a.longitude), (b.latitude, b.longitude), unit="km"))


class _BlockIndex:
    """Incidents by (h3 cell, week) for located ones, by (region, week) for coarse ones (a
    governorate or a country). A located claim looks in the cells around it and in its region's
    coarse block; a coarse claim only in its region's coarse block."""

    def __init__(self) -> None:
        self.blocks: dict[tuple[str, int], list[Group]] = defaultdict(list)

    def add(self, group: Group) -> None:
        for key in self.keys(group.anchor, query=False):
            self.blocks[key].append(group)

    def near(self, point: Point) -> Iterator[Group]:
        seen: set[str] = set()
        for key in self.keys(point, query=True):
            for group in self.blocks.get(key, ()):
                if group.id not in seen:
                    seen.add(group.id)
                    yield group

    @staticmethod
    def keys(point: Point, *, query: bool) -> list[tuple[str, int]]:
        # Both sides widen their weeks by their own date tolerance, so a pair within the larger
        # of the two tolerances always shares a week.
        tolerance = dt.timedelta(days=DATE_TOLERANCE[point.time_precision])
        first, last = (point.earliest - tolerance).toordinal() // WEEK, (point.latest + tolerance).toordinal() // WEEK
        weeks = range(first, last + 1)
        located = point.latitude is not None and point.longitude is not None and point.geo_precision < 3
        places = [] if located and not query else [f"region:{point.region}"]
        if located:
            cell = h3.latlng_to_cell(point.latitude, point.longitude, CELL_RESOLUTION)
            places += list(h3.grid_disk(cell, NEIGHBOUR_RINGS)) if query else [cell]
        return [(place, week) for place in places for week in weeks]
