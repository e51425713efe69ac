"""Who is asking: roles, passwords (argon2), API tokens, CSRF tokens and rate limits."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from enum import IntEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ceasefire.errors import CeasefireError
from ceasefire.store import Store


class Role(IntEnum):
    """Each role may do what the roles below it may."""

    PUBLIC = 0  # published findings only
    OBSERVER = 1  # submit reports
    ANALYST = 2  # see everything, review verdicts
    ADMIN = 3  # users and packs


@dataclass(frozen=True)
class User:
    name: str
    role: Role

    @property
    def signed_in(self) -> bool:
        return self.role > Role.PUBLIC


PUBLIC = User(name="", role=Role.PUBLIC)
_hasher = PasswordHasher()


class AccountError(CeasefireError):
    status = 422


def add_user(store: Store, name: str, role: str, password: str) -> None:
    """Create or update an account; the password is kept only as an argon2id hash."""
    if role not in ("observer", "analyst", "admin"):
        raise AccountError(f"Unknown role {role!r}: use observer, analyst or admin.")
    if not name.strip() or len(name) > 64 or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise AccountError("A user name is 1-64 letters, digits, '-', '_' or '.'.")
    if len(password) < 10:
        raise AccountError("A password needs at least 10 characters.")
    store.add_user(name, role, _hasher.hash(password))


def authenticate(store: Store, name: str, password: str) -> User | None:
    row = store.user(name)
    if row is None:
        _hasher.hash(password)  # spend the same time whether or not the name exists
        return None
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return User(row["name"], Role[row["role"].upper()])


def new_api_token(store: Store, name: str) -> str:
    """A bearer token for the user's role; only its SHA-256 is stored, so it is shown once."""
    if store.user(name) is None:
        raise AccountError(f"No user {name!r}. Create it first with `ceasefire user add {name} --role ROLE`.")
    token = "cf_" + secrets.token_urlsafe(32)
    store.add_api_token(name, hashlib.sha256(token.encode()).hexdigest())
    return token


def token_user(store: Store, token: str) -> User | None:
    row = store.token_user(hashlib.sha256(token.encode()).hexdigest())
    return User(row["name"], Role[row["role"].upper()]) if row else None


def csrf_token(session: dict[str, str]) -> str:
    """The session's token for forms; a form post without it is refused."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_ok(session: dict[str, str], sent: str | None) -> bool:
    return bool(sent) and "csrf" in session and secrets.compare_digest(session["csrf"], sent or "")


class RateLimit:
    """At most ``limit`` events per ``window`` seconds for one key (an address, a user)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True
