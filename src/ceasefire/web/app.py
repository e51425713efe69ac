"""The web app: pages and /api/v1 over one database and the agreement packs it monitors.

`ceasefire serve` runs it; tests and benchmarks call ``create_app`` and serve it with uvicorn.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_markercluster as markercluster
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ceasefire.errors import CeasefireError
from ceasefire.model import AgreementPack
from ceasefire.store import Store
from ceasefire.web import OSM_TILES, api, legend, monitoring, pages, review_queue, sources
from ceasefire.web.accounts import SESSION_LIFETIME, PasswordChecks, RateLimit
from ceasefire.web.agreements import monitored_packs
from ceasefire.web.processing import Processor

HERE = Path(__file__).parent
MAX_BODY = 20 * 1024 * 1024  # a request body, attachments included


@dataclass
class Settings:
    secret_key: str = ""
    tiles: str = OSM_TILES  # "" shows only the local outline basemap
    secure_cookies: bool = False  # set when served over HTTPS
    sign_in_per_address: tuple[int, float] = (20, 60.0)  # sign-in attempts per minute from one address
    sign_in_per_name: tuple[int, float] = (5, 60.0)  # sign-in attempts per minute for one name, any address
    # Password checks at once (argon2id: ~64 MB and a core each; half the cores, so pages still get
    # served during a sign-in flood) and sign-ins that may wait for one; any more get 429 at once.
    password_checks: tuple[int, int] = (max(1, min(4, (os.cpu_count() or 2) // 2)), 4)
    submit_limit: tuple[int, float] = (30, 60.0)  # submissions per minute per observer


def create_app(store: Store, pack: AgreementPack, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # The API reference is our own page (pages.api_reference): Swagger UI would need a CDN.
    app = FastAPI(title="ceasefire", version="1", docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json",
                  description="Incidents, assessments, agreements and actors; observers POST reports.")
    app.state.store, app.state.pack, app.state.settings = store, pack, settings
    app.state.packs = monitored_packs(store, pack)
    app.state.processor = Processor(store, pack)
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.state.templates.env.globals["legend"] = legend.legend()
    app.state.sign_in_per_address = RateLimit(*settings.sign_in_per_address)
    app.state.sign_in_per_name = RateLimit(*settings.sign_in_per_name)
    app.state.password_checks = PasswordChecks(*settings.password_checks)
    app.state.submit_limit = RateLimit(*settings.submit_limit)
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key or secrets.token_urlsafe(32),
                       session_cookie="ceasefire_session", same_site="lax", https_only=settings.secure_cookies,
                       max_age=int(SESSION_LIFETIME.total_seconds()))
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    app.middleware("http")(_security_headers)
    app.mount("/static/leaflet", StaticFiles(directory=leaflet.BASE_DIR), name="leaflet")
    app.mount("/static/markercluster", StaticFiles(directory=markercluster.BASE_DIR), name="markercluster")
    app.mount("/static/app", StaticFiles(directory=HERE / "static"), name="app")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(sources.router)
    app.include_router(monitoring.router)
    app.include_router(legend.router)
    app.include_router(review_queue.router)
    # api.add_report reads its body itself (after checking who sends it): describe the body here.
    app.openapi()["components"]["schemas"]["Submission"] = api.Submission.model_json_schema()
    app.add_exception_handler(CeasefireError, _ceasefire_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    return app


async def _security_headers(request: Request, call_next: Any) -> Response:
    response: Response = await call_next(request)
    tiles = request.app.state.settings.tiles
    tile_origin = "/".join(tiles.split("/")[:3]) if tiles.startswith("http") else ""
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; img-src 'self' data: {tile_origin}; script-src 'self'; style-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


class BodyLimit:
    """Refuses request bodies over the limit, whether or not they declare their length."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared and declared.isdigit() and int(declared) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, _too_large_text(self.limit))
            return message

        await self.app(scope, counted, send)


def _too_large_text(limit: int) -> str:
    return f"The request is larger than {limit // (1024 * 1024)} MB. Send smaller attachments or fewer at once."


def _too_large(limit: int) -> Response:
    return JSONResponse({"error": _too_large_text(limit)}, status_code=413)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", pages.context(request, status=status, message=message),
                                      status_code=status)


async def _ceasefire_error(request: Request, exc: Exception) -> Response:
    return error_response(request, getattr(exc, "status", 500), str(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    response = error_response(request, exc.status_code, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(f"'{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}': {e['msg']}" for e in exc.errors())
    return error_response(request, 422, f"The request has invalid fields: {problems}. Fix them and send it again.")
