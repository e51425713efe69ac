"""Claims built by hand for clustering and adjudication tests (no language model needed)."""

from __future__ import annotations

import datetime as dt
import hashlib

from ceasefire.model import (
    Claim,
    ClaimActor,
    ClaimDate,
    ClaimKind,
    ClaimPlace,
    ClaimRef,
    ClaimSource,
    Evidence,
    Justification,
    ReportFormat,
    Role,
    Side,
)

DOUMA = dict(name="Douma", latitude=33.5722, longitude=36.4022, admin1="Rif Dimashq", country="SY", area_id="douma")
HARASTA = dict(name="Harasta", latitude=33.5586, longitude=36.365, admin1="Rif Dimashq", country="SY",
               area_id="harasta")
IDLIB = dict(name="Idlib", latitude=35.9306, longitude=36.6339, admin1="Idlib", country="SY", area_id=None)


def words(text: str) -> Evidence:
    return Evidence(start=0, end=len(text), text=text)


def actor(role: Role, actor_id: str | None, side: Side, text: str = "them") -> ClaimActor:
    return ClaimActor(role=role, evidence=words(text), actor_id=actor_id, side=side)


def claim(report: str, *, index: int = 0, day: str = "2017-01-08", sub_event: str = "Shelling/artillery/missile attack",
          event_type: str = "Explosions/Remote violence", place: dict | None = None, precision: int = 1,
          perpetrator: tuple[str | None, Side] | None = ("syrian-arab-army", Side.GOVERNMENT),
          target: tuple[str | None, Side] | None = (None, Side.CIVILIANS), cited: str | None = None,
          sentence: str = "Government forces shelled Douma.", kind: ClaimKind = ClaimKind.EVENT,
          justification: Justification | None = None, source_id: str | None = "reuters",
          source_name: str = "Reuters", text: str | None = None,
          fmt: ReportFormat = ReportFormat.TEXT, hour: int = 12) -> tuple[ClaimRef, Claim, ClaimSource]:
    sha = hashlib.sha256(report.encode()).hexdigest()
    date = dt.date.fromisoformat(day)
    actors = []
    if perpetrator:
        actors.append(actor(Role.PERPETRATOR, *perpetrator, text="Government forces"))
    if target:
        actors.append(actor(Role.TARGET, *target, text="civilians"))
    made = Claim(report_sha256=sha, index=index, kind=kind, sentence=words(sentence), trigger=words("shelled"),
                 event_type=event_type, sub_event_type=sub_event,
                 date=ClaimDate(evidence=words("Sunday"), earliest=date, latest=date, time_precision=1),
                 place=ClaimPlace(evidence=words((place or DOUMA)["name"]), geo_precision=precision,
                                  **(place or DOUMA)),
                 actors=actors, origin=words(cited) if cited else None, origin_source_id=cited,
                 justification=justification)
    source = ClaimSource(report_sha256=sha, text=text or sentence, source_id=source_id, source_name=source_name,
                         format=fmt, published=f"{day}T{hour:02d}:00:00+00:00")
    return ClaimRef(report_sha256=sha, index=index), made, source
