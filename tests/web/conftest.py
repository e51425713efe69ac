"""Helpers for the web tests; their fixtures live in tests/conftest.py (the reliability suite uses them too)."""

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

REPO = Path(__file__).resolve().parents[2]
PASSWORDS = {"obs": "observer-password", "ana": "analyst-password", "adm": "admin-password-1"}
ROLES = {"obs": "observer", "ana": "analyst", "adm": "admin"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: str) -> tuple[subprocess.Popen[bytes], str]:
    """`ceasefire serve` as a user starts it; returns the process and its URL once it answers."""
    port = free_port()
    env = os.environ | {"CEASEFIRE_SECRET_KEY": "browser-test-secret"}
    process = subprocess.Popen([str(Path(sys.executable).parent / "ceasefire"), "serve", "--db", db, "--port",
                                str(port), "--tiles", ""], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a loaded two-core machine can take over a minute to import and start
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/agreements", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"the server did not start: {process.stdout.read().decode() if process.stdout else ''}")


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server over a copy of the demo database."""
    copy = tmp_path_factory.mktemp("served") / "served.db"
    shutil.copy(demo_db, copy)
    process, url = start_server(str(copy))
    yield url
    process.terminate()
    process.wait(10)
