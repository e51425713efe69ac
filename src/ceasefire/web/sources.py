"""The sources page: what `ceasefire watch` follows, how each source's last poll went, and what
polls refused. For analysts: a silent source is not a quiet front."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ceasefire.web.accounts import UserRole
from ceasefire.web.pages import context
from ceasefire.web.session import require

router = APIRouter(include_in_schema=False)
FAILURES_SHOWN = 50


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> HTMLResponse:
    require(request, UserRole.ANALYST)
    store = request.app.state.store
    page: HTMLResponse = request.app.state.templates.TemplateResponse(request, "sources.html", context(
        request, sources=store.sources(), failures=store.source_failures(limit=FAILURES_SHOWN)))
    return page
