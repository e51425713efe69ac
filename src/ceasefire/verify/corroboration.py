"""Corroboration: which origins confirm an incident, which are only consistent with it, and the
Admiralty credibility (1 confirmed ... 6 cannot be judged) their grades allow.

A claim confirms the incident only when it is about as precise as the incident's merged date
and place: at most ``PRECISION_GAP`` levels coarser on ACLED's time precision (day, week,
month) and on its geo precision (town, district, region). A claim told only to the month, or
only to the valley, fits a claim told to the day and the village but does not confirm it: it
is "consistent with" it, and counts for nothing in the credibility (docs/verification.md §6).
"""

from __future__ import annotations

from collections.abc import Sequence

from ceasefire.model import Claim, ClaimDate, ClaimPlace, Origin

PRECISION_GAP = 1  # levels a confirming claim may be coarser than the incident, per axis
TIME_WORDS = {1: "the day", 2: "the week", 3: "the month"}
PLACE_WORDS = {1: "the town or village", 2: "the district or area", 3: "the region"}
RELIABLE = frozenset("ABC")  # grades whose word counts towards "confirmed"


def coarseness(claim: Claim, date: ClaimDate, place: ClaimPlace | None) -> str:
    """Empty when the claim is precise enough to confirm an incident of that date and place;
    otherwise what it is only told to ("date only to the month; place only to the district or area")."""
    gaps = []
    if claim.date is not None and claim.date.undated and not date.undated:
        gaps.append(f"undated (the incident's date: to {TIME_WORDS[date.time_precision]})")
    elif claim.date is not None and claim.date.time_precision - date.time_precision > PRECISION_GAP:
        gaps.append(f"date only to {TIME_WORDS[claim.date.time_precision]} (the incident's: "
                    f"{TIME_WORDS[date.time_precision]})")
    claimed = claim.place.geo_precision if claim.place else 3
    if place is not None and claimed - place.geo_precision > PRECISION_GAP:
        gaps.append(f"place only to {PLACE_WORDS[claimed]} (the incident's: {PLACE_WORDS[place.geo_precision]})")
    return "; ".join(gaps)


def related(found: Sequence[tuple[Origin, str]]) -> list[Origin]:
    """Each origin once, with each claim's coarseness: confirming when any of its claims
    confirms, else consistent with what its first claim is told to; in a stable order."""
    coarse: dict[str, str] = {}
    origins: dict[str, Origin] = {}
    for origin, gap in found:
        origins.setdefault(origin.key, origin)
        coarse[origin.key] = gap if coarse.get(origin.key, gap) else ""
    marked = (o.model_copy(update={"confirms": not coarse[k], "precision": coarse[k]}) for k, o in origins.items())
    return sorted(marked, key=lambda o: o.key)


def credibility(found: Sequence[Origin]) -> int:
    """Admiralty credibility from the confirming origins' grades (docs/verification.md §6):
    1 two or more graded A-C; 2 one graded A-C and others; 3 one graded A-C alone, or several
    graded D-F; 4 one graded D alone; 6 one graded E or F alone, or none confirming."""
    grades = [o.reliability.value for o in found if o.confirms]
    reliable = sum(1 for g in grades if g in RELIABLE)
    others = len(grades) - reliable
    if reliable >= 2:
        return 1
    if reliable == 1:
        return 2 if others else 3
    if others >= 2:
        return 3
    if grades == ["D"]:
        return 4
    return 6
