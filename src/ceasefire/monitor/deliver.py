"""Sending alerts: a webhook (JSON signed with HMAC-SHA256 in ``X-Ceasefire-Signature``, retried
with backoff) and e-mail over SMTP (settings from the environment, one plain-text message per batch).

A receiver checks a webhook by computing ``sha256=`` + the hex HMAC-SHA256 of the raw body with
the subscription's secret and comparing it with the header (in constant time);
``X-Ceasefire-Delivery`` names the delivery, so a receiver can also drop one it has seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import smtplib
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage

import httpx

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Ceasefire-Signature"
DELIVERY_HEADER = "X-Ceasefire-Delivery"


@dataclass(frozen=True)
class AlertItem:
    """One alert as it is sent: what changed about which incident, and where to read it."""

    alert: int
    change: int
    kind: str  # new, verdict, published
    incident: str
    before: str | None
    after: str | None
    public: bool
    at: dt.datetime
    earliest: dt.date
    latest: dt.date
    place: str | None
    event_type: str | None
    corroboration: int
    confidence: float | None
    link: str

    @property
    def title(self) -> str:
        """"I-640e3d36da: VIOLATION (was UNVERIFIED)", "I-...: new, UNVERIFIED", "I-...: now published, VIOLATION"."""
        verdict = self.after or "not assessed yet"
        if self.kind == "verdict":
            return f"{self.incident}: {verdict} (was {self.before or 'not assessed'})"
        return f"{self.incident}: {'new' if self.kind == 'new' else 'now published'}, {verdict}"

    @property
    def summary(self) -> str:
        days = self.earliest.isoformat() + (f" to {self.latest.isoformat()}" if self.latest != self.earliest else "")
        what = self.event_type or "event"
        where = f" at {self.place}" if self.place else ""
        sure = f", confidence {self.confidence:.2f}" if self.confidence is not None else ""
        return f"{what}{where}, {days}; {self.corroboration} independent origin(s){sure}."


@dataclass(frozen=True)
class Retry:
    """How often and how patiently a delivery is tried: waits of first, first*factor, ... up to longest."""

    attempts: int = 4
    first: float = 1.0
    factor: float = 2.0
    longest: float = 60.0

    def waits(self) -> list[float]:
        return [min(self.longest, self.first * self.factor**n) for n in range(self.attempts - 1)]


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    attempts: int
    detail: str


@dataclass(frozen=True)
class SmtpSettings:
    """Where e-mail goes, from ``CEASEFIRE_SMTP_HOST``, ``_PORT`` (25), ``_USER``, ``_PASSWORD``,
    ``_FROM`` (ceasefire@localhost) and ``_STARTTLS`` (1 to upgrade the connection)."""

    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "ceasefire@localhost"
    starttls: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """The settings in the environment; None when ``CEASEFIRE_SMTP_HOST`` is not set."""
        env = os.environ if environ is None else environ
        if not env.get("CEASEFIRE_SMTP_HOST"):
            return None
        return cls(host=env["CEASEFIRE_SMTP_HOST"], port=int(env.get("CEASEFIRE_SMTP_PORT") or 25),
                   user=env.get("CEASEFIRE_SMTP_USER") or None, password=env.get("CEASEFIRE_SMTP_PASSWORD") or None,
                   sender=env.get("CEASEFIRE_SMTP_FROM") or "ceasefire@localhost",
                   starttls=env.get("CEASEFIRE_SMTP_STARTTLS", "") in ("1", "true", "yes"))


@dataclass
class Outbox:
    """What delivering needs: an HTTP client, SMTP settings (None: e-mail waits), the public base
    URL for links, the retry policy and how to wait (tests pass one that does not sleep)."""

    client: httpx.Client
    smtp: SmtpSettings | None = None
    base_url: str = field(default_factory=lambda: public_base_url())
    retry: Retry = field(default_factory=Retry)
    sleep: Callable[[float], None] = time.sleep


def public_base_url() -> str:
    """Where readers reach the web app, for links in alerts and feeds: ``CEASEFIRE_BASE_URL``."""
    return os.environ.get("CEASEFIRE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def signature(secret: str, body: bytes) -> str:
    """The value of ``X-Ceasefire-Signature`` for this body: ``sha256=`` and the hex HMAC."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(subscription_id: int, name: str, delivery: int, items: list[AlertItem]) -> bytes:
    alerts = [{**asdict(item), "title": item.title, "summary": item.summary} for item in items]
    body = {"subscription": {"id": subscription_id, "name": name}, "delivery": delivery, "alerts": alerts}
    return json.dumps(body, default=str, ensure_ascii=False, sort_keys=True).encode()


def post_webhook(outbox: Outbox, url: str, secret: str, delivery: int, body: bytes) -> Outcome:
    """POST the body, signed; retried after a network error, a 5xx or a 429, never after another 4xx."""
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature(secret, body),
               DELIVERY_HEADER: str(delivery), "User-Agent": "ceasefire-alerts"}
    waits = outbox.retry.waits()
    detail = ""
    for attempt in range(1, outbox.retry.attempts + 1):
        try:
            answer = outbox.client.post(url, content=body, headers=headers, timeout=10.0, follow_redirects=False)
            detail = f"HTTP {answer.status_code}"
            if answer.is_success:
                return Outcome(True, attempt, detail)
            if answer.status_code < 500 and answer.status_code != 429:
                return Outcome(False, attempt, f"{detail}: refused, not retried")
        except httpx.HTTPError as exc:
            detail = f"{type(exc).__name__}: {exc}"
        if attempt <= len(waits):
            log.info("webhook %s: attempt %d failed (%s); retrying in %.1f s", url, attempt, detail, waits[attempt - 1])
            outbox.sleep(waits[attempt - 1])
    return Outcome(False, outbox.retry.attempts, detail)


def email_text(name: str, items: list[AlertItem], feed: str) -> tuple[str, str]:
    """(subject, plain text) of one message carrying a batch of alerts."""
    subject = f"ceasefire: {len(items)} alert{'s' if len(items) != 1 else ''} for {name}"
    lines = [f"{len(items)} change(s) for your subscription {name!r}:", ""]
    for item in items:
        lines += [item.title, f"  {item.summary}", f"  {item.link}", ""]
    lines += [f"All alerts of this subscription, as a feed: {feed}"]
    return subject, "\n".join(lines) + "\n"


def send_email(outbox: Outbox, to: str, subject: str, text: str) -> Outcome:
    """Send one plain-text message, retried after a network or server error."""
    assert outbox.smtp is not None
    smtp = outbox.smtp
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp.sender, to, subject
    message.set_content(text)
    waits = outbox.retry.waits()
    detail = ""
    for attempt in range(1, outbox.retry.attempts + 1):
        try:
            with smtplib.SMTP(smtp.host, smtp.port, timeout=10) as server:
                if smtp.starttls:
                    server.starttls()
                if smtp.user:
                    server.login(smtp.user, smtp.password or "")
                server.send_message(message)
            return Outcome(True, attempt, f"sent to {to} via {smtp.host}:{smtp.port}")
        except smtplib.SMTPRecipientsRefused as exc:
            return Outcome(False, attempt, f"recipient refused: {exc.recipients}")
        except (smtplib.SMTPException, OSError) as exc:
            detail = f"{type(exc).__name__}: {exc}"
        if attempt <= len(waits):
            outbox.sleep(waits[attempt - 1])
    return Outcome(False, outbox.retry.attempts, detail)
