"""Atom feeds read back by feedparser: a subscription's alerts, and the public feed of published
verdicts, which never shows an incident the publication rule hides."""

from __future__ import annotations

import feedparser

from ceasefire.monitor.alerts import find_alerts
from ceasefire.monitor.atom import published_feed, subscription_feed
from ceasefire.monitor.subscriptions import subscribe
from ceasefire.store.incident_query import IncidentQuery
from tests.monitor.alerting import BASE_URL, Monitored
from tests.verify.claims import HARASTA


def test_a_subscription_feed_is_valid_atom_with_an_entry_per_alert(monitored: Monitored) -> None:
    made = subscribe(monitored.store, monitored.pack, "desk <&> co", published_only=False)
    monitored.report("a", "reuters")
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)
    find_alerts(monitored.store, monitored.pack)
    feed = feedparser.parse(subscription_feed(monitored.store, made, BASE_URL))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "ceasefire: desk <&> co"
    incidents = {s.incident.id: s.verdict for s in monitored.store.incidents()}
    assert sorted(e.link for e in feed.entries) == sorted(f"{BASE_URL}/incidents/{i}" for i in incidents)
    assert sorted(e.title for e in feed.entries) == sorted(f"{i}: new, {v}" for i, v in incidents.items())
    assert all(e.updated_parsed and e.id for e in feed.entries)


def test_the_public_feed_shows_only_published_verdicts(monitored: Monitored) -> None:
    monitored.report("a", "reuters")
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)
    monitored.store.detect_changes()
    assert feedparser.parse(published_feed(monitored.store, BASE_URL)).entries == []
    monitored.report("b", "afp")  # corroborates the first incident: now public
    monitored.store.detect_changes()
    feed = feedparser.parse(published_feed(monitored.store, BASE_URL))
    public = [s.incident.id for s in monitored.store.incidents(IncidentQuery(published_only=True))]
    assert not feed.bozo and len(public) == 1
    assert [e.link for e in feed.entries] == [f"{BASE_URL}/incidents/{public[0]}"]
    assert feed.entries[0].title == f"{public[0]}: now published, VIOLATION"
