"""Atom feeds (RFC 4287): one per subscription (its alerts; the address holds a secret token) and
a public one of published verdicts, so a reader can follow them in any feed reader.

The public feed lists the changes that left an incident public and keeps only those still public
now, by ``store.query.published`` (the rule the web, the API and the bundle apply).
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from ceasefire.monitor.alerts import alert_items, feed_link, incident_link
from ceasefire.monitor.deliver import AlertItem
from ceasefire.monitor.subscriptions import describe
from ceasefire.store import Store
from ceasefire.store.incident_query import IncidentQuery
from ceasefire.store.subscriptions import Alert, Subscription

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 100  # the newest entries a feed shows
TAG = "tag:ceasefire.invalid,2026:"  # entry and feed ids: stable, never fetched
EMPTY_SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # the "updated" of a feed with no entries yet


def subscription_feed(store: Store, subscription: Subscription, base_url: str) -> bytes:
    """The newest alerts of a subscription as an Atom document."""
    items = alert_items(store, store.alerts(subscription.id, limit=ENTRIES), base_url)
    return _feed(f"{TAG}subscription/{subscription.id}", f"ceasefire: {subscription.name}",
                 f"Alerts for {describe(subscription)}", feed_link(base_url, subscription), base_url, items,
                 subscription.created_at)


def published_feed(store: Store, base_url: str) -> bytes:
    """The newest published verdicts (new, changed, or newly public) as an Atom document."""
    changes = store.changes(public_only=True, newest_first=True, limit=ENTRIES)
    public = store.matching_ids(IncidentQuery(published_only=True), sorted({c.incident_id for c in changes}))
    alerts = [Alert(id=c.seq, subscription_id=0, change=c, created_at=c.at) for c in changes
              if c.incident_id in public]
    items = alert_items(store, alerts, base_url)
    return _feed(f"{TAG}published", "ceasefire: published verdicts",
                 "Verdicts the public may see: reviewed by an analyst, or resting on two independent origins",
                 f"{base_url.rstrip('/')}/feeds/published.atom", base_url, items, EMPTY_SINCE)


def _feed(feed_id: str, title: str, subtitle: str, self_link: str, base_url: str, items: list[AlertItem],
          empty_since: dt.datetime) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "subtitle", subtitle)
    _text(feed, "updated", _when(max((i.at for i in items), default=empty_since)))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=self_link)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=base_url.rstrip("/") + "/")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "ceasefire")
    _text(feed, "generator", "ceasefire")
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"{feed_id}/change/{item.change}")
        _text(entry, "title", item.title)
        _text(entry, "updated", _when(item.at))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                      href=incident_link(base_url, item.incident))
        _text(entry, "summary", item.summary)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=item.after or "UNASSESSED", label=item.kind)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + body


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = value


def _when(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
