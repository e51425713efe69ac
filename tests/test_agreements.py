"""More than one agreement in one database: each pack extracts, clusters and judges the reports
ingested for it; an incident is judged under another agreement too when that one covers it
(scope decides); every reader asks under one agreement; nothing is anyone's default."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.extract.extractor import Extractor
from ceasefire.model import AgreementPack
from ceasefire.packs import load_pack
from ceasefire.pipeline import assess_incidents, cluster_claims, extract, ingest
from ceasefire.store import Store
from ceasefire.store.incident_query import ask

REPO = Path(__file__).resolve().parents[1]
SYRIA = "syria-2016-12-30"
MINSK = "ukraine-minsk-2015-02-12"
SYRIA_REPORTS = REPO / "examples" / "corpus" / "press" / "2017-02"
MINSK_REPORTS = [REPO / "examples" / MINSK / "corpus" / "press" / month for month in ("2015-03", "2015-04")]


@pytest.fixture(scope="module")
def minsk_pack() -> AgreementPack:
    return load_pack(MINSK)


def run_pack(store: Store, pack: AgreementPack, extractor: Extractor, paths: list[Path]) -> None:
    ingest(store, paths, pack=pack)
    extract(store, extractor)
    cluster_claims(store, pack)
    assess_incidents(store, pack)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, syria_pack, extractor, minsk_pack) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """One database holding reports of both agreements, each run through its own pack."""
    db = tmp_path_factory.mktemp("both") / "both.db"
    store = Store.open(str(db))
    run_pack(store, syria_pack, extractor, [SYRIA_REPORTS])
    run_pack(store, minsk_pack, Extractor(minsk_pack), MINSK_REPORTS)
    assess_incidents(store, syria_pack)  # judging again under the first keeps the second's verdicts
    store.close()
    yield db


def countries(store: Store, pack: AgreementPack) -> set[str | None]:
    return {s.incident.place.country if s.incident.place else None for s in store.incidents(ask(pack))}


def test_each_agreement_sees_its_own_incidents_with_its_own_verdicts(both: Path, syria_pack, minsk_pack) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(str(both))
    assert [a.id for a in store.agreements()] == [SYRIA, MINSK]
    assert countries(store, syria_pack) == {"SY"}
    assert countries(store, minsk_pack) == {"UA"}
    for pack in (syria_pack, minsk_pack):
        for stored in store.incidents(ask(pack)):
            overall = store.overall_assessment(stored.incident.id, pack.agreement.id)
            assert overall.agreement_id == pack.agreement.id and stored.automatic == overall.verdict


def test_a_second_pack_does_not_re_extract_the_first_packs_reports(both: Path, syria_pack) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(str(both))
    syrian = {a.actor_id for c in store.claims() for a in c.claim.actors if a.actor_id in syria_pack.actors}
    assert "syrian-arab-army" in syrian  # the Syria pack's actors, still on the Syrian reports' claims


def test_an_incident_is_judged_under_a_second_agreement_that_covers_it(both: Path, minsk_pack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    twin_folder = Path(shutil.copytree(Path(minsk_pack.path), tmp_path / "twin"))
    agreement = twin_folder / "agreement.yaml"
    agreement.write_text(agreement.read_text().replace(f"id: {MINSK}", "id: twin-truce", 1))
    twin = load_pack(twin_folder)
    copy = tmp_path / "both.db"
    shutil.copy(both, copy)
    store = Store.open(str(copy))
    assess_incidents(store, twin)
    under_twin = {s.incident.id for s in store.incidents(ask(twin))}
    under_minsk = {s.incident.id for s in store.incidents(ask(minsk_pack))}
    assert under_twin and under_twin <= under_minsk  # the Ukrainian incidents, judged under both; no Syrian one
    some = sorted(under_twin)[0]
    assert {a.agreement_id for a in store.assessments(some) if a.clause_id is None} == {MINSK, "twin-truce"}


def test_the_cli_asks_which_agreement_rather_than_assuming_one(both: Path) -> None:
    result = CliRunner().invoke(app, ["incidents", "list", "--db", str(both)])
    assert result.exit_code == 1
    assert re.search(rf"Which agreement\? This database monitors {SYRIA}, {MINSK}\. Pass --pack ID",
                     str(result.exception))
    listed = CliRunner().invoke(app, ["incidents", "list", "--db", str(both), "--pack", MINSK, "--format", "csv"])
    assert listed.exit_code == 0, listed.output
    assert "Shyrokyne" in listed.output and "Douma" not in listed.output


def test_the_api_filters_by_the_agreement_asked_for(both: Path, syria_pack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ceasefire.web.accounts import add_user, new_api_token
    from ceasefire.web.app import Settings, create_app

    copy = tmp_path / "both.db"
    shutil.copy(both, copy)
    store = Store.open(str(copy))
    add_user(store, "ana", "analyst", "analyst-password")
    token = {"Authorization": f"Bearer {new_api_token(store, 'ana')}"}
    with TestClient(create_app(store, syria_pack, Settings(secret_key="test", tiles=""))) as client:
        assert [a["id"] for a in client.get("/api/v1/agreements").json()] == [SYRIA, MINSK]
        syrian = client.get("/api/v1/incidents", headers=token).json()["incidents"]
        ukrainian = client.get("/api/v1/incidents", params={"agreement": MINSK}, headers=token).json()["incidents"]
    places = {r["place"] for r in syrian}
    assert syrian and ukrainian and not places & {r["place"] for r in ukrainian}
    under_minsk = Store.open(str(copy)).incidents(ask(load_pack(MINSK)))
    assert {r["id"] for r in ukrainian} <= {s.incident.id for s in under_minsk}
