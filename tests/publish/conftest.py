"""Fixtures for reports and exports: the demo corpus run through the whole pipeline once, and
incidents built by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from ceasefire.ledger.keys import load_private, new_key
from ceasefire.model import (
    Casualties,
    ClaimActor,
    ClaimDate,
    ClaimPlace,
    ClaimRef,
    Evidence,
    Incident,
    Origin,
    Reliability,
    Role,
    Side,
)
from ceasefire.pipeline import assess_incidents, checkpoint, cluster_claims, extract, ingest
from ceasefire.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"


@pytest.fixture(scope="module")
def monitored(tmp_path_factory: pytest.TempPathFactory, syria_pack, extractor) -> Iterator[Store]:
    """A SQLite database holding the demo corpus ingested, extracted, clustered, assessed and checkpointed."""
    folder = tmp_path_factory.mktemp("monitored")
    store = Store.open(str(folder / "monitor.db"))
    ingest(store, [CORPUS], pack=syria_pack)
    extract(store, extractor)
    cluster_claims(store, syria_pack)
    assess_incidents(store, syria_pack)
    new_key("body", folder)
    checkpoint(store, load_private(folder / "body.key"), "test mission")
    yield store
    store.close()


def words(text: str) -> Evidence:
    return Evidence(start=0, end=len(text), text=text, report_sha256="ab" * 32)


def incident(number: int, *, day: dt.date = dt.date(2017, 1, 8), place: str = "Douma",
             deaths: tuple[int, int, int] | None = (3, 5, 8)) -> Incident:
    """A shelling of civilians by the Syrian Arab Army, with two independent origins."""
    return Incident(
        id=f"I-{number:010d}", event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        date=ClaimDate(evidence=words("on Sunday"), earliest=day, latest=day, time_precision=1),
        place=ClaimPlace(evidence=words(place), name=place, latitude=33.5722, longitude=36.4022,
                         admin1="Rif Dimashq", country="SY", geo_precision=1),
        actors=[ClaimActor(role=Role.PERPETRATOR, evidence=words("Government forces"), actor_id="syrian-arab-army",
                           side=Side.GOVERNMENT),
                ClaimActor(role=Role.TARGET, evidence=words("civilians"), actor_id="civilians", side=Side.CIVILIANS)],
        fatalities=Casualties(evidence=words("killing five"), low=deaths[0], best=deaths[1], high=deaths[2],
                              civilians=True) if deaths else None,
        claims=[ClaimRef(report_sha256=f"{number:064x}", index=0)],
        origins=[Origin(key="source:reuters", label="Reuters", source_id="reuters", reliability=Reliability.B),
                 Origin(key="source:afp", label="Agence France-Presse", source_id="afp", reliability=Reliability.B)])
