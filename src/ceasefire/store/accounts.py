"""Web accounts: users, their API tokens and signed-in sessions (the :class:`Accounts` methods of
Store, and the SQL behind them).

Each function works inside the transaction Store opens. A user is changed only by
:func:`save_user` and :func:`remove_user`; both end the user's sessions and API tokens in the
same transaction, so no cookie or token outlives the password or role it was issued under.
Tokens and session ids are stored only as SHA-256 digests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from ceasefire.store import tables
from ceasefire.store.engine import Database, insert
from ceasefire.store.ledger import append, append_change
from ceasefire.store.objects import user_object

users, tokens, sessions = tables.users, tables.api_tokens, tables.web_sessions


@dataclass(frozen=True)
class Account:
    """A web account as stored; the password only as its argon2id hash."""

    name: str
    role: str  # observer | analyst | admin
    password_hash: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Revoked:
    """What a change to an account ended: its API tokens and its signed-in sessions."""

    tokens: int
    sessions: int


def _account(row: Any) -> Account | None:
    return Account(row.name, row.role, row.password_hash, row.created_at) if row else None


def account(conn: Connection, name: str) -> Account | None:
    return _account(conn.execute(select(users).where(users.c.name == name)).first())


def all_accounts(conn: Connection) -> list[Account]:
    return [Account(r.name, r.role, r.password_hash, r.created_at)
            for r in conn.execute(select(users).order_by(users.c.name))]


def save_user(conn: Connection, name: str, role: str, password_hash: str) -> Revoked | None:
    """Create the account, or replace its role and password hash and end what was issued before.

    Returns:
        None for a new account; else the tokens and sessions that were ended.
    """
    ended = end_everything(conn, name) if account(conn, name) else None
    stmt = insert(conn.dialect.name, users).values(name=name, role=role, password_hash=password_hash,
                                                   created_at=dt.datetime.now(dt.UTC))
    conn.execute(stmt.on_conflict_do_update(index_elements=["name"],
                                            set_={"role": role, "password_hash": password_hash}))
    return ended


def remove_user(conn: Connection, name: str) -> Revoked | None:
    """Delete the account with its tokens and sessions; None when there is no such account."""
    if account(conn, name) is None:
        return None
    ended = end_everything(conn, name)
    conn.execute(users.delete().where(users.c.name == name))
    return ended


def end_everything(conn: Connection, name: str) -> Revoked:
    return Revoked(tokens=revoke_tokens(conn, name),
                   sessions=conn.execute(sessions.delete().where(sessions.c.user == name)).rowcount)


def add_token(conn: Connection, name: str, token_sha256: str) -> None:
    conn.execute(tokens.insert().values(token_sha256=token_sha256, user=name, created_at=dt.datetime.now(dt.UTC)))


def revoke_tokens(conn: Connection, name: str) -> int:
    return int(conn.execute(tokens.delete().where(tokens.c.user == name)).rowcount)


def token_account(conn: Connection, token_sha256: str) -> Account | None:
    query = select(users).join(tokens, tokens.c.user == users.c.name).where(tokens.c.token_sha256 == token_sha256)
    return _account(conn.execute(query).first())


def start_session(conn: Connection, name: str, id_sha256: str, expires_at: dt.datetime) -> None:
    now = dt.datetime.now(dt.UTC)
    conn.execute(sessions.delete().where(sessions.c.expires_at <= now))  # the table holds live sessions only
    conn.execute(sessions.insert().values(id_sha256=id_sha256, user=name, created_at=now, expires_at=expires_at))


def session_account(conn: Connection, id_sha256: str) -> Account | None:
    query = (select(users).join(sessions, sessions.c.user == users.c.name)
             .where(sessions.c.id_sha256 == id_sha256, sessions.c.expires_at > dt.datetime.now(dt.UTC)))
    return _account(conn.execute(query).first())


def end_session(conn: Connection, id_sha256: str) -> None:
    conn.execute(sessions.delete().where(sessions.c.id_sha256 == id_sha256))


class Accounts(Database):
    """Store's account methods: each opens a transaction and calls the function above of the same
    or a similar name."""

    def add_user(self, name: str, role: str, password_hash: str) -> Revoked | None:
        """Create a user, or change one's role and password: the one way a user is added or changed.
        A change ends the user's sessions and API tokens, and returns how many (None for a new user)."""
        with self._connect("store a user", lock=True) as conn:
            ended = save_user(conn, name, role, password_hash)
            append_change(conn, "user", name, user_object({"name": name, "role": role, "password_hash": password_hash}))
            return ended

    def remove_user(self, name: str) -> Revoked | None:
        """Delete a user with their sessions and API tokens: the one way a user is removed (None: no such user)."""
        with self._connect("remove a user", lock=True) as conn:
            ended = remove_user(conn, name)
            if ended is not None:
                append(conn, "user", name, None)
            return ended

    def user(self, name: str) -> Account | None:
        with self._connect("read a user") as conn:
            return account(conn, name)

    def users(self) -> list[Account]:
        with self._connect("list users") as conn:
            return all_accounts(conn)

    def add_api_token(self, user: str, token_sha256: str) -> None:
        with self._connect("store an API token") as conn:
            add_token(conn, user, token_sha256)

    def revoke_api_tokens(self, user: str) -> int:
        with self._connect("revoke API tokens") as conn:
            return revoke_tokens(conn, user)

    def token_user(self, token_sha256: str) -> Account | None:
        with self._connect("check an API token") as conn:
            return token_account(conn, token_sha256)

    def start_session(self, user: str, id_sha256: str, expires_at: dt.datetime) -> None:
        with self._connect("start a web session") as conn:
            start_session(conn, user, id_sha256, expires_at)

    def session_user(self, id_sha256: str) -> Account | None:
        with self._connect("check a web session") as conn:
            return session_account(conn, id_sha256)

    def end_session(self, id_sha256: str) -> None:
        with self._connect("end a web session") as conn:
            end_session(conn, id_sha256)
