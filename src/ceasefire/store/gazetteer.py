"""Places imported from GeoNames dumps, which the extractor's gazetteer adds to the pack's own."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ceasefire.store import tables
from ceasefire.store.engine import Database


@dataclass(frozen=True)
class GazetteerPlace:
    """One GeoNames place as imported."""

    geonames_id: int
    name: str
    names: str  # alternate names, one per line
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country: str  # ISO 3166 alpha-2
    admin1_code: str
    population: int


class Gazetteer(Database):
    def add_gazetteer_places(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert or replace GeoNames places (rows as ``extract.geonames.read_dump`` reads them,
        keyed by geonames_id) in one transaction."""
        if not rows:
            return
        stmt = self._insert(tables.gazetteer)
        update = {c.name: stmt.excluded[c.name] for c in tables.gazetteer.columns if c.name != "geonames_id"}
        with self._connect("store gazetteer places") as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["geonames_id"], set_=update), list(rows))

    def gazetteer_places(self, countries: Sequence[str]) -> Iterator[GazetteerPlace]:
        """Imported GeoNames places in these countries."""
        query = select(tables.gazetteer).where(tables.gazetteer.c.country.in_(list(countries)))
        with self._connect("read the gazetteer") as conn:
            for r in conn.execute(query):
                yield GazetteerPlace(r.geonames_id, r.name, r.names, r.latitude, r.longitude, r.feature_class,
                                     r.feature_code, r.country, r.admin1_code, r.population)

    def count_gazetteer(self) -> int:
        with self._connect("count gazetteer places") as conn:
            return conn.execute(select(func.count()).select_from(tables.gazetteer)).scalar_one()
