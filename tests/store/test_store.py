"""The store on both databases: each report once, times kept in UTC, lookups by id or hash prefix."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from ceasefire import store as store_package
from ceasefire.errors import NotFound, StoreError
from ceasefire.model import Report, ReportFormat
from ceasefire.packs import load_pack
from ceasefire.store import Store, database_url


def make_report(body: str, published: dt.datetime | None = None, source: str | None = "Wire Agency") -> Report:
    raw = body.encode()
    return Report(sha256=hashlib.sha256(raw).hexdigest(), format=ReportFormat.TEXT, text=body, raw=raw,
                  origin="test", published=published, source=source)


def test_schema_is_created_by_the_migrations(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"reports", "rejections", "agreements", "claims", "extractions", "gazetteer", "incidents", "assessments",
            "reviews", "ledger", "checkpoints", "captures", "observers", "pack_signatures", "users", "api_tokens",
            "attachments", "alembic_version"} <= tables
    newest = max(p.name[:4] for p in (Path(store_package.__file__).parent / "migrations" / "versions").glob("0*.py"))
    with store.engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == newest


def test_migrations_build_exactly_the_declared_tables(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ceasefire.store.tables import metadata

    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_same_bytes_are_stored_once(store: Store) -> None:
    first, again = make_report("Shelling in Douma."), make_report("Shelling in Douma.")
    other = make_report("Clashes in Harasta.")
    ids = store.add_reports([first, again, other])
    assert ids[0] is not None and ids[1] is None and ids[2] is not None
    assert store.add_reports([make_report("Shelling in Douma.")]) == [None]
    assert store.count_reports() == 2


def test_publication_time_round_trips_as_utc(store: Store) -> None:
    damascus = dt.timezone(dt.timedelta(hours=2))
    store.add_reports([make_report("Strike.", published=dt.datetime(2016, 12, 30, 0, 5, tzinfo=damascus))])
    (stored,) = store.reports()
    assert stored.published == dt.datetime(2016, 12, 29, 22, 5, tzinfo=dt.UTC)
    assert stored.received_at.tzinfo is not None and stored.raw == b"Strike."


def test_report_by_id_or_hash_prefix(store: Store) -> None:
    report = make_report("Airstrike near Sarmada.")
    (new_id,) = store.add_reports([report])
    assert store.report(new_id).text == "Airstrike near Sarmada."
    assert store.report(report.sha256[:8]).id == new_id
    with pytest.raises(NotFound, match="matches no report. List them with `ceasefire reports list`"):
        store.report("ffffff0000")


def test_filters_by_source_and_time(store: Store) -> None:
    day = dt.datetime(2017, 1, 5, tzinfo=dt.UTC)
    store.add_reports([make_report("a", day, "AFP"), make_report("b", day + dt.timedelta(days=3), "SANA")],
                      ["afp", "sana"])
    assert [r.text for r in store.reports(source="sana")] == ["b"]
    assert [r.text for r in store.reports(source="afp")] == ["a"]
    assert [r.text for r in store.reports(since=day + dt.timedelta(days=1))] == ["b"]
    assert sorted(store.report_counts("source_id")) == [("afp", 1), ("sana", 1)]


def test_rejections_are_kept_once(store: Store) -> None:
    store.add_rejection("a.jsonl:3", "is not valid JSON")
    store.add_rejection("a.jsonl:3", "is not valid JSON")
    assert [r.origin for r in store.rejections()] == ["a.jsonl:3"]


def test_registering_an_agreement_twice_keeps_one_row(store: Store, tiny_pack) -> None:
    pack = load_pack(tiny_pack)
    store.register_agreement(pack)
    store.register_agreement(pack)
    assert [a.id for a in store.agreements()] == ["tiny-truce"]


def test_reopening_an_existing_database_keeps_its_reports(db_url: str) -> None:
    Store.open(db_url).add_reports([make_report("kept")])
    assert Store.open(db_url).count_reports() == 1


def test_unreachable_server_gives_a_clear_error() -> None:
    with pytest.raises(StoreError, match="Check that the server is running and the URL is right"):
        Store.open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_database_urls() -> None:
    assert database_url("monitor.db") == "sqlite:///monitor.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
