"""A feed server on 127.0.0.1 for the watch tests and the benchmark: feeds and pages the test
changes between polls, with ETags, 500s, slow answers, redirects, gzip and endless bodies."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Behaviour = Callable[["Handler"], None]


@dataclass
class Answer:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True  # answer 304 to a matching If-None-Match
    gzip: bool = False
    delay: float = 0.0  # seconds before answering


class Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        found = self.server.routes.get(self.path)
        if found is None:
            self._send(Answer(b"not here", "text/plain", status=404))
        elif callable(found):
            found(self)
        else:
            self._send(found)

    def _send(self, answer: Answer) -> None:
        if answer.delay:
            time.sleep(answer.delay)
        tag = '"' + hashlib.sha256(answer.body).hexdigest()[:16] + '"'
        if answer.etag and answer.status == 200 and self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.end_headers()
            return
        body = gzip.compress(answer.body) if answer.gzip else answer.body
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(body)))
        if answer.etag:
            self.send_header("ETag", tag)
        if answer.gzip:
            self.send_header("Content-Encoding", "gzip")
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Answer | Behaviour] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.sent: dict[str, int] = {}  # bytes an endless body got out before the client hung up
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def requested(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


def rss(*items: tuple[str, str], title: str = "Local wire") -> bytes:
    """An RSS 2.0 feed of (title, link) items."""
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><description>{t}.</description>"
                      f"<pubDate>Mon, 09 Jan 2017 10:00:00 GMT</pubDate></item>" for t, link in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"{entries}</channel></rss>").encode()


def article(title: str, words: str) -> bytes:
    """An article page with enough text for the main-text extraction."""
    paragraphs = "".join(f"<p>{words} This paragraph {n} adds the detail a wire report gives, the place, the "
                         f"time and who said what, so the page reads as an article.</p>" for n in range(4))
    return (f"<html><head><title>{title}</title><meta property='og:title' content='{title}'></head><body>"
            f"<article><h1>{title}</h1>{paragraphs}</article></body></html>").encode()


def endless(size: int, declare: bool) -> Behaviour:
    """A body of ``size`` bytes sent in 64 KiB chunks; records how much got out."""

    def send(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        if declare:
            handler.send_header("Content-Length", str(size))
        handler.end_headers()
        chunk, sent = b"<" * 65536, 0
        try:
            while sent < size:
                handler.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.server.sent[handler.path] = sent
        handler.close_connection = True

    return send


def redirect(location: str, status: int = 302) -> Behaviour:
    def send(handler: Handler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return send
