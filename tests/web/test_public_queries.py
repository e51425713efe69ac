"""What the public can ask and see: filters answered in SQL, pages that end, queries that stop,
exact counts, one answer for hidden and missing incidents, the publication rule, observers kept
out of sight."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from ceasefire.model import (
    AgreementPack,
    Assessment,
    ClaimActor,
    ClaimDate,
    ClaimPlace,
    Evidence,
    Incident,
    Origin,
    Reliability,
    Responsibility,
    Role,
    Verdict,
)
from ceasefire.store import IncidentPoint, Store
from ceasefire.store.query import MAX_OFFSET, Cancel, QueryCancelled, QueryTimeout, time_limit
from ceasefire.web.accounts import add_user, new_api_token
from ceasefire.web.app import Settings, create_app
from tests.web.conftest import bearer

# -- filters in SQL: the same answers as before -----------------------------------------------


def listed(client: TestClient, headers: dict[str, str], **params: Any) -> list[str]:
    """Every id the list gives for these filters, read two at a time by following page.next."""
    found: list[str] = []
    url: str | None = "/api/v1/incidents"
    query: dict[str, Any] | None = params | {"limit": 2}
    while url:
        response = client.get(url, params=query, headers=headers)
        assert response.status_code == 200, response.text
        found += [i["id"] for i in response.json()["incidents"]]
        url, query = response.json()["page"]["next"], None
        assert len(found) < 500, "paging does not end"
    return found


def family(pack: AgreementPack, party: str) -> set[str]:
    """The web's meaning of a party: the party with its forces and proxies."""
    return {a for a in pack.actors if a == party or party in pack.sponsor_chain(a)}


@pytest.mark.parametrize("who", [None, "ana"])
def test_actor_and_party_filters_give_the_ids_they_gave_before(client: TestClient, tokens: dict[str, str],
                                                               web_store: Store, syria_pack: AgreementPack,
                                                               who: str | None) -> None:
    headers = bearer(tokens[who]) if who else {}
    actors = {s.incident.id: {a.actor_id for a in s.incident.actors} for s in web_store.incidents()}
    for other in ({}, {"since": "2017-01-01", "until": "2017-01-31"}, {"area": "wadi-barada"},
                  {"verdict": "VIOLATION"}):
        everything = listed(client, headers, **other)
        for party in ("syrian-government", "russia", "iran", "free-syrian-army", "islamic-state"):
            wanted = [i for i in everything if actors[i] & family(syria_pack, party)]
            assert listed(client, headers, party=party, **other) == wanted, (party, other)
        for actor in ("syrian-arab-army", "hezbollah", "ahrar-al-sham"):
            assert listed(client, headers, actor=actor, **other) == [i for i in everything if actor in actors[i]]
        both = [i for i in everything if "syrian-arab-army" in actors[i] and actors[i] & family(syria_pack, "iran")]
        assert listed(client, headers, actor="syrian-arab-army", party="iran", **other) == both


def test_offset_paging_gives_the_same_order_as_next_links(client: TestClient, tokens: dict[str, str]) -> None:
    headers = bearer(tokens["ana"])
    followed = listed(client, headers, party="syrian-government")
    by_offset: list[str] = []
    for offset in range(0, len(followed) + 3, 3):
        response = client.get("/api/v1/incidents", params={"party": "syrian-government", "limit": 3,
                                                           "offset": offset}, headers=headers)
        by_offset += [i["id"] for i in response.json()["incidents"]]
    assert len(followed) > 6 and by_offset == followed


def test_a_huge_offset_is_refused_with_the_way_to_page(client: TestClient) -> None:
    response = client.get("/api/v1/incidents", params={"party": "russia", "offset": 1_000_000_000, "limit": 1})
    assert response.status_code == 422
    message = response.json()["error"]
    assert f"'offset' must be between 0 and {MAX_OFFSET:,}, got 1000000000" in message and "page.next" in message
    assert client.get("/api/v1/incidents", params={"offset": MAX_OFFSET}).status_code == 200


def test_a_bad_page_cursor_says_what_to_send(client: TestClient) -> None:
    response = client.get("/api/v1/incidents", params={"after": "yesterday"})
    assert response.status_code == 422
    assert "'after'" in response.json()["error"] and "page.next" in response.json()["error"]


# -- statement timeout and cancellation ---------------------------------------------------------


def slow_statement(store: Store) -> str:
    if store.engine.dialect.name == "postgresql":
        return "SELECT pg_sleep(30)"
    return ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000000000) "
            "SELECT count(*) FROM n")


def test_a_statement_over_the_time_limit_is_stopped(store: Store) -> None:
    began = time.monotonic()
    with pytest.raises(QueryTimeout, match="took longer than 0.2 s"), store.engine.begin() as conn:
        with time_limit(conn, 0.2):
            conn.execute(text(slow_statement(store)))
    assert time.monotonic() - began < 5


def test_a_cancelled_statement_stops_at_once(store: Store) -> None:
    cancel = Cancel()
    threading.Timer(0.3, cancel.cancel).start()
    began = time.monotonic()
    with pytest.raises(QueryCancelled), store.engine.begin() as conn:
        with time_limit(conn, 60, cancel):
            conn.execute(text(slow_statement(store)))
    assert time.monotonic() - began < 5


class SlowStore(Store):
    """A real database whose map query is a statement that runs until it is stopped."""

    stopped: list[str] = []

    def incident_points(self, query: Any, *, cancel: Cancel | None = None, **_: Any) -> list[IncidentPoint]:
        try:
            self._read("wait", text(slow_statement(self)), cancel)
        except QueryCancelled:
            self.stopped.append("cancelled")
            raise
        return []


def test_a_read_stops_when_its_client_disconnects(db_url: str, syria_pack: AgreementPack) -> None:
    import httpx
    import uvicorn

    from tests.web.conftest import free_port

    store = SlowStore.open(db_url)
    store.stopped = []
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, syria_pack, Settings(secret_key="s", tiles="")),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"http://127.0.0.1:{port}/api/v1/incidents", timeout=0.5)  # the client gives up
        deadline = time.monotonic() + 5
        while not store.stopped and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.stopped == ["cancelled"]
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


def test_a_query_over_the_time_limit_gets_a_503_in_the_error_shape(client: TestClient, web_store: Store) -> None:
    web_store.read_timeout = 0.0
    response = client.get("/api/v1/incidents", params={"party": "russia"})
    assert response.status_code == 503
    assert list(response.json()) == ["error"]
    assert "took longer than 0 s" in response.json()["error"] and "narrower" in response.json()["error"]
    page = client.get("/timeline")
    assert page.status_code == 503 and "took longer than 0 s" in page.text


# -- counts in SQL ------------------------------------------------------------------------------

DAY = dt.date(2017, 1, 10)


def made_incident(n: int, origins: int, day: dt.date = DAY, actor: str = "syrian-arab-army") -> Incident:
    return Incident(
        id=f"I-{n:010x}", event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
        date=ClaimDate(earliest=day, latest=day, time_precision=1),
        place=ClaimPlace(name="Deir Qanun", area_id="deir-qanun", latitude=33.66, longitude=36.11, geo_precision=1),
        actors=[ClaimActor(role=Role.PERPETRATOR, actor_id=actor, evidence=Evidence(start=0, end=8, text="the army"))],
        origins=[Origin(key=f"source:outlet-{k}", label=f"outlet {k}", reliability=Reliability.B)
                 for k in range(origins)])


def made_assessments(incident: Incident, pack: AgreementPack, verdict: Verdict) -> list[Assessment]:
    blame = Responsibility(perpetrator="syrian-arab-army", party="syrian-government")
    return [Assessment(incident_id=incident.id, agreement_id=pack.agreement.id, verdict=verdict, confidence=0.8,
                       responsibility=blame),
            Assessment(incident_id=incident.id, agreement_id=pack.agreement.id, clause_id="C1", verdict=verdict,
                       confidence=0.8, responsibility=blame)]


@pytest.fixture
def app_client(store: Store, syria_pack: AgreementPack) -> Iterator[TestClient]:
    """The web app over a fresh database (SQLite file or PostgreSQL) the test fills itself."""
    with TestClient(create_app(store, syria_pack, Settings(secret_key="test-secret", tiles=""))) as client:
        yield client


def test_public_counts_are_exact_beyond_five_thousand(tmp_path: Path, syria_pack: AgreementPack) -> None:
    # SQLite only: writing 5,001 incidents with their ledger records takes a while, and PostgreSQL
    # runs the same GROUP BY queries in the publication-rule tests below.
    store = Store.open(str(tmp_path / "many.db"))
    count = 5_001
    incidents = [made_incident(n, origins=2, day=DAY + dt.timedelta(days=n % 20)) for n in range(count)]
    store.save_incidents(incidents)
    store.save_assessments([a for i in incidents for a in made_assessments(i, syria_pack, Verdict.VIOLATION)])
    with TestClient(create_app(store, syria_pack, Settings(secret_key="test-secret", tiles=""))) as client:
        agreement = client.get(f"/api/v1/agreements/{syria_pack.agreement.id}").json()
        assert agreement["violations_by_party"] == {"syrian-government": count}
        assert agreement["findings_by_clause"] == {"C1||VIOLATION": count}
        assert f"Syrian government: {count}" in client.get("/timeline").text
        later = len([n for n in range(count) if n % 20])
        assert f"Syrian government: {later}" in client.get("/timeline", params={"since": "2017-01-11"}).text


# -- the publication rule -----------------------------------------------------------------------


def seen_by_public(client: TestClient, incident_id: str) -> dict[str, bool]:
    agreement = client.get("/api/v1/agreements/syria-2016-12-30").json()
    return {"list": incident_id in {i["id"] for i in client.get("/api/v1/incidents").json()["incidents"]},
            "map": incident_id in client.get("/").text,
            "api": client.get(f"/api/v1/incidents/{incident_id}").status_code == 200,
            "assessments": client.get(f"/api/v1/incidents/{incident_id}/assessments").status_code == 200,
            "page": client.get(f"/incidents/{incident_id}").status_code == 200,
            "agreement": agreement["violations_by_party"].get("syrian-government") == 1,
            "timeline": "Syrian government: 1" in client.get("/timeline").text}


def test_a_single_origin_violation_is_not_public(store: Store, syria_pack: AgreementPack,
                                                 app_client: TestClient) -> None:
    lone = made_incident(1, origins=1)
    store.save_incidents([lone])
    store.save_assessments(made_assessments(lone, syria_pack, Verdict.VIOLATION))
    assert not any(seen_by_public(app_client, lone.id).values())
    add_user(store, "ana", "analyst", "analyst-password")
    analyst = bearer(new_api_token(store, "ana"))
    assert app_client.get(f"/api/v1/incidents/{lone.id}", headers=analyst).json()["verdict"] == "VIOLATION"
    assert [i["id"] for i in app_client.get("/api/v1/incidents", headers=analyst).json()["incidents"]] == [lone.id]


def test_a_violation_with_two_independent_origins_is_public(store: Store, syria_pack: AgreementPack,
                                                            app_client: TestClient) -> None:
    corroborated = made_incident(2, origins=2)
    store.save_incidents([corroborated])
    store.save_assessments(made_assessments(corroborated, syria_pack, Verdict.VIOLATION))
    assert all(seen_by_public(app_client, corroborated.id).values())


def test_two_origins_are_not_enough_for_an_unverified_incident(store: Store, syria_pack: AgreementPack,
                                                               app_client: TestClient) -> None:
    unverified = made_incident(3, origins=2)
    store.save_incidents([unverified])
    store.save_assessments(made_assessments(unverified, syria_pack, Verdict.UNVERIFIED))
    assert not seen_by_public(app_client, unverified.id)["api"]


def test_a_reviewed_single_origin_violation_is_public(store: Store, syria_pack: AgreementPack,
                                                      app_client: TestClient) -> None:
    lone = made_incident(4, origins=1)
    store.save_incidents([lone])
    store.save_assessments(made_assessments(lone, syria_pack, Verdict.VIOLATION))
    add_user(store, "ana", "analyst", "analyst-password")
    body = {"action": "confirm", "reason": "Our team saw the shelling."}
    response = app_client.post(f"/api/v1/incidents/{lone.id}/reviews", json=body,
                               headers=bearer(new_api_token(store, "ana")))
    assert response.status_code == 201, response.text
    assert all(seen_by_public(app_client, lone.id).values())


# -- one answer for hidden and missing incidents --------------------------------------------------


def test_an_unpublished_incident_looks_like_a_missing_one(client: TestClient, tokens: dict[str, str]) -> None:
    everything = client.get("/api/v1/incidents", headers=bearer(tokens["ana"])).json()["incidents"]
    hidden = next(i["id"] for i in everything if i["verdict"] == "UNVERIFIED")
    missing = "I-0000000000"
    for path in ("/api/v1/incidents/{}", "/api/v1/incidents/{}/assessments", "/incidents/{}"):
        shown, absent = client.get(path.format(hidden)), client.get(path.format(missing))
        assert shown.status_code == absent.status_code == 404, path
        assert shown.text.replace(hidden, missing) == absent.text, path
    assert client.get(f"/api/v1/incidents/{hidden}", headers=bearer(tokens["ana"])).status_code == 200


# -- observers out of sight ----------------------------------------------------------------------

OBSERVER = "amira-k"


@pytest.fixture
def observed(client: TestClient, web_store: Store, tokens: dict[str, str]) -> str:
    """A published incident resting on one observer's report, submitted at 10:37 (+02:00)."""
    add_user(web_store, OBSERVER, "observer", "observer-password")
    text_ = "Government forces shelled Basimah on Monday, killing three civilians, our observer said."
    body = {"text": text_, "observed_at": "2017-01-17T10:37:00+02:00", "latitude": 33.62, "longitude": 36.16}
    response = client.post("/api/v1/reports", json=body, headers=bearer(new_api_token(web_store, OBSERVER)))
    assert response.status_code == 201, response.text
    assert client.app.state.processor.wait_idle(120)  # type: ignore[attr-defined]
    found = client.get("/api/v1/incidents", params={"since": "2017-01-16", "until": "2017-01-16"},
                       headers=bearer(tokens["ana"])).json()["incidents"]
    incident_id = str(next(i["id"] for i in found if i["place"] == "Basimah"))
    review = {"action": "confirm", "reason": "Checked with the team on the ground."}
    assert client.post(f"/api/v1/incidents/{incident_id}/reviews", json=review,
                       headers=bearer(tokens["ana"])).status_code == 201
    return incident_id


def test_the_public_api_shows_an_observer_report_and_its_day_never_the_account(
        client: TestClient, observed: str) -> None:
    detail = client.get(f"/api/v1/incidents/{observed}")
    assessments = client.get(f"/api/v1/incidents/{observed}/assessments")
    assert detail.status_code == assessments.status_code == 200
    assert OBSERVER not in detail.text and OBSERVER not in assessments.text
    report = next(c["report"] for c in detail.json()["claims"] if c["report"]["source"] == "observer report")
    assert report["published"] == "2017-01-17"
    assert "10:37" not in detail.text and "08:37" not in detail.text
    assert all(len(record["at"]) == 10 for record in detail.json()["history"])


def test_analysts_see_the_observer_account_and_time_on_the_api(client: TestClient, tokens: dict[str, str],
                                                                observed: str) -> None:
    detail = client.get(f"/api/v1/incidents/{observed}", headers=bearer(tokens["ana"])).json()
    report = next(c["report"] for c in detail["claims"] if c["report"]["source"] == OBSERVER)
    assert dt.datetime.fromisoformat(report["published"]) == dt.datetime(2017, 1, 17, 8, 37, tzinfo=dt.UTC)
    assert f"observer:{OBSERVER}" in {o["key"] for o in detail["incident"]["origins"]}


def test_the_incident_page_hides_the_observer_from_the_public_only(client: TestClient, tokens: dict[str, str],
                                                                    observed: str) -> None:
    public = client.get(f"/incidents/{observed}").text
    assert OBSERVER not in public and "observer report" in public
    assert "2017-01-17" in public and "08:37" not in public and "10:37" not in public
    analyst = client.get(f"/incidents/{observed}", headers=bearer(tokens["ana"])).text
    assert OBSERVER in analyst and "2017-01-17 08:37" in analyst
