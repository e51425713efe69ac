"""Server-rendered pages: map, timeline, tallies, incident, agreement, observer form, sign-in, users."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from ceasefire.adjudicate.review import review
from ceasefire.errors import CeasefireError, IntakeError
from ceasefire.model import ACLED_EVENT_TYPES, Verdict
from ceasefire.packs.signatures import pack_hash, signature_status
from ceasefire.publish.counts import count
from ceasefire.store.query import Cancel
from ceasefire.web import views
from ceasefire.web.accounts import ACCOUNT_ROLES, SignInBusy, UserRole, add_user, csrf_token, end_session, start_session
from ceasefire.web.agreements import pack_of
from ceasefire.web.disconnect import unless_disconnected
from ceasefire.web.session import check_csrf, client_address, current_user, require
from ceasefire.web.submissions import MAX_ATTACHMENT, submit_report

router = APIRouter(include_in_schema=False)


def context(request: Request, **extra: Any) -> dict[str, Any]:
    """What every page needs: the user, the pack, and the form token."""
    try:
        user = current_user(request)
    except HTTPException:  # a bad token: the error page itself must still render
        user = None
    return {"user": user, "pack": pack_of(request), "packs": list(request.app.state.packs.values()),
            "csrf": csrf_token(request.session),
            "UserRole": UserRole, "account_roles": ACCOUNT_ROLES,
            **extra}


def _page(request: Request, template: str, status: int = 200, **extra: Any) -> HTMLResponse:
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, context(request, **extra), status_code=status)
    return response


@router.get("/", response_class=HTMLResponse)
async def map_page(request: Request) -> HTMLResponse:
    return await unless_disconnected(request, lambda cancel: _map(request, cancel))


def _map(request: Request, cancel: Cancel) -> HTMLResponse:
    pack = pack_of(request)
    filters = views.Filters.parse(dict(request.query_params), pack)
    rows = views.incident_rows(request.app.state.store, pack, filters, current_user(request), cancel)
    counts = count(request.app.state.store, views.incident_query(filters, current_user(request)), cancel)
    areas = sorted((a for a in pack.areas.values() if a.kind != "locality"), key=lambda a: a.name)
    first, last = request.app.state.store.incident_dates()
    return _page(request, "map.html", filters=filters, rows=[r.model_dump(mode="json") for r in rows],
                 event_types=ACLED_EVENT_TYPES, counts=counts,
                 first_day=first or pack.agreement.announced.date(), last_day=last or dt.date.today(),
                 verdicts=views.VERDICTS, areas=areas, tiles=request.app.state.settings.tiles,
                 actors=sorted(pack.actors.values(), key=lambda a: a.name))


@router.get("/timeline", response_class=HTMLResponse)
async def timeline_page(request: Request) -> HTMLResponse:
    def timeline(cancel: Cancel) -> HTMLResponse:
        pack = pack_of(request)
        filters = views.Filters.parse(dict(request.query_params), pack)
        chart = views.violations_by_day(request.app.state.store, pack, filters, current_user(request), cancel)
        return _page(request, "timeline.html", chart=chart, filters=filters)

    return await unless_disconnected(request, timeline)


@router.get("/tallies", response_class=HTMLResponse)
def tallies_page(request: Request) -> HTMLResponse:
    pack = pack_of(request)
    filters = views.Filters.parse(dict(request.query_params), pack)
    rows = views.tally_rows(request.app.state.store, pack, filters, current_user(request))
    return _page(request, "tallies.html", rows=rows, filters=filters)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: str) -> HTMLResponse:
    user = current_user(request)
    view = views.incident_view(request.app.state.store, pack_of(request), incident_id, user)
    return _page(request, "incident.html", view=view, verdicts=[v.value for v in Verdict],
                 recorded=request.query_params.get("recorded") == "1" and view.stored.review is not None,
                 cite=views.citation(view, str(request.url_for("incident_page", incident_id=incident_id))))


@router.post("/incidents/{incident_id}/review")
def review_form(request: Request, incident_id: str, action: str = Form(...), reason: str = Form(""),
                verdict: str = Form(""), csrf_token: str = Form("")) -> Response:
    user = require(request, UserRole.ANALYST)
    check_csrf(request, csrf_token)
    store, pack = request.app.state.store, pack_of(request)
    reviewer = views.reviewer_for(store, user.name)
    override = Verdict(verdict) if action == "override" and verdict in Verdict.__members__ else None
    if action == "override" and override is None:
        raise views.BadFilter("Choose the verdict that replaces the automatic one.")
    overall = store.overall_assessment(incident_id, pack.agreement.id)
    store.add_review(review(overall, pack, reviewer, verdict=override, reason=reason))
    return RedirectResponse(f"/incidents/{incident_id}?recorded=1", status_code=303)


@router.get("/agreement", response_class=HTMLResponse)
async def agreement_page(request: Request) -> HTMLResponse:
    def page(cancel: Cancel) -> HTMLResponse:
        store, pack = request.app.state.store, pack_of(request)
        counts = views.agreement_counts(store, pack, current_user(request), cancel)
        signed = {s.party: s for s in signature_status(pack, store.pack_signatures(pack.agreement.id))}
        return _page(request, "agreement.html", agreement=pack.agreement, counts=counts,
                     pack_sha256=pack_hash(pack), signed=signed)

    return await unless_disconnected(request, page)


@router.get("/submit", response_class=HTMLResponse)
def submit_page(request: Request) -> HTMLResponse:
    require(request, UserRole.OBSERVER)
    return _page(request, "submit.html", tiles=request.app.state.settings.tiles, max_mb=MAX_ATTACHMENT // 2**20)


@router.post("/submit", response_class=HTMLResponse)
async def submit_form(request: Request) -> HTMLResponse:
    form = await request.form(max_files=10, max_fields=20, max_part_size=MAX_ATTACHMENT)
    user = require(request, UserRole.OBSERVER)
    check_csrf(request, str(form.get("csrf_token") or ""))
    files = [f for f in form.getlist("attachments") if isinstance(f, StarletteUpload) and f.filename]
    try:
        result = submit_report(request, user, text=str(form.get("text") or ""),
                               observed_at=str(form.get("observed_at") or ""), timezone=str(form.get("tz") or ""),
                               latitude=str(form.get("latitude") or ""), longitude=str(form.get("longitude") or ""),
                               files=[await _read(f) for f in files])
    except IntakeError as refused:
        return _page(request, "submit.html", status=422, error=refused.reason, form=dict(form),
                     tiles=request.app.state.settings.tiles, max_mb=MAX_ATTACHMENT // 2**20)
    return _page(request, "submit.html", status=201, submitted=result, tiles=request.app.state.settings.tiles,
                 max_mb=MAX_ATTACHMENT // 2**20)


async def _read(upload: StarletteUpload) -> dict[str, Any]:
    data = await upload.read()
    return {"filename": upload.filename or "attachment", "content_type": upload.content_type or "", "data": data,
            "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


@router.get("/attachments/{attachment_id}")
def attachment(request: Request, attachment_id: int) -> Response:
    require(request, UserRole.ANALYST)
    found = request.app.state.store.attachment(attachment_id)
    # Sent as a download of opaque bytes, never rendered: an observer's file is untrusted.
    safe_name = "".join(c for c in found.filename if c.isalnum() or c in "._-")[:100] or "attachment"
    return Response(found.data, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{safe_name}"'})


@router.get("/api/docs", response_class=HTMLResponse)
def api_reference(request: Request) -> HTMLResponse:
    """The OpenAPI description as a plain page: every operation, its parameters and body."""
    spec = request.app.openapi()
    operations = [(path, method.upper(), op) for path, methods in spec["paths"].items()
                  for method, op in methods.items()]
    return _page(request, "api.html", operations=operations)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return _page(request, "login.html")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, name: str = Form(...), password: str = Form(...), csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    state = request.app.state
    # The address first: one address trying many names is refused before anything else is spent.
    if not state.sign_in_per_address.allow(client_address(request)) or not state.sign_in_per_name.allow(name):
        return _sign_in_refused(request, "Too many sign-in attempts from this address or for this name. "
                                         "Wait a minute and try again.", retry_after=60)
    try:
        user = state.password_checks.authenticate(state.store, name, password)
    except SignInBusy as busy:
        return _sign_in_refused(request, str(busy), retry_after=busy.retry_after)
    if user is None:
        return _page(request, "login.html", status=401, error="Wrong name or password.")
    request.session.clear()  # a fresh session (and form token) on every sign-in
    request.session["sid"] = start_session(state.store, user)
    return RedirectResponse("/", status_code=303)


def _sign_in_refused(request: Request, message: str, retry_after: int) -> Response:
    response = _page(request, "login.html", status=429, error=message)
    response.headers["Retry-After"] = str(retry_after)
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    if "sid" in request.session:
        end_session(request.app.state.store, request.session["sid"])
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request) -> HTMLResponse:
    require(request, UserRole.ADMIN)
    return _page(request, "users.html", users=request.app.state.store.users())


@router.post("/admin/users", response_class=HTMLResponse)
def add_user_form(request: Request, name: str = Form(...), role: str = Form(...), password: str = Form(...),
                  csrf_token: str = Form("")) -> Response:
    require(request, UserRole.ADMIN)
    check_csrf(request, csrf_token)
    try:
        add_user(request.app.state.store, name, role, password)
    except CeasefireError as refused:
        return _page(request, "users.html", status=422, error=str(refused), users=request.app.state.store.users())
    return RedirectResponse("/admin/users", status_code=303)
