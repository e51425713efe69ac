"""Who sent a request (session cookie or API token), and what they may do."""

from __future__ import annotations

from fastapi import HTTPException, Request

from ceasefire.web.accounts import PUBLIC, User, UserRole, csrf_ok, session_user, token_user


def current_user(request: Request) -> User:
    """The bearer token's user, else the signed-in session's, else the public (looked up once per request).

    A session counts only while the server holds it: signing out, a new password or role, or
    removing the user ends it, whatever copies of the cookie exist."""
    if not hasattr(request.state, "user"):
        request.state.user = _find_user(request)
    user: User = request.state.user
    return user


def _find_user(request: Request) -> User:
    store = request.app.state.store
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = token_user(store, header[7:].strip())
        if user is None:
            raise HTTPException(401, "The API token is not valid. Ask an admin for a new one "
                                     "(`ceasefire user token NAME`).")
        return user
    session_id = request.session.get("sid")
    return (session_user(store, session_id) if session_id else None) or PUBLIC


def require(request: Request, role: UserRole) -> User:
    user = current_user(request)
    if user.role >= role:
        return user
    if not user.signed_in:
        raise HTTPException(401, f"Sign in as {role.name.lower()} (or higher) to do this.")
    raise HTTPException(403, f"This needs the {role.name.lower()} role; {user.name} is {user.role.name.lower()}.")


def check_csrf(request: Request, sent: str | None) -> None:
    """Refuse a cookie-authenticated write that did not come from our own form (or script)."""
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return  # a token is not sent by browsers on their own, so it cannot be forged across sites
    if not csrf_ok(request.session, sent or request.headers.get("x-csrf-token")):
        raise HTTPException(403, "The form's security token is missing or stale. Reload the page and try again.")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
