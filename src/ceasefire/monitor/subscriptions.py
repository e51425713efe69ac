"""Subscribing to an incident query: the filters are checked against the pack with
``store.incident_query.ask`` (the one meaning of "which incidents"), and kept as the words given."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from ceasefire.errors import CeasefireError
from ceasefire.model import AgreementPack
from ceasefire.store import Store
from ceasefire.store.incident_query import IncidentQuery, ask
from ceasefire.store.subscriptions import Subscription

EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class SubscriptionError(CeasefireError):
    """A subscription's filter or delivery address cannot be used."""

    status = 422


def subscribe(store: Store, pack: AgreementPack, name: str, *, area: str | None = None, party: str | None = None,
              clause: str | None = None, verdict: str | None = None, min_confidence: float | None = None,
              published_only: bool = True, webhook: str | None = None, email: str | None = None,
              owner: str | None = None) -> Subscription:
    """Subscribe to the incidents these filters ask for; told of the changes found from now on.

    Raises:
        BadQuery: a filter the pack does not know (naming the nearest known values).
        SubscriptionError: no name, a webhook that is not an http(s) URL, or a malformed e-mail address.
    """
    if not name.strip():
        raise SubscriptionError("A subscription needs a name (--name) to tell it apart in alerts and feeds.")
    query = ask(pack, area=area, party=party, clause=clause, verdict=verdict, min_confidence=min_confidence)
    if webhook is not None and (urlsplit(webhook).scheme not in ("http", "https") or not urlsplit(webhook).netloc):
        raise SubscriptionError(f"The webhook {webhook[:80]!r} is not an http(s) URL. Give one such as "
                                "https://example.org/hooks/ceasefire.")
    if email is not None and not EMAIL.match(email):
        raise SubscriptionError(f"{email[:80]!r} is not an e-mail address. Give one such as desk@example.org.")
    store.detect_changes()  # what is already there is the starting point, not news
    return store.add_subscription({
        "name": name.strip(), "owner": owner, "area": area, "party": party, "clause": query.clause,
        "verdict": query.verdict, "min_confidence": min_confidence, "published_only": published_only,
        "webhook_url": webhook, "webhook_secret": secrets.token_urlsafe(32) if webhook else None, "email": email,
        "feed_token": secrets.token_urlsafe(24)})


def subscription_query(pack: AgreementPack, subscription: Subscription) -> IncidentQuery:
    """The incidents a subscription asks for, as ``incidents list`` would find them.

    Raises:
        BadQuery: the pack no longer knows one of its filters.
    """
    return ask(pack, area=subscription.area, party=subscription.party, clause=subscription.clause,
               verdict=subscription.verdict, min_confidence=subscription.min_confidence,
               published_only=subscription.published_only)


def describe(subscription: Subscription) -> str:
    """The filters in words: "area=riverside, verdict=VIOLATION, confidence>=0.6, published only"."""
    parts = [f"{field}={value}" for field, value in (("area", subscription.area), ("party", subscription.party),
                                                     ("clause", subscription.clause),
                                                     ("verdict", subscription.verdict)) if value]
    if subscription.min_confidence is not None:
        parts.append(f"confidence>={subscription.min_confidence:g}")
    parts.append("published only" if subscription.published_only else "unpublished too")
    return ", ".join(parts)
