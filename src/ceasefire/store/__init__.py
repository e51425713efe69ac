"""Storage: the only place that knows SQL. SQLite file by default, PostgreSQL by URL."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, func, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ceasefire.errors import NotFound, StoreError
from ceasefire.ledger import DELETED, GENESIS, Record, digest
from ceasefire.model import (
    AgreementPack,
    Assessment,
    Claim,
    ClaimRef,
    ClaimSource,
    Incident,
    Report,
    ReportFormat,
    Role,
    StoredReport,
)
from ceasefire.store import accounts, tables
from ceasefire.store.incident_query import IncidentQuery
from ceasefire.store.objects import (
    attachment_object,
    capture_object,
    observer_object,
    report_object,
    review_object,
    reviewer_object,
    user_object,
)
from ceasefire.store.query import (
    FINDINGS,
    READ_TIMEOUT,
    Cancel,
    PageKey,
    findings_per_clause,
    incident_actor_rows,
    incident_page,
    matching,
    time_limit,
    violations_per_day,
    violations_per_party,
)

if TYPE_CHECKING:
    from ceasefire.store.integrity import Audit

DEFAULT_DB = "ceasefire.db"
ANALYZE_AFTER = 10_000  # incidents written at once
# pg_advisory_xact_lock key held by whoever migrates the schema or appends to the ledger.
WRITER_LOCK = 0x63656173  # "ceas"
LOCK_ATTEMPTS = 3  # SQLite: tries at BEGIN IMMEDIATE, each waiting up to busy_timeout


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


class Store:
    """A ceasefire database. Open with :meth:`open` (migrates to the latest schema)."""

    def __init__(self, engine: Engine) -> None:
        self._span: tuple[float, dt.timedelta] | None = None
        self.engine = engine
        self.read_timeout = READ_TIMEOUT  # seconds one public read (map, lists, counts) may run

    @classmethod
    def open(cls, db: str | None = None, *, upgrade: bool = True, create: bool = True) -> Store:
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
    def memory(cls) -> Store:
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
            return
        for attempt in range(1, LOCK_ATTEMPTS + 1):
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == LOCK_ATTEMPTS:
                    raise

    def _insert(self, table: Any) -> Any:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    # -- reports -----------------------------------------------------------------

    def add_reports(
        self, reports: Sequence[Report], source_ids: Sequence[str | None] | None = None
    ) -> list[int | None]:
        """Store reports in one transaction; a report whose bytes are already stored is skipped.

        Returns:
            For each report, its new row id, or ``None`` when it was already stored.
        """
        now = dt.datetime.now(dt.UTC)
        source_ids = source_ids or [None] * len(reports)
        ids: list[int | None] = []
        with self._connect("store reports", lock=True) as conn:
            for report, source_id in zip(reports, source_ids, strict=True):
                row = report.model_dump(mode="python") | {"format": report.format.value,
                                                          "source_id": source_id, "received_at": now}
                stmt = self._insert(tables.reports).values(**row)
                stmt = stmt.on_conflict_do_nothing(index_elements=["sha256"]).returning(tables.reports.c.id)
                new_id = conn.execute(stmt).scalar()
                if new_id is not None:  # the values inserted hash as the stored row does (verify checks it)
                    self._record(conn, "report", report.sha256, report_object(row))
                ids.append(new_id)
        return ids

    def add_rejection(self, origin: str, reason: str) -> None:
        """Record why an input item was refused; the same refusal twice is kept once."""
        key = hashlib.sha256(f"{origin}\n{reason}".encode()).hexdigest()
        row = {"sha256": key, "origin": origin, "reason": reason, "received_at": dt.datetime.now(dt.UTC)}
        with self._connect("store a rejected item") as conn:
            conn.execute(self._insert(tables.rejections).values(**row).on_conflict_do_nothing(
                index_elements=["sha256"]))

    def count_reports(self) -> int:
        with self._connect("count reports") as conn:
            return conn.execute(select(func.count()).select_from(tables.reports)).scalar_one()

    def reports(self, *, limit: int = 50, offset: int = 0, source: str | None = None,
                since: dt.datetime | None = None) -> list[StoredReport]:
        """Stored reports, newest received first, optionally filtered by outlet or publication time."""
        query = select(tables.reports).order_by(tables.reports.c.id.desc()).limit(limit).offset(offset)
        if source:
            query = query.where(or_(tables.reports.c.source_id == source,
                                    func.lower(tables.reports.c.source) == source.lower()))
        if since:
            query = query.where(tables.reports.c.published >= since)
        with self._connect("list reports") as conn:
            return [StoredReport.model_validate(dict(row._mapping)) for row in conn.execute(query)]

    def report(self, ref: str | int) -> StoredReport:
        """One report by row id or by a prefix of its SHA-256 (at least 6 hex digits).

        Raises:
            NotFound: no report, or the prefix is ambiguous.
        """
        column = tables.reports.c
        ref = str(ref)
        if ref.isdigit() and len(ref) < 6:
            query = select(tables.reports).where(column.id == int(ref))
        else:
            query = select(tables.reports).where(column.sha256.startswith(ref.lower())).limit(2)
        with self._connect("read a report") as conn:
            rows = conn.execute(query).all()
        if len(rows) != 1:
            problem = "matches several reports; give more digits" if rows else "matches no report"
            raise NotFound(f"Report {ref!r} {problem}. List them with `ceasefire reports list`.")
        return StoredReport.model_validate(dict(rows[0]._mapping))

    def rejections(self) -> list[dict[str, Any]]:
        with self._connect("list rejected items") as conn:
            query = select(tables.rejections.c.origin, tables.rejections.c.reason, tables.rejections.c.received_at)
            return [dict(r._mapping) for r in conn.execute(query.order_by(tables.rejections.c.id))]

    def report_counts(self, by: str) -> list[tuple[str | None, int]]:
        """Number of reports per value of column ``by`` (``format``, ``source_id``, ...)."""
        column = tables.reports.c[by]
        with self._connect("count reports") as conn:
            rows = conn.execute(select(column, func.count()).group_by(column).order_by(func.count().desc()))
            return [(r[0], r[1]) for r in rows]

    # -- claims ------------------------------------------------------------------

    def reports_to_extract(self, extractor: str, *, since: dt.datetime | None = None,
                           batch: int = 200) -> Iterator[StoredReport]:
        """Reports not yet extracted by this extractor version, oldest first, read in batches."""
        r, e = tables.reports, tables.extractions
        last = 0
        while True:
            query = (select(r).outerjoin(e, e.c.report_id == r.c.id)
                     .where(or_(e.c.report_id.is_(None), e.c.extractor != extractor), r.c.id > last)
                     .order_by(r.c.id).limit(batch))
            if since is not None:
                query = query.where(r.c.received_at >= since)
            with self._connect("list reports to extract") as conn:
                rows = [StoredReport.model_validate(dict(row._mapping)) for row in conn.execute(query)]
            if not rows:
                return
            yield from rows
            last = rows[-1].id

    def has_unextracted_reports(self) -> bool:
        """Whether a stored report was never extracted (say, a process was killed just after storing it)."""
        r, e = tables.reports, tables.extractions
        with self._connect("look for reports to extract") as conn:
            return conn.execute(select(r.c.id).where(~select(e.c.report_id).where(e.c.report_id == r.c.id).exists())
                                .limit(1)).first() is not None

    def save_claims(self, report_id: int, extractor: str, claims: Sequence[Claim]) -> None:
        """Replace a report's claims with these, in one transaction with the extraction record."""
        rows = [_claim_row(report_id, claim) for claim in claims]
        record = {"report_id": report_id, "extractor": extractor, "claims": len(claims),
                  "extracted_at": dt.datetime.now(dt.UTC)}
        with self._connect("store claims", lock=True) as conn:
            conn.execute(tables.claims.delete().where(tables.claims.c.report_id == report_id))
            if rows:
                conn.execute(tables.claims.insert(), rows)
            stmt = self._insert(tables.extractions).values(**record)
            conn.execute(stmt.on_conflict_do_update(index_elements=["report_id"], set_=record))
            sha = conn.execute(select(tables.reports.c.sha256).where(tables.reports.c.id == report_id)).scalar_one()
            self._record(conn, "claims", sha, [r["payload"] for r in rows])

    def claims(self, *, report_id: int | None = None, kind: str | None = None) -> list[StoredClaim]:
        query = select(tables.claims).order_by(tables.claims.c.report_id, tables.claims.c.idx)
        if report_id is not None:
            query = query.where(tables.claims.c.report_id == report_id)
        if kind is not None:
            query = query.where(tables.claims.c.kind == kind)
        with self._connect("list claims") as conn:
            return [StoredClaim(id=row.id, report_id=row.report_id, claim=Claim.model_validate(row.payload))
                    for row in conn.execute(query)]

    def claim_counts(self) -> list[tuple[str, int]]:
        column = tables.claims.c.kind
        with self._connect("count claims") as conn:
            rows = conn.execute(select(column, func.count()).group_by(column).order_by(column))
            return [(r[0], r[1]) for r in rows]

    # -- incidents ----------------------------------------------------------------

    def claims_with_sources(self, kinds: Sequence[str]) -> list[tuple[ClaimRef, Claim, ClaimSource]]:
        """Claims of these kinds with what clustering needs of their reports."""
        c, r = tables.claims, tables.reports
        query = (select(c.c.payload, r.c.sha256, r.c.text, r.c.source_id, r.c.source, r.c.format, r.c.published)
                 .join(r, r.c.id == c.c.report_id).where(c.c.kind.in_(list(kinds))).order_by(c.c.id))
        found = []
        with self._connect("read claims") as conn:
            for row in conn.execute(query):
                claim = Claim.model_validate(row.payload)
                source = ClaimSource(report_sha256=row.sha256, text=row.text, source_id=row.source_id,
                                     source_name=row.source, format=ReportFormat(row.format),
                                     published=row.published.isoformat() if row.published else "")
                found.append((ClaimRef(report_sha256=row.sha256, index=claim.index), claim, source))
        return found

    def placements(self) -> dict[ClaimRef, str]:
        """Which incident each claim joined on earlier runs."""
        t = tables.incident_claims
        with self._connect("read incident membership") as conn:
            return {ClaimRef(report_sha256=row.report_sha256, index=row.claim_idx): row.incident_id
                    for row in conn.execute(select(t))}

    def save_incidents(self, incidents: Sequence[Incident]) -> None:
        """Write incidents and their membership in one transaction (replacing the previous state)."""
        self._span = None  # the longest incident span may grow
        now = dt.datetime.now(dt.UTC)
        with self._connect("store incidents", lock=True) as conn:
            recorded = self._latest_hashes(conn, "incident")
            for incident in incidents:
                payload = incident.model_dump(mode="json")
                if recorded.get(incident.id) != digest(payload):
                    self._record(conn, "incident", incident.id, payload)
            gone = set(recorded) - {i.id for i in incidents} - {k for k, h in recorded.items() if h == DELETED}
            assessed = self._latest_hashes(conn, "assessments") if gone else {}
            for incident_id in sorted(gone):  # its assessments go with it, below
                self._record(conn, "incident", incident_id, None)
                if assessed.get(incident_id, DELETED) != DELETED:
                    self._record(conn, "assessments", incident_id, None)
            conn.execute(tables.incident_claims.delete())
            conn.execute(tables.incident_actors.delete())
            for incident in incidents:
                row = _incident_row(incident) | {"updated_at": now}
                stmt = self._insert(tables.incidents).values(**row)
                update = {k: v for k, v in row.items() if k not in ("id", "verdict", "confidence")}
                conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=update))
            members = [{"report_sha256": ref.report_sha256, "claim_idx": ref.index, "incident_id": i.id}
                       for i in incidents for ref in i.claims]
            if members:
                conn.execute(tables.incident_claims.insert(), members)
            if named := incident_actor_rows(list(incidents)):
                conn.execute(tables.incident_actors.insert(), named)
            kept = [i.id for i in incidents]
            conn.execute(tables.assessments.delete().where(tables.assessments.c.incident_id.not_in(kept)))
            conn.execute(tables.incidents.delete().where(tables.incidents.c.id.not_in(kept)))
            if len(incidents) >= ANALYZE_AFTER:
                conn.execute(text("ANALYZE incidents"))  # fresh statistics, or the planner misjudges the map query

    def incidents(self, query: IncidentQuery | None = None) -> list[StoredIncident]:
        """The incidents ``query`` asks for (all of them without one), newest first."""
        return list(self.iter_incidents(query))

    def incident(self, incident_id: str) -> StoredIncident:
        found = self.incidents(IncidentQuery(id=incident_id))
        if not found:
            raise NotFound(f"No incident {incident_id!r}. List them with `ceasefire incidents list`.")
        return found[0]

    def iter_incidents(self, query: IncidentQuery | None = None, *, batch: int = 1000) -> Iterator[StoredIncident]:
        """The incidents ``query`` asks for, newest first, read through one streaming cursor
        (server-side on PostgreSQL) ``batch`` rows at a time, so memory stays flat however many
        there are: what exports use."""
        query = query or IncidentQuery()
        a, r, i = tables.assessments, tables.reviews, tables.incidents.c
        stmt = matching(query, i.id, i.payload, i.verdict, i.confidence, **self._planning(query))
        with self._connect("stream incidents") as conn:
            result = conn.execution_options(yield_per=batch).execute(stmt.order_by(i.earliest.desc(), i.id))
            for rows in result.partitions():
                ids = [row.id for row in rows]
                clauses: dict[str, set[str]] = {}
                for row in conn.execute(select(a.c.incident_id, a.c.clause_id).where(
                        a.c.incident_id.in_(ids), a.c.clause_id.is_not(None), a.c.verdict.in_(FINDINGS))):
                    clauses.setdefault(row.incident_id, set()).add(row.clause_id)
                reviews = {row.incident_id: dict(row._mapping) for row in conn.execute(
                    select(r).where(r.c.incident_id.in_(ids)).order_by(r.c.id))}
                for row in rows:
                    yield StoredIncident(Incident.model_validate(row.payload), row.verdict, row.confidence,
                                         reviews.get(row.id), clauses.get(row.id, set()))

    def publication_days(self, since: dt.date, until: dt.date) -> dict[dt.date, int]:
        """How many reports were published on each day from ``since`` to ``until`` (days with none are absent)."""
        r = tables.reports.c
        start = dt.datetime.combine(since, dt.time(), dt.UTC)
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
        days: dict[dt.date, int] = {}
        with self._connect("count reports by day") as conn:
            for (published,) in conn.execute(select(r.published).where(r.published >= start, r.published < end)):
                day = published.astimezone(dt.UTC).date()
                days[day] = days.get(day, 0) + 1
        return days

    def claim_places(self, since: dt.date, until: dt.date) -> list[tuple[str | None, float, float]]:
        """(area id, latitude, longitude) of every located claim dated within ``since``..``until``."""
        c = tables.claims.c
        query = select(c.area_id, c.latitude, c.longitude).where(
            c.latitude.is_not(None), c.longitude.is_not(None), c.earliest <= until, c.latest >= since)
        with self._connect("read claim places") as conn:
            return [(row.area_id, row.latitude, row.longitude) for row in conn.execute(query)]

    def ledger_head(self) -> Record | None:
        """The last ledger record, or None for an empty ledger."""
        with self._connect("read the ledger head") as conn:
            r = conn.execute(select(tables.ledger).order_by(tables.ledger.c.seq.desc()).limit(1)).first()
        return Record(r.seq, r.kind, r.key, r.object_hash, r.prev_hash, r.hash, r.at) if r else None

    def save_assessments(self, assessments: Sequence[Assessment]) -> None:
        """Replace the automatic assessments of the incidents given (analyst reviews are kept)."""
        by_incident: dict[str, list[Assessment]] = {}
        for assessment in assessments:
            by_incident.setdefault(assessment.incident_id, []).append(assessment)
        with self._connect("store assessments", lock=True) as conn:
            recorded = self._latest_hashes(conn, "assessments", list(by_incident))
            for incident_id, found in by_incident.items():
                conn.execute(tables.assessments.delete().where(tables.assessments.c.incident_id == incident_id))
                payloads = [a.model_dump(mode="json") for a in found]
                conn.execute(tables.assessments.insert(), [
                    {"incident_id": incident_id, "clause_id": a.clause_id, "reading_id": a.reading_id,
                     "verdict": a.verdict.value, "confidence": a.confidence, "payload": payload}
                    for a, payload in zip(found, payloads, strict=True)])
                if recorded.get(incident_id) != digest(payloads):
                    self._record(conn, "assessments", incident_id, payloads)
                overall = next(a for a in found if a.clause_id is None)
                conn.execute(tables.incidents.update().where(tables.incidents.c.id == incident_id).values(
                    verdict=overall.verdict.value, confidence=overall.confidence))

    def assessments(self, incident_id: str) -> list[Assessment]:
        a = tables.assessments
        with self._connect("read assessments") as conn:
            rows = conn.execute(select(a.c.payload).where(a.c.incident_id == incident_id).order_by(a.c.id))
            return [Assessment.model_validate(r.payload) for r in rows]

    def overall_assessment(self, incident_id: str) -> Assessment:
        self.incident(incident_id)
        found = next((a for a in self.assessments(incident_id) if a.clause_id is None), None)
        if found is None:
            raise NotFound(f"Incident {incident_id} has no assessment yet. Run `ceasefire assess` first.")
        return found

    # -- web accounts, map ---------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str) -> accounts.Revoked | None:
        """Create a user, or change one's role and password: the one way a user is added or changed.
        A change ends the user's sessions and API tokens, and returns how many (None for a new user)."""
        with self._connect("store a user", lock=True) as conn:
            ended = accounts.save_user(conn, name, role, password_hash)
            self._record_change(conn, "user", name, user_object({"name": name, "role": role,
                                                                 "password_hash": password_hash}))
            return ended

    def remove_user(self, name: str) -> accounts.Revoked | None:
        """Delete a user with their sessions and API tokens: the one way a user is removed (None: no such user)."""
        with self._connect("remove a user", lock=True) as conn:
            ended = accounts.remove_user(conn, name)
            if ended is not None:
                self._record(conn, "user", name, None)
            return ended

    def user(self, name: str) -> accounts.Account | None:
        with self._connect("read a user") as conn:
            return accounts.account(conn, name)

    def users(self) -> list[accounts.Account]:
        with self._connect("list users") as conn:
            return accounts.all_accounts(conn)

    def add_api_token(self, user: str, token_sha256: str) -> None:
        with self._connect("store an API token") as conn:
            accounts.add_token(conn, user, token_sha256)

    def revoke_api_tokens(self, user: str) -> int:
        with self._connect("revoke API tokens") as conn:
            return accounts.revoke_tokens(conn, user)

    def token_user(self, token_sha256: str) -> accounts.Account | None:
        with self._connect("check an API token") as conn:
            return accounts.token_account(conn, token_sha256)

    def start_session(self, user: str, id_sha256: str, expires_at: dt.datetime) -> None:
        with self._connect("start a web session") as conn:
            accounts.start_session(conn, user, id_sha256, expires_at)

    def session_user(self, id_sha256: str) -> accounts.Account | None:
        with self._connect("check a web session") as conn:
            return accounts.session_account(conn, id_sha256)

    def end_session(self, id_sha256: str) -> None:
        with self._connect("end a web session") as conn:
            accounts.end_session(conn, id_sha256)

    def add_attachments(self, report_sha256: str, files: Sequence[dict[str, Any]]) -> None:
        if not files:
            return
        now = dt.datetime.now(dt.UTC)
        with self._connect("store attachments", lock=True) as conn:
            for file in files:
                new_id = conn.execute(tables.attachments.insert().values(
                    report_sha256=report_sha256, created_at=now, **file).returning(tables.attachments.c.id)).scalar()
                stored = file | {"report_sha256": report_sha256}
                self._record(conn, "attachment", str(new_id), attachment_object(stored))

    def attachments(self, report_sha256: str) -> list[dict[str, Any]]:
        a = tables.attachments
        with self._connect("list attachments") as conn:
            rows = conn.execute(select(a.c.id, a.c.filename, a.c.content_type, a.c.sha256, a.c.size)
                                .where(a.c.report_sha256 == report_sha256).order_by(a.c.id))
            return [dict(r._mapping) for r in rows]

    def attachment(self, attachment_id: int) -> dict[str, Any]:
        with self._connect("read an attachment") as conn:
            row = conn.execute(select(tables.attachments).where(tables.attachments.c.id == attachment_id)).first()
        if row is None:
            raise NotFound(f"No attachment {attachment_id}.")
        return dict(row._mapping)

    def incident_points(self, query: IncidentQuery, *, with_payload: bool = False, after: PageKey | None = None,
                        limit: int = 1000, offset: int = 0, cancel: Cancel | None = None) -> list[dict[str, Any]]:
        """The map's query: one page of the incidents ``query`` asks for, newest first, with the
        verdict that wins (an analyst's review over the automatic one) and ``reviewed`` (the
        review's verdict, or None). The whole incident (``payload``) comes only when asked for."""
        stmt = incident_page(query, with_payload=with_payload, after=after, limit=limit, offset=offset,
                             **self._planning(query))
        return [dict(row._mapping) for row in self._read("query the map", stmt, cancel)]

    def is_public(self, incident_id: str) -> bool:
        """Whether the public may see this incident (False too when there is no such incident)."""
        query = IncidentQuery(id=incident_id, published_only=True)
        return bool(self._read("check an incident is published",
                               matching(query, tables.incidents.c.id, **self._planning(query))))

    def violations_per_day(self, query: IncidentQuery, cancel: Cancel | None = None
                           ) -> list[tuple[dt.date, str, int]]:
        """(day, responsible party, count) of the violations among the incidents ``query`` asks for."""
        rows = self._read("count violations per day", violations_per_day(query, **self._planning(query)), cancel)
        return [(row.earliest, row.party, row.n) for row in rows]

    def violations_per_party(self, query: IncidentQuery, cancel: Cancel | None = None) -> dict[str, int]:
        """Violations per responsible party among the incidents ``query`` asks for."""
        rows = self._read("count violations per party", violations_per_party(query, **self._planning(query)), cancel)
        return {row.party: row.n for row in rows}

    def findings_per_clause(self, query: IncidentQuery, cancel: Cancel | None = None
                            ) -> list[tuple[str, str | None, str, int]]:
        """(clause, reading, verdict, count) of VIOLATION and DISPUTED clause findings of those incidents."""
        rows = self._read("count findings per clause", findings_per_clause(query, **self._planning(query)), cancel)
        return [(row.clause_id, row.reading_id, row.verdict, row.n) for row in rows]

    def _planning(self, query: IncidentQuery) -> dict[str, Any]:
        span = self.longest_incident_span() if query.since else dt.timedelta(0)
        return {"span": span, "sqlite": self.engine.dialect.name == "sqlite"}

    def _read(self, doing: str, stmt: Any, cancel: Cancel | None = None) -> list[Any]:
        """The rows of a public read, stopped after ``read_timeout`` seconds or when ``cancel`` trips."""
        with self._connect(doing) as conn, time_limit(conn, self.read_timeout, cancel):
            return list(conn.execute(stmt))

    def longest_incident_span(self) -> dt.timedelta:
        """The longest earliest..latest range of any incident, re-read at most once a minute."""
        now = time.monotonic()
        if self._span is None or now - self._span[0] > 60:
            i = tables.incidents
            if self.engine.dialect.name == "sqlite":
                days = func.max(func.julianday(i.c.latest) - func.julianday(i.c.earliest))
            else:
                days = func.max(i.c.latest - i.c.earliest)
            with self._connect("read incident spans") as conn:
                found = conn.execute(select(days)).scalar()
            self._span = (now, dt.timedelta(days=int(found or 0) + 1))
        return self._span[1]

    def incident_dates(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day any incident covers."""
        i = tables.incidents
        with self._connect("read incident dates") as conn:
            first, last = conn.execute(select(func.min(i.c.earliest), func.max(i.c.latest))).one()
        return first, last

    def incident_evidence(self, incident_id: str) -> list[tuple[StoredReport, Claim]]:
        """Each claim of an incident beside the report it came from."""
        c, r, m = tables.claims, tables.reports, tables.incident_claims
        query = (select(r, c.c.payload.label("claim_payload")).join(c, c.c.report_id == r.c.id)
                 .join(m, (m.c.report_sha256 == r.c.sha256) & (m.c.claim_idx == c.c.idx))
                 .where(m.c.incident_id == incident_id).order_by(r.c.published, c.c.idx))
        with self._connect("read an incident's claims") as conn:
            rows = conn.execute(query).all()
        return [(StoredReport.model_validate({k: v for k, v in row._mapping.items() if k != "claim_payload"}),
                 Claim.model_validate(row.claim_payload)) for row in rows]

    def ledger_for(self, keys: Sequence[tuple[str, str]]) -> list[Record]:
        """The ledger records of these (kind, key) objects, in order: an object's history."""
        ledger = tables.ledger
        wanted = or_(*[(ledger.c.kind == kind) & (ledger.c.key == key) for kind, key in keys])
        with self._connect("read the ledger") as conn:
            rows = conn.execute(select(ledger).where(wanted).order_by(ledger.c.seq))
            return [Record(r.seq, r.kind, r.key, r.object_hash, r.prev_hash, r.hash, r.at) for r in rows]

    # -- reviews -------------------------------------------------------------------

    def add_reviewer(self, name: str, affiliation: str | None, admin: bool) -> None:
        row = {"name": name, "affiliation": affiliation, "admin": admin}
        stmt = self._insert(tables.reviewers).values(**row)
        with self._connect("register a reviewer", lock=True) as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=row))
            self._record_change(conn, "reviewer", name, reviewer_object(row))

    def reviewer(self, name: str) -> dict[str, Any]:
        with self._connect("read a reviewer") as conn:
            row = conn.execute(select(tables.reviewers).where(tables.reviewers.c.name == name)).first()
        if row is None:
            raise NotFound(f"No reviewer {name!r}. Register them with `ceasefire reviewer add {name} "
                           "--affiliation ACTOR_ID` (or without an affiliation).")
        return dict(row._mapping)

    def add_review(self, review: dict[str, Any]) -> None:
        with self._connect("store a review", lock=True) as conn:
            new_id = conn.execute(tables.reviews.insert().values(**review, created_at=dt.datetime.now(dt.UTC))
                                  .returning(tables.reviews.c.id)).scalar_one()
            row = conn.execute(select(tables.reviews).where(tables.reviews.c.id == new_id)).one()
            self._record(conn, "review", str(new_id), review_object(row._mapping))

    def reviews(self, incident_id: str) -> list[dict[str, Any]]:
        r = tables.reviews
        with self._connect("read reviews") as conn:
            rows = conn.execute(select(r).where(r.c.incident_id == incident_id).order_by(r.c.id))
            return [dict(row._mapping) for row in rows]

    def _latest_reviews(self, conn: Connection, incident_id: str | None = None) -> dict[str, dict[str, Any]]:
        query = select(tables.reviews).order_by(tables.reviews.c.id)
        if incident_id:
            query = query.where(tables.reviews.c.incident_id == incident_id)
        latest: dict[str, dict[str, Any]] = {}
        for row in conn.execute(query):
            latest[row.incident_id] = dict(row._mapping)
        return latest

    # -- ledger ------------------------------------------------------------------

    def _record(self, conn: Connection, kind: str, key: str, value: Any) -> None:
        """Append a ledger record for a change, inside the transaction that makes the change.
        ``value`` None records a deletion."""
        if self.engine.dialect.name == "postgresql":
            conn.execute(text("LOCK TABLE ledger IN EXCLUSIVE MODE"))  # one appender at a time
        last = conn.execute(select(tables.ledger).order_by(tables.ledger.c.seq.desc()).limit(1)).first()
        now = dt.datetime.now(dt.UTC)
        record = Record.chained((last.seq + 1) if last else 1, kind, key, DELETED if value is None else digest(value),
                                last.hash if last else GENESIS, now)
        conn.execute(tables.ledger.insert().values(**vars(record), recorded_at=now))

    def _record_change(self, conn: Connection, kind: str, key: str, value: Any) -> None:
        """Record ``value`` unless the ledger's latest record of (kind, key) already holds it."""
        if self._latest_hashes(conn, kind, [key]).get(key) != digest(value):
            self._record(conn, kind, key, value)

    def _latest_hashes(self, conn: Connection, kind: str, keys: Sequence[str] | None = None) -> dict[str, str]:
        query = (select(tables.ledger.c.key, tables.ledger.c.object_hash)
                 .where(tables.ledger.c.kind == kind).order_by(tables.ledger.c.seq))
        if keys is not None:
            query = query.where(tables.ledger.c.key.in_(keys))
        return {row.key: row.object_hash for row in conn.execute(query)}

    def ledger(self) -> list[Record]:
        with self._connect("read the ledger") as conn:
            rows = conn.execute(select(tables.ledger).order_by(tables.ledger.c.seq))
            return [Record(r.seq, r.kind, r.key, r.object_hash, r.prev_hash, r.hash, r.at) for r in rows]

    def audit(self) -> Audit:
        """The ledger, the checkpoints, every stored object's hash and every copied column that
        differs from its ledgered object, read in one snapshot (what `verify` compares)."""
        from ceasefire.store import integrity  # it builds on this module's row functions

        with self._connect("read the ledger and every stored object") as conn:
            if self.engine.dialect.name == "postgresql":
                conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            else:
                conn.exec_driver_sql("BEGIN")  # pysqlite would read each table in its own snapshot
            return integrity.audit(conn)

    def add_capture(self, row: dict[str, Any]) -> int:
        """Store a captured page with its ledger record, in one transaction."""
        with self._connect("store a capture", lock=True) as conn:
            new_id = int(conn.execute(tables.captures.insert().values(**row).returning(tables.captures.c.id))
                         .scalar_one())
            stored = conn.execute(select(tables.captures).where(tables.captures.c.id == new_id)).one()
            self._record(conn, "capture", str(new_id), capture_object(stored._mapping))
        return new_id

    def captures(self) -> list[dict[str, Any]]:
        with self._connect("read captures") as conn:
            return [dict(r._mapping) for r in conn.execute(select(tables.captures).order_by(tables.captures.c.id))]

    def add_observer(self, name: str, public_key: str) -> None:
        row = {"name": name, "public_key": public_key, "registered_at": dt.datetime.now(dt.UTC)}
        stmt = self._insert(tables.observers).values(**row)
        with self._connect("register an observer", lock=True) as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=row))
            self._record_change(conn, "observer", name, observer_object(row))

    def observer_keys(self) -> dict[str, str]:
        with self._connect("read observers") as conn:
            return {r.name: r.public_key for r in conn.execute(select(tables.observers))}

    def add_pack_signature(self, row: dict[str, Any]) -> None:
        with self._connect("store a pack signature") as conn:
            conn.execute(tables.pack_signatures.insert().values(**row, signed_at=dt.datetime.now(dt.UTC)))

    def pack_signatures(self, agreement_id: str) -> list[dict[str, Any]]:
        t = tables.pack_signatures
        with self._connect("read pack signatures") as conn:
            rows = conn.execute(select(t).where(t.c.agreement_id == agreement_id).order_by(t.c.id))
            return [dict(r._mapping) for r in rows]

    def add_checkpoint(self, row: dict[str, Any]) -> int:
        with self._connect("store a checkpoint") as conn:
            return int(conn.execute(tables.checkpoints.insert().values(**row).returning(tables.checkpoints.c.id))
                       .scalar_one())

    def checkpoints(self) -> list[dict[str, Any]]:
        with self._connect("read checkpoints") as conn:
            rows = conn.execute(select(tables.checkpoints).order_by(tables.checkpoints.c.id))
            return [dict(r._mapping) for r in rows]

    # -- gazetteer -----------------------------------------------------------------

    def add_gazetteer_places(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert or replace GeoNames places (keyed by geonames_id) in one transaction."""
        if not rows:
            return
        stmt = self._insert(tables.gazetteer)
        update = {c.name: stmt.excluded[c.name] for c in tables.gazetteer.columns if c.name != "geonames_id"}
        with self._connect("store gazetteer places") as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["geonames_id"], set_=update), list(rows))

    def gazetteer_places(self, countries: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Imported GeoNames places in these countries."""
        query = select(tables.gazetteer).where(tables.gazetteer.c.country.in_(list(countries)))
        with self._connect("read the gazetteer") as conn:
            for row in conn.execute(query):
                yield dict(row._mapping)

    def count_gazetteer(self) -> int:
        with self._connect("count gazetteer places") as conn:
            return conn.execute(select(func.count()).select_from(tables.gazetteer)).scalar_one()

    # -- agreements --------------------------------------------------------------

    def register_agreement(self, pack: AgreementPack) -> None:
        """Record that this database monitors the pack's agreement."""
        row = {"id": pack.agreement.id, "title": pack.agreement.title, "pack_path": pack.path,
               "registered_at": dt.datetime.now(dt.UTC)}
        stmt = self._insert(tables.agreements).values(**row)
        stmt = stmt.on_conflict_do_update(index_elements=["id"], set_={"pack_path": pack.path,
                                                                      "title": pack.agreement.title})
        with self._connect("register an agreement") as conn:
            conn.execute(stmt)

    def agreements(self) -> list[dict[str, Any]]:
        with self._connect("list agreements") as conn:
            return [dict(r._mapping) for r in conn.execute(select(tables.agreements))]


@dataclass(frozen=True)
class StoredIncident:
    """An incident with its automatic verdict and, when an analyst decided, the review that wins."""

    incident: Incident
    automatic: str | None
    confidence: float | None
    review: dict[str, Any] | None
    clauses: set[str]

    @property
    def verdict(self) -> str | None:
        return self.review["verdict"] if self.review else self.automatic


@dataclass(frozen=True)
class StoredClaim:
    id: int
    report_id: int
    claim: Claim




def _incident_row(incident: Incident) -> dict[str, Any]:
    place = incident.place
    return {
        "id": incident.id, "event_type": incident.event_type, "sub_event_type": incident.sub_event_type,
        "earliest": incident.date.earliest, "latest": incident.date.latest,
        "latitude": place.latitude if place else None, "longitude": place.longitude if place else None,
        "admin1": place.admin1 if place else None, "area_id": place.area_id if place else None,
        "corroboration": incident.corroboration, "payload": incident.model_dump(mode="json"),
        "place_name": place.name if place else None, "perpetrator": _perpetrator(incident),
    }


def _perpetrator(incident: Incident) -> str | None:
    actor = next(iter(incident.actors_in(Role.PERPETRATOR)), None)
    return (actor.actor_id or actor.evidence.text) if actor else None


def _claim_row(report_id: int, claim: Claim) -> dict[str, Any]:
    place, date = claim.place, claim.date
    return {
        "report_id": report_id, "idx": claim.index, "kind": claim.kind.value, "event_type": claim.event_type,
        "sub_event_type": claim.sub_event_type,
        "earliest": date.earliest if date else None, "latest": date.latest if date else None,
        "time_precision": date.time_precision if date else None,
        "latitude": place.latitude if place else None, "longitude": place.longitude if place else None,
        "geo_precision": place.geo_precision if place else None, "area_id": place.area_id if place else None,
        "fatalities": claim.fatalities.low if claim.fatalities else None,
        "payload": claim.model_dump(mode="json"),
    }


__all__ = ["DEFAULT_DB", "Store", "StoredClaim", "StoredIncident", "database_url", "report_object", "sqlite_file"]
