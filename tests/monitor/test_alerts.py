"""Alerts: a new incident or a changed verdict reaches each subscriber whose query asks for it,
signed, retried, recorded, and at most once per change, across restarts."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from ceasefire.monitor.alerts import find_alerts, notify
from ceasefire.monitor.deliver import Outbox
from ceasefire.monitor.subscriptions import SubscriptionError, subscribe
from ceasefire.store import Store
from ceasefire.store.incident_query import BadQuery, ask
from tests.monitor.alerting import BASE_URL, Monitored, Receiver
from tests.verify.claims import HARASTA


def review(monitored: Monitored, incident_id: str, verdict: str) -> None:
    monitored.store.add_reviewer("dana", "un", admin=False)
    monitored.store.add_review({"incident_id": incident_id, "action": "override", "verdict": verdict,
                                "reason": "seen on site", "reviewer": "dana", "justification": "none needed",
                                "justified_by": "chief"})


def only_incident(monitored: Monitored, **words: str) -> str:
    (found,) = monitored.store.incidents(ask(monitored.pack, **words))
    return found.incident.id


def alerts_in(receiver: Receiver) -> list[dict]:
    return [alert for request in receiver.received for alert in json.loads(request.body)["alerts"]]


def test_a_new_incident_is_posted_once_signed_with_the_subscription_secret(
        monitored: Monitored, receiver: Receiver, outbox: Outbox) -> None:
    made = subscribe(monitored.store, monitored.pack, "desk", published_only=False, webhook=receiver.url)
    monitored.report("a", "reuters")
    done = notify(monitored.store, monitored.pack, outbox)
    assert (done.changes, done.alerts, done.delivered, done.failed) == (1, 1, 1, 0)
    (request,) = receiver.received
    expected = "sha256=" + hmac.new(made.webhook_secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["x-ceasefire-signature"] == expected
    body = json.loads(request.body)
    (alert,) = body["alerts"]
    incident = only_incident(monitored)
    assert body["subscription"] == {"id": made.id, "name": "desk"}
    assert request.headers["x-ceasefire-delivery"] == str(body["delivery"])
    assert (alert["kind"], alert["incident"], alert["after"], alert["link"]) == (
        "new", incident, "VIOLATION", f"{BASE_URL}/incidents/{incident}")
    assert notify(monitored.store, monitored.pack, outbox).alerts == 0
    assert len(receiver.received) == 1


def test_a_forged_body_does_not_match_the_signature(monitored: Monitored, receiver: Receiver,
                                                    outbox: Outbox) -> None:
    made = subscribe(monitored.store, monitored.pack, "desk", published_only=False, webhook=receiver.url)
    monitored.report("a", "reuters")
    notify(monitored.store, monitored.pack, outbox)
    (request,) = receiver.received
    forged = request.body.replace(b"VIOLATION", b"UNVERIFIED")
    again = "sha256=" + hmac.new(made.webhook_secret.encode(), forged, hashlib.sha256).hexdigest()
    assert not hmac.compare_digest(again, request.headers["x-ceasefire-signature"])


def test_a_failing_webhook_is_retried_with_growing_waits_and_the_delivery_recorded(
        monitored: Monitored, receiver: Receiver, outbox: Outbox, waits: list[float]) -> None:
    made = subscribe(monitored.store, monitored.pack, "desk", published_only=False, webhook=receiver.url)
    receiver.failures = 2
    monitored.report("a", "reuters")
    done = notify(monitored.store, monitored.pack, outbox)
    assert receiver.answered == [500, 500, 204] and waits == [1.0, 2.0]
    assert len({r.body for r in receiver.received}) == 1  # the same delivery each time
    (delivery,) = monitored.store.deliveries(made.id)
    assert (done.delivered, delivery.status, delivery.attempts, delivery.detail) == (1, "delivered", 3, "HTTP 204")


def test_a_webhook_that_never_answers_is_given_up_recorded_and_not_sent_again(
        monitored: Monitored, receiver: Receiver, outbox: Outbox, waits: list[float]) -> None:
    made = subscribe(monitored.store, monitored.pack, "desk", published_only=False, webhook=receiver.url)
    receiver.failures = 100
    monitored.report("a", "reuters")
    assert notify(monitored.store, monitored.pack, outbox).failed == 1
    (delivery,) = monitored.store.deliveries(made.id)
    assert (delivery.status, delivery.attempts, delivery.detail) == ("failed", 4, "HTTP 500")
    assert waits == [1.0, 2.0, 4.0]
    notify(monitored.store, monitored.pack, outbox)
    assert len(receiver.received) == 4


def test_a_webhook_refusing_with_4xx_is_not_retried(monitored: Monitored, receiver: Receiver,
                                                    outbox: Outbox) -> None:
    made = subscribe(monitored.store, monitored.pack, "desk", published_only=False, webhook=receiver.url)
    receiver.failures, receiver.failure_status = 100, 410
    monitored.report("a", "reuters")
    notify(monitored.store, monitored.pack, outbox)
    (delivery,) = monitored.store.deliveries(made.id)
    assert receiver.answered == [410]
    assert (delivery.status, delivery.attempts, delivery.detail) == ("failed", 1, "HTTP 410: refused, not retried")


def test_an_unreachable_webhook_is_retried_then_recorded_as_failed(monitored: Monitored, outbox: Outbox) -> None:
    made = subscribe(monitored.store, monitored.pack, "desk", published_only=False,
                     webhook="http://127.0.0.1:9/closed")  # nothing listens on the discard port
    monitored.report("a", "reuters")
    assert notify(monitored.store, monitored.pack, outbox).failed == 1
    (delivery,) = monitored.store.deliveries(made.id)
    assert delivery.status == "failed" and delivery.attempts == 4 and "ConnectError" in delivery.detail


def test_unverified_to_violation_is_one_alert_and_a_restart_sends_nothing_again(
        monitored: Monitored, receiver: Receiver, outbox: Outbox) -> None:
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)
    incident = only_incident(monitored)
    assert monitored.store.incident(incident).verdict == "UNVERIFIED"
    subscribe(monitored.store, monitored.pack, "desk", webhook=receiver.url)  # what is there is not news
    assert notify(monitored.store, monitored.pack, outbox).alerts == 0
    review(monitored, incident, "VIOLATION")
    notify(monitored.store, monitored.pack, outbox)
    restarted = Store.open(str(monitored.path))
    notify(restarted, monitored.pack, outbox)
    assert [(a["kind"], a["before"], a["after"], a["incident"]) for a in alerts_in(receiver)] == [
        ("verdict", "UNVERIFIED", "VIOLATION", incident)]


def test_a_delivery_cut_short_is_not_sent_again(monitored: Monitored, receiver: Receiver, outbox: Outbox) -> None:
    made = subscribe(monitored.store, monitored.pack, "desk", published_only=False, webhook=receiver.url)
    monitored.report("a", "reuters")
    notify(monitored.store, monitored.pack, Outbox(outbox.client, None, BASE_URL))  # finds and sends ...
    receiver.received.clear()
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)
    find_alerts(monitored.store, monitored.pack)
    pending = monitored.store.alerts(made.id, pending="webhook")
    monitored.store.claim_delivery(made.id, "webhook", [a.id for a in pending])  # ... and the process dies here
    notify(Store.open(str(monitored.path)), monitored.pack, outbox)
    assert receiver.received == []
    assert [d.status for d in monitored.store.deliveries(made.id)] == ["sending", "delivered"]


def test_a_subscriber_hears_only_of_what_its_query_asks_for(monitored: Monitored, receiver: Receiver,
                                                            outbox: Outbox) -> None:
    store, pack = monitored.store, monitored.pack
    subscribe(store, pack, "harasta", area="harasta", published_only=False, webhook=receiver.url)
    monitored.report("a", "reuters")  # Douma
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)
    notify(store, pack, outbox)
    listed = [s.incident.id for s in store.incidents(ask(pack, area="harasta"))]
    assert [a["incident"] for a in alerts_in(receiver)] == listed and len(listed) == 1


def test_a_minimum_confidence_leaves_out_incidents_assessed_with_less(monitored: Monitored, receiver: Receiver,
                                                                     outbox: Outbox) -> None:
    store, pack = monitored.store, monitored.pack
    monitored.report("a", "reuters")
    (found,) = store.incidents()
    assert found.confidence is not None
    subscribe(store, pack, "sure", min_confidence=min(1.0, found.confidence + 0.01), published_only=False,
              webhook=receiver.url)
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)
    notify(store, pack, outbox)
    expected = [s.incident.id for s in store.incidents(ask(pack, min_confidence=found.confidence + 0.01))]
    assert [a["incident"] for a in alerts_in(receiver)] == expected
    assert found.incident.id not in expected


def test_the_public_subscriber_hears_when_corroboration_makes_a_verdict_public(
        monitored: Monitored, receiver: Receiver, outbox: Outbox) -> None:
    subscribe(monitored.store, monitored.pack, "public", verdict="VIOLATION", webhook=receiver.url)
    monitored.report("a", "reuters")  # one origin: not public yet
    assert notify(monitored.store, monitored.pack, outbox).alerts == 0
    monitored.report("b", "afp")  # a second, independent origin
    notify(monitored.store, monitored.pack, outbox)
    assert [(a["kind"], a["after"], a["public"]) for a in alerts_in(receiver)] == [("published", "VIOLATION", True)]


def test_alerts_go_by_email_one_message_per_batch_with_links(monitored: Monitored, outbox: Outbox, smtp) -> None:
    inbox, settings = smtp
    made = subscribe(monitored.store, monitored.pack, "desk", published_only=False, email="desk@example.org")
    monitored.report("a", "reuters")
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)
    done = notify(monitored.store, monitored.pack, Outbox(outbox.client, settings, BASE_URL))
    assert (done.alerts, done.delivered) == (2, 1)
    (message,) = inbox.messages
    assert inbox.envelopes == [("alerts@monitor.example.org", ["desk@example.org"])]
    assert message["Subject"] == "ceasefire: 2 alerts for desk"
    assert message.get_content_type() == "text/plain"
    text = message.get_payload(decode=True).decode()
    for incident in monitored.store.incidents():
        assert f"{BASE_URL}/incidents/{incident.incident.id}" in text
    assert f"{BASE_URL}/feeds/subscriptions/{made.feed_token}.atom" in text
    notify(monitored.store, monitored.pack, Outbox(outbox.client, settings, BASE_URL))
    assert len(inbox.messages) == 1


def test_email_waits_while_no_smtp_server_is_configured(monitored: Monitored, outbox: Outbox, smtp) -> None:
    inbox, settings = smtp
    subscribe(monitored.store, monitored.pack, "desk", published_only=False, email="desk@example.org")
    monitored.report("a", "reuters")
    assert notify(monitored.store, monitored.pack, outbox).delivered == 0  # outbox has no SMTP settings
    assert notify(monitored.store, monitored.pack, Outbox(outbox.client, settings, BASE_URL)).delivered == 1
    assert len(inbox.messages) == 1


@pytest.mark.parametrize(("words", "said"), [
    ({"area": "Harastaa"}, "Unknown area 'Harastaa'. Did you mean 'harasta'"),
    ({"webhook": "ftp://example.org/x"}, "is not an http(s) URL"),
    ({"email": "desk"}, "'desk' is not an e-mail address"),
    ({"min_confidence": 1.5}, "A minimum confidence is between 0 and 1, not 1.5."),
])
def test_subscribe_refuses_what_it_cannot_use(monitored: Monitored, words: dict, said: str) -> None:
    with pytest.raises((BadQuery, SubscriptionError), match=None) as refused:
        subscribe(monitored.store, monitored.pack, "desk", **words)
    assert said in str(refused.value)
    assert monitored.store.subscriptions() == []
