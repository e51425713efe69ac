"""Alerts: incident changes found from stored state, matched to each subscription's query, sent
at most once per change.

:func:`notify` does it all and is safe to run at any time and as often as wanted (after each
``watch`` poll, from cron, or in ``ceasefire schedule run``'s loop):

1. ``store.detect_changes`` compares each incident's winning verdict and visibility with the
   state it last saw, so a new incident, UNVERIFIED → VIOLATION after corroboration, or a
   review is one change, however the stages ran;
2. each subscription's unmatched changes are matched with ``store.matching_ids`` (its query, as
   ``incidents list`` answers it) and become alerts, one per (subscription, change);
3. each channel's unclaimed alerts are claimed by a delivery and then sent, so a restart never
   sends one again (a delivery cut short stays ``sending`` in ``ceasefire subscriptions``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from ceasefire.errors import CeasefireError
from ceasefire.model import AgreementPack
from ceasefire.monitor.deliver import AlertItem, Outbox, Outcome, email_text, post_webhook, send_email, webhook_body
from ceasefire.monitor.subscriptions import subscription_query
from ceasefire.store import Store
from ceasefire.store.incident_query import IncidentQuery
from ceasefire.store.subscriptions import Alert, Subscription

BATCH = 100  # alerts in one webhook call or one e-mail
log = logging.getLogger(__name__)


@dataclass
class Notified:
    """What one :func:`notify` did."""

    changes: int = 0
    alerts: int = 0
    delivered: int = 0  # deliveries (webhook calls, e-mails) that arrived
    failed: int = 0  # deliveries given up after their retries


def notify(store: Store, pack: AgreementPack, outbox: Outbox, now: dt.datetime | None = None) -> Notified:
    """Find changes, make the alerts they call for, and deliver every alert not yet delivered."""
    done = Notified()
    done.changes, done.alerts = find_alerts(store, pack, now)
    for subscription in store.subscriptions():
        delivered, failed = deliver_pending(store, subscription, outbox)
        done.delivered += delivered
        done.failed += failed
    return done


def find_alerts(store: Store, pack: AgreementPack, now: dt.datetime | None = None) -> tuple[int, int]:
    """(changes found, alerts made): record the changes, then match each subscription's new ones."""
    changes = len(store.detect_changes(now))
    made = 0
    for subscription in store.subscriptions():
        try:
            query = subscription_query(pack, subscription)
        except CeasefireError as exc:
            log.warning("subscription %d (%s) is skipped: %s", subscription.id, subscription.name, exc)
            continue
        while found := store.changes(after_seq=subscription.checked_seq, public_only=subscription.published_only):
            matched = store.matching_ids(query, sorted({c.incident_id for c in found}))
            made += store.record_alerts(subscription.id, [c.seq for c in found if c.incident_id in matched],
                                        found[-1].seq)
            subscription = store.subscription(subscription.id)
    return changes, made


def deliver_pending(store: Store, subscription: Subscription, outbox: Outbox) -> tuple[int, int]:
    """(delivered, failed): send the subscription's unclaimed alerts on each of its channels, in batches."""
    delivered = failed = 0
    channels = [c for c, wanted in (("webhook", subscription.webhook_url), ("email", subscription.email)) if wanted]
    if "email" in channels and outbox.smtp is None:
        log.warning("subscription %d wants e-mail but CEASEFIRE_SMTP_HOST is not set: its alerts wait",
                    subscription.id)
        channels.remove("email")
    for channel in channels:
        while pending := store.alerts(subscription.id, pending=channel, limit=BATCH):
            delivery, claimed = store.claim_delivery(subscription.id, channel, [a.id for a in pending])
            items = alert_items(store, [a for a in pending if a.id in claimed], outbox.base_url)
            outcome = _send(subscription, channel, delivery, items, outbox)
            store.finish_delivery(delivery, delivered=outcome.delivered, attempts=outcome.attempts,
                                  detail=outcome.detail)
            delivered += outcome.delivered
            failed += not outcome.delivered
    return delivered, failed


def _send(subscription: Subscription, channel: str, delivery: int, items: list[AlertItem], outbox: Outbox) -> Outcome:
    if channel == "webhook":
        assert subscription.webhook_url and subscription.webhook_secret
        body = webhook_body(subscription.id, subscription.name, delivery, items)
        return post_webhook(outbox, subscription.webhook_url, subscription.webhook_secret, delivery, body)
    assert subscription.email
    subject, text = email_text(subscription.name, items, feed_link(outbox.base_url, subscription))
    return send_email(outbox, subscription.email, subject, text)


def alert_items(store: Store, alerts: list[Alert], base_url: str) -> list[AlertItem]:
    """The alerts as they are sent, with the incident's facts as they are now (an incident that
    clustering has since dropped is left out)."""
    items = []
    for alert in alerts:
        found = store.incidents(IncidentQuery(id=alert.change.incident_id))
        if not found:
            continue
        stored = found[0]
        incident, change = stored.incident, alert.change
        items.append(AlertItem(
            alert=alert.id, change=change.seq, kind=change.kind, incident=incident.id, before=change.before,
            after=change.after, public=change.public, at=change.at, earliest=incident.date.earliest,
            latest=incident.date.latest, place=incident.place.name if incident.place else None,
            event_type=incident.sub_event_type or incident.event_type, corroboration=incident.corroboration,
            confidence=stored.confidence, link=incident_link(base_url, incident.id)))
    return items


def incident_link(base_url: str, incident_id: str) -> str:
    return f"{base_url.rstrip('/')}/incidents/{incident_id}"


def feed_link(base_url: str, subscription: Subscription) -> str:
    return f"{base_url.rstrip('/')}/feeds/subscriptions/{subscription.feed_token}.atom"
