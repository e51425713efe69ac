"""Incidents without a usable date: never judged inside the agreement's window on a guess.

An incident is undated when its report gives no date for the act, and as good as undated when
its date is known only to a range that straddles the agreement's start ("in December"). The
pack may still date it: a takeover of a place whose recorded control passed to the taker's side
before the agreement took effect is that change, so it is out of the window. Otherwise the
incident stays unverified, saying it is undated, whatever its act and parties.
"""

from __future__ import annotations

import datetime as dt

from ceasefire.adjudicate.responsibility import ALLIED
from ceasefire.model import AgreementPack, Control, Incident, Role, Side

TERRITORY_CHANGES = frozenset({"Government regains territory", "Non-state actor overtakes territory"})  # ACLED


def undated(incident: Incident, pack: AgreementPack) -> str | None:
    """Why the incident's date cannot place it inside or outside the window, or None when it can."""
    effective = pack.agreement.effective.date()
    date = incident.date
    if date.undated:
        return f"undated: the report gives no date for the act (only that it was between {date.earliest} and " \
               f"{date.latest})"
    if date.earliest < effective <= date.latest:
        return f"undated: its date is known only as {date.earliest}..{date.latest}, which straddles the agreement's " \
               f"start ({effective})"
    return None


def dated_by_control(incident: Incident, pack: AgreementPack) -> str | None:
    """When the incident is a takeover the pack's control records date before the agreement took
    effect: the reason saying so; otherwise None."""
    if not {incident.sub_event_type, *incident.tags} & TERRITORY_CHANGES or incident.place is None:
        return None
    sides = {_allied(a.side) for a in incident.actors_in(Role.PERPETRATOR)} - {Side.UNKNOWN}
    area = incident.place.area_id
    while area and area in pack.areas and sides:
        change = _last_change(pack.areas[area].control, sides, incident.date.latest, pack)
        if change is not None and change.valid_from is not None:
            if change.valid_from >= pack.agreement.effective.date():
                return None
            holder = pack.actors[change.holder].name
            return (f"the pack records control of {pack.areas[area].name} passing to {holder} on "
                    f"{change.valid_from} ({change.sources[0]}), before the agreement took effect "
                    f"({pack.agreement.effective.date()}): the takeover is that change, outside the window")
        area = pack.areas[area].parent
    return None


def _last_change(control: list[Control], sides: set[Side], latest: dt.date, pack: AgreementPack) -> Control | None:
    """The latest recorded start of control by the taker's side, no later than the incident can be."""
    changes = [c for c in control if c.valid_from is not None and c.valid_from <= latest and c.holder in pack.actors
               and _allied(pack.actors[c.holder].side) in sides]
    return max(changes, key=lambda c: c.valid_from or dt.date.min, default=None)


def _allied(side: Side) -> Side:
    return ALLIED.get(side, side)
