"""One set of counts (ceasefire.publish.counts): the map, the agreement page, the timeline, the API
and the periodic report give the same figures for the same question on the demo database."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from ceasefire.model import Verdict
from ceasefire.publish.report import build_report
from ceasefire.store import Store
from tests.web.conftest import bearer


def _map_totals(html: str) -> dict[str, int]:
    return {v: int(n) for v, n in re.findall(r'data-verdict="(\w+)">.*?: (\d+)</span>', html)}


def _map_list(html: str) -> dict[str, int]:
    badges = re.findall(r'<li class="verdict-(\w+)" data-id=', html)
    return {v.upper(): badges.count(v) for v in set(badges)}


def test_map_agreement_page_timeline_and_api_agree_for_the_public(client: TestClient, syria_pack) -> None:
    api = client.get("/api/v1/agreements/syria-2016-12-30").json()
    page = client.get("/?agreement=syria-2016-12-30").text
    assert _map_totals(page) == _map_list(page) == api["incidents_by_verdict"]
    assert api["incidents_by_verdict"]["VIOLATION"] == sum(api["violations_by_party"].values()) > 0
    agreement = client.get("/agreement").text
    for party, n in api["violations_by_party"].items():
        if any(p.actor == party for p in syria_pack.agreement.parties):
            assert f'data-testid="party-{party}">{n}<' in agreement
    timeline = client.get("/timeline").text
    names = {syria_pack.actors[p].name if p in syria_pack.actors else p: n
             for p, n in api["violations_by_party"].items()}
    assert {name: int(n) for name, n in re.findall(r"</svg> ([^<:]+): (\d+)</li>", timeline)} == names
    listed = client.get("/api/v1/incidents", params={"verdict": "VIOLATION"}).json()["incidents"]
    assert len(listed) == api["incidents_by_verdict"]["VIOLATION"]


def test_a_clause_is_counted_only_for_incidents_found_to_violate_it(client: TestClient, tokens: dict[str, str],
                                                                   syria_pack) -> None:
    api = client.get("/api/v1/agreements/syria-2016-12-30", headers=bearer(tokens["ana"])).json()
    for key, n in api["incidents_by_clause"].items():
        clause, verdict = key.split("|")
        shown = client.get("/api/v1/incidents", params={"clause": clause, "verdict": verdict},
                           headers=bearer(tokens["ana"])).json()["incidents"]
        assert len(shown) == n <= api["incidents_by_verdict"][verdict], key
    for key, n in api["findings_by_clause"].items():
        clause, _, verdict = key.split("|")
        assert n <= api["incidents_by_clause"][f"{clause}|{verdict}"], key


def test_the_report_counts_as_the_web_does(client: TestClient, tokens: dict[str, str], web_store: Store,
                                            syria_pack) -> None:
    first, last = web_store.incident_dates()
    assert first and last
    report = build_report(web_store, syria_pack, first, last)
    api = client.get("/api/v1/agreements/syria-2016-12-30", headers=bearer(tokens["ana"])).json()
    everything = client.get("/api/v1/incidents", params={"since": first.isoformat(), "until": last.isoformat()},
                            headers=bearer(tokens["ana"])).json()["incidents"]
    totals = {c.label: c.now for c in report.totals}
    for verdict in Verdict:
        assert totals[verdict.value] == sum(i["verdict"] == verdict for i in everything), verdict
    assert totals["VIOLATION"] == api["incidents_by_verdict"]["VIOLATION"]
    names = {syria_pack.actors[p].name if p in syria_pack.actors else p: n
             for p, n in api["violations_by_party"].items()}
    assert {c.label: c.now for c in report.by_party} == names
    assert sum(sum(days.values()) for days in report.daily.values()) == totals["VIOLATION"]
    for row in report.clauses:
        assert row["violated"] == api["incidents_by_clause"].get(f"{row['id']}|VIOLATION", 0) <= totals["VIOLATION"]
    assert first <= min(dt.date.fromisoformat(i["date"]) for i in everything)
