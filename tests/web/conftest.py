"""The demo database built once, an app over a copy of it, and a real server for the browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from ceasefire.pipeline import assess_incidents, cluster_claims, extract, ingest
from ceasefire.store import Store
from ceasefire.web.accounts import add_user, new_api_token
from ceasefire.web.app import Settings, create_app

REPO = Path(__file__).resolve().parents[2]
PASSWORDS = {"obs": "observer-password", "ana": "analyst-password", "adm": "admin-password-1"}
ROLES = {"obs": "observer", "ana": "analyst", "adm": "admin"}


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, syria_pack, extractor) -> Path:  # type: ignore[no-untyped-def]
    """The demo corpus through the whole pipeline, with one account per role."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store.open(str(path))
    ingest(store, [REPO / "examples" / "corpus"], pack=syria_pack)
    extract(store, extractor)
    cluster_claims(store, syria_pack)
    assess_incidents(store, syria_pack)
    for name, role in ROLES.items():
        add_user(store, name, role, PASSWORDS[name])
    store.close()
    return path


@pytest.fixture
def web_store(demo_db: Path, tmp_path: Path) -> Iterator[Store]:
    copy = tmp_path / "web.db"
    shutil.copy(demo_db, copy)
    opened = Store.open(str(copy))
    yield opened
    opened.close()


@pytest.fixture
def client(web_store: Store, syria_pack) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    app = create_app(web_store, syria_pack, Settings(secret_key="test-secret", tiles=""))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def tokens(web_store: Store) -> dict[str, str]:
    return {name: new_api_token(web_store, name) for name in ROLES}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`ceasefire serve` as a user starts it, over a copy of the demo database."""
    copy = tmp_path_factory.mktemp("served") / "served.db"
    shutil.copy(demo_db, copy)
    port = free_port()
    env = os.environ | {"CEASEFIRE_SECRET_KEY": "browser-test-secret"}
    process = subprocess.Popen([str(Path(sys.executable).parent / "ceasefire"), "serve", "--db", str(copy), "--port",
                                str(port), "--tiles", ""], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/agreements", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError(f"the server did not start: {process.stdout.read().decode() if process.stdout else ''}")
    yield url
    process.terminate()
    process.wait(10)
