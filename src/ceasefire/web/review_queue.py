"""The analysts' review queue: incidents nobody has reviewed yet, oldest first, with the map's filters."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ceasefire.web import pages, views
from ceasefire.web.accounts import UserRole
from ceasefire.web.agreements import pack_of
from ceasefire.web.session import require

router = APIRouter(include_in_schema=False)


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request) -> HTMLResponse:
    user = require(request, UserRole.ANALYST)
    pack = pack_of(request)
    filters = views.Filters.parse(dict(request.query_params), pack)
    waiting = replace(filters, asked=replace(filters.asked, unreviewed_only=True))
    rows = views.incident_rows(request.app.state.store, pack, waiting, user)[::-1]  # oldest first
    areas = sorted((a for a in pack.areas.values() if a.kind != "locality"), key=lambda a: a.name)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, "review_queue.html",
        pages.context(request, rows=rows, filters=filters, verdicts=views.VERDICTS, areas=areas))
    return response
