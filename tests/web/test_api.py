"""/api/v1 as a client sees it: filters, published findings, evidence, submissions, reviews, errors."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from ceasefire.store import Store
from tests.web.conftest import bearer

JANUARY = {"since": "2017-01-01", "until": "2017-01-31"}


def ids(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return {i["id"] for i in response.json()["incidents"]}


def test_public_sees_published_findings_only_and_analysts_see_all(client: TestClient, tokens: dict[str, str],
                                                                    web_store: Store) -> None:
    public = client.get("/api/v1/incidents").json()["incidents"]
    everything = client.get("/api/v1/incidents", headers=bearer(tokens["ana"])).json()["incidents"]
    assert public and all(i["verdict"] != "UNVERIFIED" for i in public)
    assert {i["verdict"] for i in everything} >= {"UNVERIFIED", "VIOLATION"}
    assert len(everything) == len([s for s in web_store.incidents() if s.incident.place]) > len(public)
    hidden = next(i["id"] for i in everything if i["verdict"] == "UNVERIFIED")
    assert client.get(f"/api/v1/incidents/{hidden}").status_code == 404
    assert client.get(f"/api/v1/incidents/{hidden}", headers=bearer(tokens["ana"])).status_code == 200


def test_who_violated_around_wadi_barada_in_january_2017(client: TestClient) -> None:
    found = client.get("/api/v1/incidents", params=JANUARY | {"area": "wadi-barada", "verdict": "VIOLATION"})
    incidents = {i["place"]: i for i in found.json()["incidents"]}
    assert "Deir Qanun" not in incidents  # its takeover is denied in its own report's sentence: DISPUTED
    assert incidents["Basimah"]["perpetrator"] == "Syrian Arab Army"
    assert all(i["date"].startswith("2017-01") and i["verdict"] == "VIOLATION" for i in incidents.values())
    detail = client.get(f"/api/v1/incidents/{incidents['Basimah']['id']}").json()
    assert detail["verdict"] == "VIOLATION" and len(detail["claims"]) == 2
    for item in detail["claims"]:
        sentence = item["claim"]["sentence"]
        assert item["claim"]["place"]["evidence"]["text"] in sentence["text"]
        assert item["report"]["sha256"] == item["claim"]["report_sha256"]


def test_filters_narrow_and_the_next_page_follows(client: TestClient) -> None:
    everything = ids(client.get("/api/v1/incidents"))
    january = ids(client.get("/api/v1/incidents", params=JANUARY))
    near_damascus = ids(client.get("/api/v1/incidents", params={"bbox": "35.9,33.3,36.6,33.8"}))
    by_army = ids(client.get("/api/v1/incidents", params={"actor": "syrian-arab-army"}))
    by_government_side = ids(client.get("/api/v1/incidents", params={"party": "syrian-government"}))
    assert january < everything and near_damascus < everything and by_army < everything
    assert by_army <= by_government_side  # the party filter includes its forces
    page = client.get("/api/v1/incidents", params={"limit": 2}).json()
    assert len(page["incidents"]) == 2 and "after=" in page["page"]["next"]  # a cursor, not an offset
    second = ids(client.get(page["page"]["next"]))
    assert second and not second & {i["id"] for i in page["incidents"]}


def test_geojson_is_a_feature_collection(client: TestClient) -> None:
    response = client.get("/api/v1/incidents.geojson", params=JANUARY)
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and collection["features"]
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert 35 < lon < 43 and 32 < lat < 38


def test_bad_filters_say_what_to_fix(client: TestClient) -> None:
    for params, words in [({"verdict": "GUILTY"}, "'verdict': Unknown verdict 'GUILTY': use one of VIOLATION"),
                          ({"since": "last week"}, "'since'"),
                          ({"area": "atlantis"}, "'area': Unknown area 'atlantis'"),
                          ({"actor": "Hezbolah"}, "Did you mean 'hezbollah'"),
                          ({"bbox": "1,2,3"}, "'bbox' must be west,south,east,north"),
                          ({"limit": "0"}, "limit")]:
        response = client.get("/api/v1/incidents", params=params)
        assert response.status_code == 422, params
        assert words in response.json()["error"], response.json()


def test_an_observer_report_goes_through_the_pipeline(client: TestClient, tokens: dict[str, str]) -> None:
    text = ("Government forces shelled Basimah on Monday, killing three civilians, "
            "according to our observer on the ground.")
    body = {"text": text, "observed_at": "2017-01-17T10:00:00+02:00", "latitude": 33.62, "longitude": 36.16}
    assert client.post("/api/v1/reports", json=body).status_code == 401
    assert client.post("/api/v1/reports", json=body, headers=bearer(tokens["obs"])).status_code == 201
    client.app.state.processor.wait_idle(60)  # type: ignore[attr-defined]
    again = client.post("/api/v1/reports", json=body, headers=bearer(tokens["obs"])).json()
    assert again["duplicate"] is True
    found = client.get("/api/v1/incidents", params={"since": "2017-01-16", "until": "2017-01-16",
                                                      "area": "wadi-barada"}, headers=bearer(tokens["ana"]))
    incident = next(i for i in found.json()["incidents"] if i["place"] == "Basimah")
    detail = client.get(f"/api/v1/incidents/{incident['id']}", headers=bearer(tokens["ana"])).json()
    assert any(c["report"]["source"] == "obs" for c in detail["claims"])
    assert "observer:obs" in {o["key"] for o in detail["incident"]["origins"]}


def test_observer_submission_errors_name_the_field(client: TestClient, tokens: dict[str, str]) -> None:
    bad = [({"text": "x", "observed_at": "2017-01-17T10:00:00"}, "observed_at"),
           ({"text": "x", "observed_at": "2017-01-17T10:00:00+02:00", "latitude": 95, "longitude": 36}, "latitude"),
           ({"text": "", "observed_at": "2017-01-17T10:00:00+02:00"}, "text"),
           ({"text": "x", "observed_at": "2999-01-17T10:00:00+02:00"}, "future")]
    for body, words in bad:
        response = client.post("/api/v1/reports", json=body, headers=bearer(tokens["obs"]))
        assert response.status_code == 422, body
        assert words in response.json()["error"], response.json()


def test_analyst_review_wins_and_others_may_not_review(client: TestClient, tokens: dict[str, str]) -> None:
    everything = client.get("/api/v1/incidents", headers=bearer(tokens["ana"])).json()["incidents"]
    target = next(i for i in everything if i["verdict"] == "UNVERIFIED")
    body = {"action": "override", "verdict": "VIOLATION", "reason": "Confirmed by our own observers."}
    for who, status in (("obs", 403), ("ana", 201)):
        response = client.post(f"/api/v1/incidents/{target['id']}/reviews", json=body, headers=bearer(tokens[who]))
        assert response.status_code == status, response.text
    published = client.get(f"/api/v1/incidents/{target['id']}").json()  # reviewed: now public
    assert published["verdict"] == "VIOLATION" and published["automatic_verdict"] == "UNVERIFIED"
    assert published["review"]["reason"] == "Confirmed by our own observers."


def test_agreements_actors_and_openapi(client: TestClient) -> None:
    agreement = client.get("/api/v1/agreements/syria-2016-12-30").json()
    assert agreement["agreement"]["effective"].startswith("2016-12-30")
    assert agreement["violations_by_party"].get("syrian-government", 0) >= 1
    assert client.get("/api/v1/agreements/elsewhere").status_code == 404
    assert "iran" in client.get("/api/v1/actors/hezbollah").json()["chain"]
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/incidents", "/api/v1/reports", "/api/v1/actors"} <= set(spec["paths"])


def test_agreement_page_says_which_parties_signed_this_text(client: TestClient, web_store: Store,
                                                           syria_pack) -> None:  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ceasefire.packs.signatures import pack_hash, sign_pack

    web_store.add_pack_signature(sign_pack(syria_pack, "syrian-government", Ed25519PrivateKey.generate()))
    page = client.get("/agreement").text
    assert pack_hash(syria_pack) in page
    rows = {row.split("</td>")[0]: row for row in page.split("<tr><td>")[1:]}
    assert "yes, Ed25519" in rows["Syrian government"]
    assert "yes, Ed25519" not in rows["Faylaq al-Sham"]


def test_actor_filter_pages_through_every_match(client: TestClient, tokens: dict[str, str]) -> None:
    everything = client.get("/api/v1/incidents", params={"actor": "syrian-arab-army"},
                            headers=bearer(tokens["ana"])).json()["incidents"]
    paged: list[str] = []
    for offset in range(0, len(everything) + 2, 2):
        found = client.get("/api/v1/incidents", params={"actor": "syrian-arab-army", "limit": 2, "offset": offset},
                           headers=bearer(tokens["ana"])).json()["incidents"]
        paged += [i["id"] for i in found]
    assert len(everything) > 4 and paged == [i["id"] for i in everything]


def test_an_analyst_reviews_through_the_incident_page(client: TestClient, tokens: dict[str, str]) -> None:
    from tests.reliability.test_web_security import form_token, sign_in

    target = client.get("/api/v1/incidents", params={"verdict": "UNVERIFIED"},
                        headers=bearer(tokens["ana"])).json()["incidents"][0]["id"]
    sign_in(client, "ana")
    page = f"/incidents/{target}"
    form = {"action": "override", "verdict": "NOT_A_VIOLATION", "reason": "The target was an IS position.",
            "csrf_token": form_token(client, page)}
    assert client.post(page + "/review", data=form, follow_redirects=False).status_code == 303
    shown = client.get(page).text
    assert "analyst ana overrode it (The target was an IS position.); automatic verdict UNVERIFIED" in shown
    assert 'data-testid="verdict">NOT_A_VIOLATION<' in shown


def test_a_bad_token_gets_a_clear_401_on_pages_too(client: TestClient) -> None:
    page = client.get("/", headers={"Authorization": "Bearer not-a-token"})
    api = client.get("/api/v1/incidents", headers={"Authorization": "Bearer not-a-token"})
    assert page.status_code == api.status_code == 401
    assert "The API token is not valid" in page.text and "The API token is not valid" in api.json()["error"]


def test_serve_says_what_to_do_when_the_port_is_taken(web_store: Store) -> None:
    import socket
    import subprocess
    import sys
    from pathlib import Path

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([str(Path(sys.executable).parent / "ceasefire"), "serve", "--db",
                                 str(web_store.engine.url.database), "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr and "pass --port N" in result.stderr


def test_anonymous_reports_are_refused_before_their_body_is_read(client: TestClient) -> None:
    for body in ({"text": ""}, {}, []):
        response = client.post("/api/v1/reports", json=body)
        assert response.status_code == 401, body
        assert "Sign in as observer" in response.json()["error"]
    garbled = client.post("/api/v1/reports", content=b"{not json", headers={"Content-Type": "application/json"})
    assert garbled.status_code == 401


def test_the_report_body_is_still_described_in_openapi(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/reports"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"] == "#/components/schemas/Submission"
    assert {"text", "observed_at"} <= set(spec["components"]["schemas"]["Submission"]["required"])
    assert "Body: JSON <code>Submission</code>" in client.get("/api/docs").text


def test_serve_starts_again_at_once_on_the_port_it_just_left(web_store: Store) -> None:
    import subprocess
    import sys
    from pathlib import Path

    import httpx

    from tests.web.conftest import free_port

    port = free_port()
    command = [str(Path(sys.executable).parent / "ceasefire"), "serve", "--db", str(web_store.engine.url.database),
               "--port", str(port), "--tiles", ""]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as kept_open:  # the server closes it: TIME_WAIT
        for _ in range(200):
            try:
                assert kept_open.get("/api/v1/agreements").status_code == 200
                break
            except httpx.TransportError:
                time.sleep(0.2)
        first.terminate()
        first.wait(30)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    answered = 0
    try:
        for _ in range(200):
            if second.poll() is not None:
                break
            try:
                answered = httpx.get(f"http://127.0.0.1:{port}/api/v1/agreements").status_code
                break
            except httpx.TransportError:
                time.sleep(0.2)
    finally:
        second.terminate()
        output = second.communicate(timeout=30)[0]
    assert "Cannot listen" not in output and answered == 200, output


def schema_of(spec: dict, node: dict) -> dict:  # type: ignore[type-arg]
    """The schema a node stands for, following $ref, array items and nullable unions."""
    while True:
        if "$ref" in node:
            node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
        elif node.get("type") == "array":
            node = node["items"]
        elif "anyOf" in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
        else:
            return node


def test_openapi_describes_incidents_assessments_and_reasons_field_by_field(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()

    def answer(path: str, method: str = "get", status: str = "200", media: str = "application/json") -> dict:  # type: ignore[type-arg]
        return schema_of(spec, spec["paths"][path][method]["responses"][status]["content"][media]["schema"])

    listed = answer("/api/v1/incidents")
    row = schema_of(spec, listed["properties"]["incidents"])
    assert {"id", "date", "verdict", "place", "perpetrator", "latitude", "corroboration"} <= set(row["properties"])
    assert "next" in schema_of(spec, listed["properties"]["page"])["properties"]
    detail = answer("/api/v1/incidents/{incident_id}")
    incident = schema_of(spec, detail["properties"]["incident"])
    assert {"id", "date", "place", "actors", "origins", "claims"} <= set(incident["properties"])
    assert {"report", "claim"} <= set(schema_of(spec, detail["properties"]["claims"])["properties"])
    assessment = answer("/api/v1/incidents/{incident_id}/assessments")
    reason = schema_of(spec, assessment["properties"]["reasons"])
    assert {"step", "text", "clause_id", "reading_id", "evidence"} <= set(reason["properties"])
    assert "bound" in schema_of(spec, reason["properties"]["step"])["enum"]
    assert "features" in answer("/api/v1/areas", media="application/geo+json")["properties"]
    assert "side" in answer("/api/v1/actors")["properties"]
    assert "clauses" in schema_of(spec, answer("/api/v1/agreements/{agreement_id}")["properties"]["agreement"])[
        "properties"]


def test_every_json_answer_of_the_api_has_a_described_shape(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    vague = [f"{method.upper()} {path}" for path, methods in spec["paths"].items() for method, op in methods.items()
             for status, answer in op["responses"].items() if status.startswith("2")
             for media in answer.get("content", {}).values()
             if not schema_of(spec, media["schema"]).get("properties")]
    assert vague == []


def test_assessments_give_each_reason_its_step_and_words(client: TestClient) -> None:
    found = client.get("/api/v1/incidents", params=JANUARY | {"area": "wadi-barada", "verdict": "VIOLATION"})
    incident_id = found.json()["incidents"][0]["id"]
    overall = client.get(f"/api/v1/incidents/{incident_id}/assessments").json()[0]
    assert overall["clause_id"] is None and overall["reasons"][0]["step"] == "time"
    bound = [r for r in overall["reasons"] if r["step"] == "bound"]
    assert bound and all(r["clause_id"] and r["evidence"][0]["text"] in r["text"] for r in bound)
