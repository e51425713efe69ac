"""Who is asking: roles, passwords (argon2), sessions, API tokens, CSRF tokens and sign-in limits."""

from __future__ import annotations

import datetime as dt
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
from ceasefire.store.accounts import Account, Revoked


class UserRole(IntEnum):
    """What a web user may do; each role may do what the roles below it may. (Not the role an
    actor plays in a claim: that is :class:`ceasefire.model.Role`.)"""

    PUBLIC = 0  # published findings only
    OBSERVER = 1  # submit reports
    ANALYST = 2  # see everything, review verdicts
    ADMIN = 3  # users and packs

    @property
    def label(self) -> str:
        """The role as accounts store it and people type it: "observer", "analyst", "admin"."""
        return self.name.lower()

    @classmethod
    def of_account(cls, label: str) -> UserRole:
        """The role an account may hold, from its label.

        Raises:
            AccountError: no account role has that label.
        """
        found = next((r for r in ACCOUNT_ROLES if r.label == label), None)
        if found is None:
            raise AccountError(f"Unknown role {label!r}: use {', '.join(r.label for r in ACCOUNT_ROLES[:-1])} or "
                               f"{ACCOUNT_ROLES[-1].label}.")
        return found


ACCOUNT_ROLES = (UserRole.OBSERVER, UserRole.ANALYST, UserRole.ADMIN)  # PUBLIC is everyone signed out


@dataclass(frozen=True)
class User:
    name: str
    role: UserRole

    @property
    def signed_in(self) -> bool:
        return self.role > UserRole.PUBLIC


PUBLIC = User(name="", role=UserRole.PUBLIC)
SESSION_LIFETIME = dt.timedelta(hours=8)  # a sign-in lasts this long, unless ended sooner
_hasher = PasswordHasher()


class AccountError(CeasefireError):
    """A user name, role or password is not acceptable, or an account cannot be changed."""

    status = 422


class UnknownUser(AccountError):
    """No account has this name."""

    status = 404

    def __init__(self, name: str, nothing_done: str) -> None:
        super().__init__(f"No user {name!r}; {nothing_done}. Check the name on /admin/users.")


def add_user(store: Store, name: str, role: UserRole | str, password: str) -> Revoked | None:
    """Create an account, or give an existing one a new role and password; the password is kept
    only as an argon2id hash. A change signs the user out everywhere and revokes their API tokens.

    Returns:
        None for a new account; for a changed one, the tokens and sessions that were ended.

    Raises:
        AccountError: the role is not an account role (a label such as "analyst" is read as one), or the
            name or password is not acceptable.
    """
    role = UserRole.of_account(role.label if isinstance(role, UserRole) else role)
    if not name.strip() or len(name) > 64 or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise AccountError("A user name is 1-64 letters, digits, '-', '_' or '.'.")
    if len(password) < 10:
        raise AccountError("A password needs at least 10 characters.")
    return store.add_user(name, role.label, _hasher.hash(password))


def remove_user(store: Store, name: str) -> Revoked:
    """Delete an account; its sessions and API tokens end with it.

    Raises:
        UnknownUser: there is no such account.
    """
    ended = store.remove_user(name)
    if ended is None:
        raise UnknownUser(name, "nothing was removed")
    return ended


def authenticate(store: Store, name: str, password: str) -> User | None:
    row = store.user(name)
    if row is None:
        _hasher.hash(password)  # spend the same time whether or not the name exists
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return _user(row)


def _user(row: Account) -> User:
    return User(row.name, UserRole.of_account(row.role))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_token(store: Store, name: str) -> str:
    """A bearer token for the user's role; only its SHA-256 is stored, so it is shown once."""
    if store.user(name) is None:
        raise AccountError(f"No user {name!r}. Create it first with `ceasefire user add {name} --role ROLE`.")
    token = "cf_" + secrets.token_urlsafe(32)
    store.add_api_token(name, _digest(token))
    return token


def revoke_api_tokens(store: Store, name: str) -> int:
    """End every API token of the user at once; returns how many there were.

    Raises:
        UnknownUser: there is no such account.
    """
    if store.user(name) is None:
        raise UnknownUser(name, "no token was revoked")
    return store.revoke_api_tokens(name)


def token_user(store: Store, token: str) -> User | None:
    row = store.token_user(_digest(token))
    return _user(row) if row else None


def start_session(store: Store, user: User) -> str:
    """A new signed-in session; the id goes into the (signed) cookie, its SHA-256 into the database."""
    session_id = secrets.token_urlsafe(32)
    store.start_session(user.name, _digest(session_id), dt.datetime.now(dt.UTC) + SESSION_LIFETIME)
    return session_id


def session_user(store: Store, session_id: str) -> User | None:
    """The user of a live session; None once it was ended, expired, or its user changed."""
    row = store.session_user(_digest(session_id))
    return _user(row) if row else None


def end_session(store: Store, session_id: str) -> None:
    """Sign out: every copy of this session's cookie stops working."""
    store.end_session(_digest(session_id))


def csrf_token(session: dict[str, str]) -> str:
    """The session's token for forms; a form post without it is refused."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_ok(session: dict[str, str], sent: str | None) -> bool:
    return bool(sent) and "csrf" in session and secrets.compare_digest(session["csrf"], sent or "")


class RateLimit:
    """At most ``limit`` events per ``window`` seconds for one key (an address, a user name)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._tidy_at = 1000  # keys held before idle ones are dropped: guessed names must not pile up

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._events) >= self._tidy_at:
                self._events = {k: e for k, e in self._events.items() if e and e[-1] > now - self.window}
                self._tidy_at = max(1000, 2 * len(self._events))
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True


class SignInBusy(AccountError):
    """Every password check is running and every waiting place is taken."""

    status = 429
    retry_after = 2  # seconds: a few checks' time

    def __init__(self) -> None:
        super().__init__("The server is busy checking other sign-ins. Try again in a few seconds.")


class PasswordChecks:
    """Runs at most ``at_once`` password checks together: argon2id takes about 64 MB and a core
    for a few hundred milliseconds each. Up to ``waiting`` more sign-ins wait their turn; any
    beyond are refused at once, so a flood of sign-ins neither exhausts memory nor queues."""

    def __init__(self, at_once: int, waiting: int) -> None:
        self._running = threading.BoundedSemaphore(at_once)
        self._admitted = threading.BoundedSemaphore(at_once + waiting)

    def authenticate(self, store: Store, name: str, password: str) -> User | None:
        """:func:`authenticate`, when a place is free.

        Raises:
            SignInBusy: every place is taken; try again in ``SignInBusy.retry_after`` seconds.
        """
        if not self._admitted.acquire(blocking=False):
            raise SignInBusy()
        try:
            with self._running:
                return authenticate(store, name, password)
        finally:
            self._admitted.release()
