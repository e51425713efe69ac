"""The database itself: where it is (``database_url``), opening and migrating it, and the
transactions every other store module works in, including the writer lock that ledger appends
and migrations hold."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Self

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ceasefire.errors import StoreError

DEFAULT_DB = "ceasefire.db"
# pg_advisory_xact_lock key held by whoever migrates the schema or appends to the ledger.
WRITER_LOCK = 0x63656173  # "ceas"
LOCK_ATTEMPTS = 3  # SQLite: tries at BEGIN IMMEDIATE, each waiting up to busy_timeout
# The execution option marking a connection whose transaction holds the writer lock.
HOLDS_WRITER_LOCK = "ceasefire_writer_lock"


def database_url(db: str | None = None) -> str:
    """A SQLAlchemy URL from ``--db``, ``CEASEFIRE_DB`` or the default file.

    A plain path means a SQLite file; ``postgresql://`` URLs use psycopg 3; other URLs
    (``sqlite:///relative.db``, ``sqlite:////absolute.db``) are passed to SQLAlchemy as they are.

    Raises:
        StoreError: ``db`` starts like a SQLite URL but lacks its slashes (``sqlite:/x.db``).
    """
    db = db or os.environ.get("CEASEFIRE_DB") or DEFAULT_DB
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db
    if db.startswith("sqlite:"):  # not a file name anyone means: a URL that lost slashes
        raise StoreError(f"Cannot use database {db!r}: a SQLite URL has three slashes before a relative path and "
                         "four before an absolute one (sqlite:///ceasefire.db, sqlite:////srv/ceasefire.db); "
                         "or pass the path alone.")
    return f"sqlite:///{Path(db)}"


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names; None for an in-memory SQLite or a server database."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _shown(db: str | None) -> str:
    """``--db`` as the user gave it (or its default), with any password hidden."""
    db = db or os.environ.get("CEASEFIRE_DB") or DEFAULT_DB
    if "://" not in db:
        return db
    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return db


def _no_database(db: str | None) -> str:
    shown = _shown(db)
    return f"No database at {shown}. Create one with `ceasefire db upgrade --db {shown}` or run `ceasefire demo`."


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work during an ingest; NORMAL sync is durable at each commit in WAL mode.
    cursor = dbapi_connection.cursor()
    # busy_timeout first: switching a new file to WAL needs a lock another process may hold.
    for pragma in ("busy_timeout=30000", "journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


class Database:
    """An opened database: the engine and its transactions. :class:`ceasefire.store.Store` is
    this with every aggregate's methods."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, db: str | None = None, *, upgrade: bool = True, create: bool = True) -> Self:
        """Open (and by default create or migrate) the database at ``db``.

        Args:
            db: a SQLite file path or a database URL; default ``CEASEFIRE_DB``, then ``ceasefire.db``.
            upgrade: migrate the schema to the latest version.
            create: make the database (and a SQLite file's folders) when there is none; with
                False, refuse rather than create anything (commands that only read).

        Raises:
            StoreError: the database cannot be reached or migrated, or ``create`` is False and
                there is no database at ``db``.
        """
        url = database_url(db)
        file = sqlite_file(url)
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite:///:memory:") or url == "sqlite://":
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        elif file is not None and not file.exists():
            if not create:
                raise StoreError(_no_database(db))
            file.parent.mkdir(parents=True, exist_ok=True)
        try:
            engine = create_engine(url, **kwargs)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"Cannot use database {db!r}: {exc}. Pass a file path or a postgresql:// URL.") from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        if not create and file is None:  # a server database: empty until the schema is made
            with store._connect("read the schema version") as conn:
                empty = not MigrationContext.configure(conn).get_current_heads()
            if empty:
                store.close()
                raise StoreError(_no_database(db))
        if upgrade:
            store.upgrade()
        return store

    @classmethod
    def memory(cls) -> Self:
        """A fresh in-memory SQLite store, for tests and experiments."""
        return cls.open("sqlite:///:memory:")

    def upgrade(self) -> None:
        """Apply every Alembic migration not yet applied."""
        config = Config()
        config.set_main_option("script_location", str(resources.files("ceasefire.store") / "migrations"))
        heads = set(ScriptDirectory.from_config(config).get_heads())
        with self._connect("read the schema version") as conn:
            if set(MigrationContext.configure(conn).get_current_heads()) == heads:
                return
        with self._connect("migrate", lock=True) as conn:  # another process may be creating it too
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _connect(self, doing: str, *, lock: bool = False) -> Iterator[Connection]:
        """A transaction; with ``lock``, the only one migrating or appending to the ledger until it ends."""
        try:
            with self.engine.begin() as conn:
                if lock:
                    self._lock_writers(conn)
                yield conn
        except SQLAlchemyError as exc:
            url = self.engine.url.render_as_string(hide_password=True)
            cause = getattr(exc, "orig", None) or exc
            raise StoreError(f"Database {url} failed to {doing}: {exc.__class__.__name__}: {cause}. "
                             "Check that the server is running and the URL is right.") from exc

    def _lock_writers(self, conn: Connection) -> None:
        # Taken before the first write, so two writers cannot each hold a row the other needs
        # (a report both insert, and the ledger head) and deadlock; seq = max(seq) + 1 is then safe.
        if self.engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
        else:
            for attempt in range(1, LOCK_ATTEMPTS + 1):
                try:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                    break
                except OperationalError as exc:
                    if "locked" not in str(exc) or attempt == LOCK_ATTEMPTS:
                        raise
        conn.execution_options(**{HOLDS_WRITER_LOCK: True})  # on this Connection only, gone with it

    def _insert(self, table: Table) -> Any:
        return insert(self.engine.dialect.name, table)


def insert(dialect: str, table: Table) -> Any:
    """An INSERT that takes ON CONFLICT clauses, in the dialect of ``dialect`` (``conn.dialect.name``)."""
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def holds_writer_lock(conn: Connection) -> bool:
    """Whether ``conn``'s transaction was opened with the writer lock (``_connect(..., lock=True)``)."""
    return bool(conn.get_execution_options().get(HOLDS_WRITER_LOCK))


def copy_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL COPY FROM STDIN on the transaction's own connection; values as :func:`copy_value` makes them."""
    raw: Any = conn.connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def copy_value(value: Any) -> Any:
    """A value as COPY takes it: UTC columns are naive UTC (as UTCDateTime stores them), JSON as text."""
    if isinstance(value, dt.datetime):
        return naive_utc(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def naive_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None)
