"""/api/v1/tallies and /tallies over the demo: the guarantors' counts for one day side by side,
beside the incidents verified there."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import bearer

DAY = "2017-02-20"  # the demo report of the two guarantors' counts


def test_the_two_guarantors_counts_stand_side_by_side(client: TestClient) -> None:
    rows = client.get("/api/v1/tallies", params={"since": DAY, "until": DAY}).json()["rows"]
    (row,) = rows
    assert (row["period_start"], row["period_end"], row["area"]) == (DAY, DAY, "Aleppo")
    figures = {f["counter_name"]: (f["count"], f["counted"]) for f in row["figures"]}
    assert figures == {"Russia": (10, "violations"), "Turkish Armed Forces": (14, "violations")}
    assert row["monitor_count"] is None and row["verified_incidents"] == 0
    assert row["incidents"] is None  # the public sees verified incidents only


def test_analysts_also_see_every_incident_count(client: TestClient, tokens: dict[str, str]) -> None:
    (row,) = client.get("/api/v1/tallies", params={"since": DAY, "until": DAY},
                        headers=bearer(tokens["ana"])).json()["rows"]
    assert row["incidents"] == 0


def test_a_bad_date_is_refused(client: TestClient) -> None:
    assert client.get("/api/v1/tallies", params={"since": "yesterday"}).status_code == 422


def test_the_page_lists_each_counter_with_its_words(client: TestClient) -> None:
    page = client.get("/tallies", params={"since": DAY, "until": DAY})
    assert page.status_code == 200
    assert "Turkish Armed Forces</strong>: 14 violations" in page.text and "<q>10 ceasefire violations</q>" in page.text
