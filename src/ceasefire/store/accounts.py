"""The SQL behind Store's web account methods: users, their API tokens and signed-in sessions.

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
from sqlalchemy.dialects import postgresql, sqlite

from ceasefire.store import tables

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
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(users).values(name=name, role=role, password_hash=password_hash,
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
