"""Fixtures of the alert tests (conftest.py imports them): a monitored database filled by hand
(claims built without a language model), and the local servers alerts go to: a webhook receiver
and an SMTP server, both on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from ceasefire.model import Report, ReportFormat
from ceasefire.monitor.deliver import Outbox, Retry, SmtpSettings
from ceasefire.pipeline import assess_incidents, cluster_claims
from ceasefire.store import Store
from tests.verify.claims import claim

BASE_URL = "https://monitor.example.org"


@dataclass
class Monitored:
    """A database the tests add reports to, running clustering and assessment after each."""

    store: Store
    pack: Any
    path: Path

    def report(self, name: str, source: str, *, day: str = "2017-01-08", place: dict | None = None) -> None:
        ref, made, src = claim(name, source_id=source, source_name=source.upper(), text=f"{name} wording", day=day,
                               place=place)
        (report_id,) = self.store.add_reports([Report(sha256=ref.report_sha256, format=ReportFormat.TEXT,
                                                      text=src.text, raw=name.encode(), origin=name,
                                                      source=source)], [source])
        self.store.save_claims(report_id, "test", [made])
        cluster_claims(self.store, self.pack)
        assess_incidents(self.store, self.pack)


@pytest.fixture
def monitored(tmp_path: Path, syria_pack: Any) -> Iterator[Monitored]:
    path = tmp_path / "monitored.db"
    store = Store.open(str(path))
    store.register_agreement(syria_pack)
    yield Monitored(store, syria_pack, path)
    store.close()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook endpoint: answers ``failures`` requests with ``failure_status`` first, then 204; keeps
    every request."""

    url: str
    received: list[Received] = field(default_factory=list)
    failures: int = 0
    failure_status: int = 500
    answered: list[int] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            found.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
            status = found.failure_status if len(found.received) <= found.failures else 204
            found.answered.append(status)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    found.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield found
    server.shutdown()
    server.server_close()


class Inbox:
    """What the local SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, SmtpSettings]]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port: aiosmtpd connects to the port it was given to see it is up
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, SmtpSettings(host="127.0.0.1", port=port, sender="alerts@monitor.example.org")
    controller.stop()


@pytest.fixture
def waits() -> list[float]:
    """The waits between retries an outbox asked for (it never really sleeps)."""
    return []


@pytest.fixture
def outbox(waits: list[float]) -> Iterator[Outbox]:
    with httpx.Client() as client:
        yield Outbox(client, None, BASE_URL, Retry(attempts=4, first=1.0, factor=2.0), waits.append)
