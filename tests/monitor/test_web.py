"""The web side: a signed-in user's subscriptions page, the Atom feeds, and "since yesterday",
where the public sees only published findings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import feedparser
import pytest
from fastapi.testclient import TestClient

from ceasefire.monitor.alerts import find_alerts
from ceasefire.store.sources import Poll
from ceasefire.web.accounts import add_user
from ceasefire.web.app import Settings, create_app
from tests.monitor.alerting import Monitored
from tests.verify.claims import HARASTA

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(monitored: Monitored) -> Iterator[TestClient]:
    with TestClient(create_app(monitored.store, monitored.pack, Settings(secret_key="test", tiles="")),
                    base_url="https://monitor.example.org") as found:
        yield found


def sign_in(client: TestClient, monitored: Monitored, name: str, role: str) -> str:
    add_user(monitored.store, name, role, f"{name}-password-long")
    token = CSRF.search(client.get("/login").text)[1]
    answer = client.post("/login", data={"name": name, "password": f"{name}-password-long", "csrf_token": token},
                         follow_redirects=False)
    assert answer.status_code == 303
    return CSRF.search(client.get("/subscriptions").text)[1]


def test_a_signed_in_user_subscribes_follows_the_feed_and_unsubscribes(client: TestClient,
                                                                      monitored: Monitored) -> None:
    csrf = sign_in(client, monitored, "olga", "observer")
    made = client.post("/subscriptions", data={"name": "harasta desk", "area": "Harasta", "verdict": "UNVERIFIED",
                                               "webhook": "https://desk.example.org/hook", "csrf_token": csrf})
    assert made.status_code == 201 and 'data-testid="secret"' in made.text
    (subscription,) = monitored.store.subscriptions(owner="olga")
    assert (subscription.area, subscription.verdict, subscription.published_only) == ("Harasta", "UNVERIFIED", True)
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)
    find_alerts(monitored.store, monitored.pack)  # UNVERIFIED with one origin: not public, so no alert
    page = client.get("/subscriptions").text
    feed_url = f"https://monitor.example.org/feeds/subscriptions/{subscription.feed_token}.atom"
    assert "area=Harasta, verdict=UNVERIFIED, published only" in page and feed_url in page
    feed = client.get(feed_url)
    assert feed.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo and parsed.feed.title == "ceasefire: harasta desk" and parsed.entries == []
    gone = client.post(f"/subscriptions/{subscription.id}/delete", data={"csrf_token": csrf}, follow_redirects=False)
    assert gone.status_code == 303 and monitored.store.subscriptions() == []
    assert client.get(feed_url).status_code == 404


def test_a_bad_filter_is_shown_on_the_page_with_the_nearest_names(client: TestClient, monitored: Monitored) -> None:
    csrf = sign_in(client, monitored, "olga", "observer")
    refused = client.post("/subscriptions", data={"name": "x", "area": "Harastaa", "csrf_token": csrf})
    assert refused.status_code == 422 and "Did you mean &#39;harasta&#39;" in refused.text


def test_the_public_cannot_subscribe_on_the_web(client: TestClient) -> None:
    assert client.get("/subscriptions").status_code == 401


def test_since_yesterday_shows_the_public_only_published_findings(client: TestClient, monitored: Monitored) -> None:
    monitored.report("a", "reuters")
    monitored.report("b", "afp")  # two origins: public
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)  # one origin, UNVERIFIED: not public
    monitored.store.detect_changes()
    by_verdict = {s.verdict: s.incident.id for s in monitored.store.incidents()}
    public, hidden = by_verdict["VIOLATION"], by_verdict["UNVERIFIED"]
    seen = client.get("/since-yesterday").text
    assert f"/incidents/{public}" in seen and f"/incidents/{hidden}" not in seen
    sign_in(client, monitored, "ana", "analyst")
    seen = client.get("/since-yesterday").text
    assert f"/incidents/{public}" in seen and f"/incidents/{hidden}" in seen
    assert "New incidents (2)" in seen


def test_the_public_feed_is_served_as_atom(client: TestClient, monitored: Monitored) -> None:
    monitored.report("a", "reuters")
    monitored.report("b", "afp")
    monitored.store.detect_changes()
    answer = client.get("/feeds/published.atom")
    parsed = feedparser.parse(answer.content)
    assert answer.headers["content-type"].startswith("application/atom+xml") and not parsed.bozo
    assert [e.link for e in parsed.entries] == [
        f"https://monitor.example.org/incidents/{s.incident.id}" for s in monitored.store.incidents()]


def test_since_yesterday_lists_sources_that_stopped_answering(client: TestClient, monitored: Monitored) -> None:
    store = monitored.store
    store.add_source("https://quiet.example.org/feed.xml", "rss", 900)
    store.add_source("https://fine.example.org/feed.xml", "rss", 900)
    for _ in range(3):
        quiet = store.source("https://quiet.example.org/feed.xml")
        store.record_poll(quiet, Poll(dt.datetime.now(dt.UTC), "HTTP 500", failure="HTTP 500"))
    public = client.get("/since-yesterday").text
    assert "1 source(s) stopped answering" in public and "quiet.example.org" not in public
    sign_in(client, monitored, "ana", "analyst")
    seen = client.get("/since-yesterday").text
    assert "Sources not answering (1)" in seen and "https://quiet.example.org/feed.xml" in seen
    assert "fine.example.org" not in seen
