"""Evidence capture against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from ceasefire.errors import IntakeError
from ceasefire.pipeline import capture_page, verify_ledger
from ceasefire.store import Store
from tests.intake.test_formats import HTML

PAGE = HTML.encode()


class Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path != "/article":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("X-Demo", "evidence")
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_capture_keeps_bytes_headers_time_hashes_and_the_report(store: Store, site: str) -> None:
    with httpx.Client() as client:
        capture_id, captured = capture_page(store, f"{site}/moved", client)
    (row,) = store.captures()
    assert row.id == capture_id and row.raw == PAGE and row.raw_sha256 == hashlib.sha256(PAGE).hexdigest()
    assert row.final_url == f"{site}/article" and row.status == 200
    assert row.headers["x-demo"] == "evidence" and row.headers["content-type"].startswith("text/html")
    (report,) = store.reports()
    assert report.sha256 == row.report_sha256 == hashlib.sha256(PAGE).hexdigest()
    assert hashlib.sha256(report.text.encode()).hexdigest() == row.text_sha256
    assert "training camp of Jabhat Fateh al-Sham" in report.text
    assert verify_ledger(store)[2] == []


def test_a_missing_page_is_refused_and_nothing_stored(store: Store, site: str) -> None:
    with httpx.Client() as client, pytest.raises(IntakeError, match="answered HTTP 404"):
        capture_page(store, f"{site}/gone", client)
    assert store.captures() == [] and store.count_reports() == 0
