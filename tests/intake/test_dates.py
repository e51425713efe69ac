"""One date validator for every way a date comes in: a year outside 1900..2100 gets the same
answer from files of every format, observers' signed lines and the web API."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ceasefire.intake import ReportDefaults, input_files, read_file
from ceasefire.intake.observers import signed_line
from ceasefire.ledger.keys import load_private, new_key
from ceasefire.pipeline import ingest
from ceasefire.store import Store
from tests.intake.test_formats import acled_csv
from tests.publish.test_imports import ged_csv
from tests.web.conftest import bearer

TEXT = "Government forces shelled Basimah, killing three people."
OUT_OF_RANGE = "the year 1800 is outside 1900..2100"


def _refusal(path: Path) -> str:
    (item,) = list(input_files([path]))
    (found,) = list(read_file(item, io.BytesIO(), ReportDefaults()))
    assert not hasattr(found, "sha256"), f"{path.name} was accepted: {found}"
    return str(found)


def _file(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return _refusal(path)


def _front_matter(tmp_path: Path) -> str:
    return _file(tmp_path, "a.md", f"---\npublished: 1800-01-05\n---\n{TEXT}\n")


def _html(tmp_path: Path) -> str:
    return _file(tmp_path, "a.html", '<html><head><meta property="article:published_time" content="1800-01-05T08:00:00'
                 f'+00:00"></head><body><article><p>{TEXT}</p><p>{TEXT}</p></article></body></html>')


def _jsonl(tmp_path: Path) -> str:
    return _file(tmp_path, "a.jsonl", f'{{"text": "{TEXT}", "published": "1800-01-05T10:00:00+02:00"}}\n')


def _rss(tmp_path: Path) -> str:
    return _file(tmp_path, "a.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>w</title><item>'
                 f"<title>Shelling</title><description>{TEXT}</description>"
                 "<pubDate>Sun, 05 Jan 1800 10:00:00 +0000</pubDate></item></channel></rss>")


def _acled(tmp_path: Path) -> str:
    return _file(tmp_path, "a.csv", acled_csv({"event_date": "1800-01-05", "timestamp": ""}))


def _acled_timestamp(tmp_path: Path) -> str:
    return _file(tmp_path, "a.csv", acled_csv({"timestamp": "-5364316800"}))  # 1800-01-05


def _ucdp(tmp_path: Path) -> str:
    return _refusal(ged_csv(tmp_path / "ged.csv", {"date_start": "1800-01-05", "date_end": "2017-01-09"}))


def _observer_line(tmp_path: Path) -> str:
    store = Store.open(str(tmp_path / "observers.db"))
    private, public = new_key("team-7", tmp_path)
    store.add_observer("team-7", public.read_text())
    line = signed_line({"observer": "team-7", "text": TEXT, "published": "1800-01-05T10:00:00+02:00"},
                       load_private(private))
    result = ingest(store, ["-"], stdin=io.BytesIO(line.encode() + b"\n"))
    assert not result.new
    (refused,) = result.rejected
    return str(refused)


PATHS = {"front matter": (_front_matter, "published"), "html": (_html, "published"), "jsonl": (_jsonl, "published"),
         "rss": (_rss, "published"), "acled": (_acled, "event_date"),
         "acled timestamp": (_acled_timestamp, "timestamp"), "ucdp": (_ucdp, "date_start"),
         "observer line": (_observer_line, "published")}


@pytest.mark.parametrize("path", [*PATHS, "web api"])
def test_year_1800_gets_the_same_answer_on_every_intake_path(path: str, tmp_path: Path,
                                                             request: pytest.FixtureRequest) -> None:
    if path == "web api":
        client, tokens = request.getfixturevalue("client"), request.getfixturevalue("tokens")
        response = client.post("/api/v1/reports", headers=bearer(tokens["obs"]),
                               json={"text": TEXT, "observed_at": "1800-01-05T10:00:00+02:00"})
        assert response.status_code == 422
        reason, field = response.json()["error"], "observed_at"
    else:
        make, field = PATHS[path]
        reason = make(tmp_path)
    assert f"field '{field}'" in reason and OUT_OF_RANGE in reason, reason


def test_an_observer_cannot_submit_year_1_through_the_api(client: TestClient, tokens: dict[str, str]) -> None:
    body = {"text": TEXT, "observed_at": "0001-01-01T00:00:00-05:00"}
    response = client.post("/api/v1/reports", json=body, headers=bearer(tokens["obs"]))
    assert response.status_code == 422
    assert "field 'observed_at'" in response.json()["error"]
    assert "the year 1 is outside 1900..2100" in response.json()["error"]
    listed = client.get("/api/v1/incidents", params={"limit": 1}, headers=bearer(tokens["ana"]))
    assert listed.status_code == 200
