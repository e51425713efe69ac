"""Live monitoring pages: subscriptions of the signed-in user, the Atom feeds, and "since yesterday"
(new incidents and changed verdicts of the last day; the public sees only published ones)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ceasefire.errors import CeasefireError
from ceasefire.model import Verdict
from ceasefire.monitor.alerts import alert_items, feed_link
from ceasefire.monitor.atom import published_feed, subscription_feed
from ceasefire.monitor.subscriptions import describe, subscribe
from ceasefire.store.incident_query import IncidentQuery
from ceasefire.store.subscriptions import Alert
from ceasefire.web.accounts import UserRole
from ceasefire.web.pages import context
from ceasefire.web.session import check_csrf, current_user, require

router = APIRouter(include_in_schema=False)
ATOM_TYPE = "application/atom+xml; charset=utf-8"
SINCE = dt.timedelta(hours=24)


def _page(request: Request, template: str, status: int = 200, **extra: Any) -> HTMLResponse:
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, context(request, **extra), status_code=status)
    return response


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/since-yesterday", response_class=HTMLResponse)
def since_yesterday(request: Request) -> HTMLResponse:
    store = request.app.state.store
    since = dt.datetime.now(dt.UTC) - SINCE
    everything = current_user(request).role >= UserRole.ANALYST
    changes = store.changes(since=since, public_only=not everything, newest_first=True, limit=1000)
    if not everything:
        public = store.matching_ids(IncidentQuery(published_only=True), sorted({c.incident_id for c in changes}))
        changes = [c for c in changes if c.incident_id in public]
    items = alert_items(store, [Alert(c.seq, 0, c, c.at) for c in changes], _base(request))
    unhealthy = [s for s in store.sources() if not s.healthy]  # a silent source is not a quiet front
    return _page(request, "since.html", since=since, everything=everything, unhealthy=unhealthy,
                 new=[i for i in items if i.kind == "new"], changed=[i for i in items if i.kind != "new"])


@router.get("/subscriptions", response_class=HTMLResponse)
def subscriptions_page(request: Request) -> HTMLResponse:
    require(request, UserRole.OBSERVER)
    return _subscriptions(request)


def _subscriptions(request: Request, status: int = 200, **extra: Any) -> HTMLResponse:
    user = current_user(request)
    mine = request.app.state.store.subscriptions(owner=user.name)
    return _page(request, "subscriptions.html", status=status, verdicts=[v.value for v in Verdict],
                 rows=[(s, describe(s), feed_link(_base(request), s)) for s in mine],
                 may_see_unpublished=user.role >= UserRole.ANALYST, **extra)


@router.post("/subscriptions", response_class=HTMLResponse)
def subscribe_form(request: Request, name: str = Form(...), area: str = Form(""), party: str = Form(""),
                   clause: str = Form(""), verdict: str = Form(""), min_confidence: str = Form(""),
                   webhook: str = Form(""), email: str = Form(""), unpublished: str = Form(""),
                   csrf_token: str = Form("")) -> Response:
    user = require(request, UserRole.OBSERVER)
    check_csrf(request, csrf_token)
    try:
        confidence = float(min_confidence) if min_confidence.strip() else None
    except ValueError:
        return _subscriptions(request, 422, error=f"Minimum confidence {min_confidence[:20]!r} is not a number "
                                                  "between 0 and 1.")
    try:
        made = subscribe(request.app.state.store, request.app.state.pack, name, area=area or None,
                         party=party or None, clause=clause or None, verdict=verdict or None,
                         min_confidence=confidence, webhook=webhook or None, email=email or None, owner=user.name,
                         published_only=not (unpublished and user.role >= UserRole.ANALYST))
    except CeasefireError as refused:
        return _subscriptions(request, 422, error=str(refused))
    return _subscriptions(request, 201, made=made)


@router.post("/subscriptions/{subscription_id}/delete")
def unsubscribe_form(request: Request, subscription_id: int, csrf_token: str = Form("")) -> Response:
    user = require(request, UserRole.OBSERVER)
    check_csrf(request, csrf_token)
    request.app.state.store.remove_subscription(subscription_id, owner=user.name)
    return RedirectResponse("/subscriptions", status_code=303)


@router.get("/feeds/subscriptions/{token}.atom")
def subscription_atom(request: Request, token: str) -> Response:
    store = request.app.state.store
    found = store.subscription(feed_token=token)
    return Response(subscription_feed(store, found, _base(request)), media_type=ATOM_TYPE)


@router.get("/feeds/published.atom")
def published_atom(request: Request) -> Response:
    return Response(published_feed(request.app.state.store, _base(request)), media_type=ATOM_TYPE)



