"""One question, one answer: the same incident filters through the CLI, the API and the export
give the same incidents on one database (issue 14: the CLI once found 1 incident in Wadi Barada
where the web found 11)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.store import Store
from tests.web.conftest import bearer

QUERIES = [
    {},
    {"area": "Wadi Barada"},
    {"area": "rif-dimashq-governorate"},
    {"party": "syrian-government"},
    {"party": "Russia"},
    {"actor": "Hezbollah"},
    {"actor": "syrian-arab-army"},
    {"verdict": "VIOLATION"},
    {"clause": "C1"},
    {"since": "2017-01-20"},
    {"since": "2017-01-05", "until": "2017-01-10"},
    {"area": "Wadi Barada", "party": "syrian-government", "since": "2017-01-01"},
]


def options(query: dict[str, str]) -> list[str]:
    return [word for name, value in query.items() for word in (f"--{name}", value)]


def cli_ids(db: str, query: dict[str, str]) -> list[str]:
    result = CliRunner().invoke(app, ["incidents", "list", "--db", db, "--format", "json", *options(query)])
    assert result.exit_code == 0, result.output
    return [incident["id"] for incident in json.loads(result.stdout)]


def export_ids(db: str, query: dict[str, str]) -> list[str]:
    result = CliRunner().invoke(app, ["export", "--format", "json", "--out", "-", "--db", db, *options(query)])
    assert result.exit_code == 0, result.output
    return [incident["id"] for incident in json.loads(result.stdout)]


def api_ids(client: Any, token: str, query: dict[str, str]) -> list[str]:
    response = client.get("/api/v1/incidents", params=query | {"limit": "5000"}, headers=bearer(token))
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["incidents"]]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: ",".join(f"{k}={v}" for k, v in q.items()) or "all")
def test_cli_api_and_export_give_the_same_incidents(web_store: Store, client: Any, tokens: dict[str, str],
                                                     query: dict[str, str]) -> None:
    db = str(web_store.engine.url.database)
    located = {s.incident.id for s in web_store.incidents() if s.incident.place}
    from_cli, from_export = cli_ids(db, query), export_ids(db, query)
    from_api = api_ids(client, tokens["ana"], query)  # an analyst sees every incident, as the CLI does
    assert from_cli == from_export
    assert [i for i in from_cli if i in located] == from_api  # the API lists incidents it can place on the map
    if query == {}:
        assert len(from_cli) == len(web_store.incidents()) > 0


def test_an_incident_is_found_by_any_day_it_spans(web_store: Store) -> None:
    long = max(web_store.incidents(), key=lambda s: s.incident.date.latest - s.incident.date.earliest)
    last_day = long.incident.date.latest.isoformat()
    assert long.incident.date.earliest < long.incident.date.latest
    assert long.incident.id in cli_ids(str(web_store.engine.url.database), {"since": last_day})


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--area", "Narnia", "Unknown area 'Narnia'"),
    ("--actor", "Hezbolah", "Did you mean 'hezbollah'"),
    ("--party", "Rusia", "Did you mean 'russia'"),
    ("--clause", "C99", "Unknown clause 'C99'"),
])
def test_unknown_values_are_refused_with_the_nearest_known(web_store: Store, option: str, value: str,
                                                          said: str) -> None:
    result = subprocess.run([sys.executable, "-m", "ceasefire", "incidents", "list", "--db",
                             str(web_store.engine.url.database), option, value], capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and said in result.stderr
