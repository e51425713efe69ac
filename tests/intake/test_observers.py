"""Signed observer submissions: verified on intake; a bad signature is refused and stored nowhere."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ceasefire.intake.observers import signed_line
from ceasefire.ledger.keys import load_private, new_key
from ceasefire.model import ReportFormat
from ceasefire.pipeline import ingest
from ceasefire.store import Store
from ceasefire.web.accounts import add_user, new_api_token
from ceasefire.web.app import Settings, create_app

ITEM = {"observer": "team-7", "title": "Shelling seen from the ridge", "published": "2017-01-08T15:00:00+02:00",
        "text": "Team 7 saw about 20 shells land on the western edge of Basimah between 14:10 and 14:40."}


def test_signed_submission_is_stored_as_the_observers_and_a_forged_one_nowhere(store: Store, tmp_path: Path) -> None:
    private, public = new_key("team-7", tmp_path)
    store.add_observer("team-7", public.read_text())
    good = signed_line(ITEM, load_private(private))
    forged = json.loads(signed_line(ITEM, load_private(private)))
    forged["text"] = forged["text"].replace("20 shells", "200 shells")
    stranger = signed_line(ITEM | {"observer": "team-9"}, load_private(private))
    unsigned = json.dumps(ITEM)
    stdin = io.BytesIO("\n".join([good, json.dumps(forged), stranger, unsigned]).encode() + b"\n")
    result = ingest(store, ["-"], stdin=stdin)
    (report,) = store.reports()
    assert report.format is ReportFormat.OBSERVER and report.source == "team-7" and len(result.new) == 1
    reasons = {e.line: e.reason for e in result.rejected}
    assert "does not verify with observer 'team-7'" in reasons[2] and "refused, nothing stored" in reasons[2]
    assert "observer 'team-9' is not registered" in reasons[3]
    assert "needs both 'observer' and 'signature'" in reasons[4]


def _serialisations(line: str) -> list[str]:
    """The same signed object written four ways: as signed, keys reordered, spaced out, every
    character escaped (the key "observer" as "\\u006fbserver")."""
    item = json.loads(line)
    escaped = "{" + ", ".join(f'"{_escaped(key)}": {json.dumps(value)}' for key, value in item.items()) + "}"
    return [line, json.dumps(dict(reversed(item.items())), ensure_ascii=False), json.dumps(item, indent=None,
            separators=(" ,  ", " :   "), ensure_ascii=False), escaped]


def _escaped(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in text)


def test_one_signed_line_written_four_ways_is_stored_once(store: Store, tmp_path: Path) -> None:
    private, public = new_key("team-7", tmp_path)
    store.add_observer("team-7", public.read_text())
    lines = _serialisations(signed_line(ITEM | {"text": ITEM["text"] + " «وادي بردى»"}, load_private(private)))
    assert len(set(lines)) == 4
    result = ingest(store, ["-"], stdin=io.BytesIO("\n".join(lines).encode() + b"\n"))
    assert (len(result.new), len(result.duplicates), result.rejected) == (1, 3, [])
    (report,) = store.reports()
    assert report.format is ReportFormat.OBSERVER and report.source == "team-7"


def test_an_escaped_observer_key_does_not_skip_the_signature_check(store: Store, tmp_path: Path) -> None:
    private, public = new_key("team-7", tmp_path)
    store.add_observer("team-7", public.read_text())
    forged = json.loads(signed_line(ITEM, load_private(private)))
    forged["text"] = forged["text"].replace("20 shells", "200 shells")
    escaped = _serialisations(json.dumps(forged))[3]
    assert '"observer"' not in escaped
    result = ingest(store, ["-"], stdin=io.BytesIO(escaped.encode() + b"\n"))
    assert result.new == [] and store.reports() == []
    (refused,) = result.rejected
    assert "does not verify with observer 'team-7'" in refused.reason


def test_a_plain_line_that_mentions_an_observer_is_not_taken_for_a_signed_one(store: Store) -> None:
    line = json.dumps({"text": "An observer saw shelling in Basimah.", "source": "observer",
                       "published": "2017-01-08T15:00:00+02:00"})
    result = ingest(store, ["-"], stdin=io.BytesIO(line.encode() + b"\n"))
    assert len(result.new) == 1 and result.rejected == []
    assert store.reports()[0].format is ReportFormat.JSONL


@pytest.fixture
def observer_client(store: Store, syria_pack) -> Iterator[tuple[TestClient, str]]:
    """The web app over a fresh database of each kind, and an observer's API token."""
    app = create_app(store, syria_pack, Settings(secret_key="test-secret", tiles=""))
    add_user(store, "obs", "observer", "observer-password")
    with TestClient(app) as client:
        yield client, new_api_token(store, "obs")


def test_a_nul_in_text_is_refused_alike_by_the_api_and_by_files(observer_client: tuple[TestClient, str],
                                                                store: Store) -> None:
    client, token = observer_client
    text = "Shelling seen from the ridge\x00 at dawn."
    response = client.post("/api/v1/reports", json={"text": text, "observed_at": "2017-01-08T15:00:00+02:00"},
                           headers={"Authorization": f"Bearer {token}"})
    line = json.dumps({"text": text, "published": "2017-01-08T15:00:00+02:00"})
    (refused,) = ingest(store, ["-"], stdin=io.BytesIO(line.encode() + b"\n")).rejected
    reason = "field 'text' holds the character U+0000 at position 28, which cannot be stored; remove it"
    assert response.status_code == 422 and reason in response.json()["error"]
    assert reason in refused.reason
    assert store.reports() == []
