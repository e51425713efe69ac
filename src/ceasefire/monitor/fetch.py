"""Fetching for `ceasefire watch`: conditional GET, timeouts, retries with exponential backoff and
jitter, a politeness delay per host, robots.txt, a size cap read as the body streams in, and
redirects followed only to http(s). Network access goes only through the ``httpx.Client`` passed in.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from ceasefire.errors import FetchRefused

MAX_BYTES = 20 * 1024 * 1024  # as `reports capture`
MAX_REDIRECTS = 5
USER_AGENT = "ceasefire-watch (+https://github.com/ceasefire; ceasefire monitoring)"
ROBOTS_AGENT = "ceasefire-watch"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Fetched:
    """One answer: 200 with its body, or 304 (not modified) with none."""

    url: str
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # names in lower case
    raw: bytes
    fetched_at: dt.datetime

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Politeness:
    """At most one request to a host every ``delay`` seconds."""

    delay: float
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    last: dict[str, float] = field(default_factory=dict)

    def wait(self, host: str) -> None:
        earlier = self.last.get(host)
        if earlier is not None and (left := earlier + self.delay - self.clock()) > 0:
            self.sleep(left)
        self.last[host] = self.clock()


@dataclass
class Fetcher:
    """Fetches for one watch process; keeps robots.txt per host and the time of each host's last request.

    Args:
        client: every request goes through it (its timeouts apply to each connect and read).
        max_bytes: bodies over this are refused as they stream in, without reading the rest.
        attempts: tries for a failure that may pass (a timeout, a dropped connection, 5xx, 429).
        backoff: seconds before the second try; doubled for each further try, plus up to as much jitter.
        deadline: seconds one answer may take in all, however slowly its bytes trickle in.
    """

    client: httpx.Client
    politeness: Politeness = field(default_factory=lambda: Politeness(1.0))
    max_bytes: int = MAX_BYTES
    attempts: int = 3
    backoff: float = 1.0
    deadline: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    stopping: threading.Event = field(default_factory=threading.Event)
    robots: dict[str, urllib.robotparser.RobotFileParser | str] = field(default_factory=dict)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            obey_robots: bool = False) -> Fetched:
        """GET ``url``, conditionally when validators are given.

        Raises:
            FetchRefused: the URL, an answer or robots.txt refuses it, or every try failed
                (``transient`` tells whether a later poll may succeed).
        """
        _check_scheme(url, url)
        if obey_robots:
            self._check_robots(url)
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(1, self.attempts + 1):
            try:
                return self._follow(url, headers)
            except FetchRefused as refused:
                if not refused.transient or attempt == self.attempts or self.stopping.is_set():
                    raise
                pause = self.backoff * 2 ** (attempt - 1)
                log.info("%s: %s; trying again in %.1f s", url, refused.reason, pause)
                self.sleep(pause + random.uniform(0, pause))
        raise AssertionError("unreachable")

    def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            fetched = self._once(url, current, headers)
            if isinstance(fetched, Fetched):
                return fetched
            current = fetched
        raise FetchRefused(url, f"redirects more than {MAX_REDIRECTS} times")

    def _once(self, url: str, current: str, headers: dict[str, str]) -> Fetched | str:
        """The answer at ``current``, or the URL it redirects to."""
        self.politeness.wait(urlsplit(current).netloc)
        started = time.monotonic()
        try:
            with self.client.stream("GET", current, headers=headers, follow_redirects=False) as response:
                if response.has_redirect_location:
                    target = urljoin(current, str(response.headers.get("location", "")))
                    _check_scheme(url, target)
                    return target
                _check_status(url, response.status_code)
                raw = b"" if response.status_code == 304 else self._body(url, response, started)
                return Fetched(url, current, response.status_code, {k.lower(): v for k, v in response.headers.items()},
                               raw, dt.datetime.now(dt.UTC))
        except httpx.TimeoutException as exc:
            raise FetchRefused(url, f"timed out ({type(exc).__name__})", transient=True) from exc
        except httpx.DecodingError as exc:
            raise FetchRefused(url, f"sent a body that cannot be decoded ({exc})") from exc
        except httpx.HTTPError as exc:
            raise FetchRefused(url, f"cannot be fetched ({type(exc).__name__}: {exc})", transient=True) from exc

    def _body(self, url: str, response: httpx.Response, started: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchRefused(url, f"declares {int(declared):,} bytes, over the {self.max_bytes:,}-byte cap; "
                               "nothing was read")
        chunks, size = [], 0
        for chunk in response.iter_bytes():  # decompressed: the cap holds for a gzip bomb too
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchRefused(url, f"is over the {self.max_bytes:,}-byte cap; stopped reading at {size:,} bytes")
            if time.monotonic() - started > self.deadline:
                raise FetchRefused(url, f"took over {self.deadline:.0f} s to send its body", transient=True)
            chunks.append(chunk)
        return b"".join(chunks)

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self.robots:
            self.robots[host] = self._read_robots(host)
        rules = self.robots[host]
        if isinstance(rules, str):
            raise FetchRefused(url, rules, transient=True)
        if not rules.can_fetch(ROBOTS_AGENT, url):
            raise FetchRefused(url, f"is disallowed by {host}/robots.txt for {ROBOTS_AGENT}")

    def _read_robots(self, host: str) -> urllib.robotparser.RobotFileParser | str:
        """The host's rules; a reason instead when they cannot be read (RFC 9309: an unreachable
        robots.txt disallows everything, a missing one allows everything)."""
        rules = urllib.robotparser.RobotFileParser(host + "/robots.txt")
        try:
            fetched = Fetcher(self.client, self.politeness, 512 * 1024, 1, deadline=self.deadline)._follow(
                host + "/robots.txt", {})
        except FetchRefused as refused:
            if refused.http_status is not None and 400 <= refused.http_status < 500:
                rules.parse([])
                return rules
            return f"robots.txt of {host} cannot be read ({refused.reason}), so nothing there is fetched"
        rules.parse(fetched.raw.decode("utf-8", errors="replace").splitlines())
        return rules


def _check_scheme(url: str, target: str) -> None:
    if urlsplit(target).scheme not in ("http", "https"):
        where = "is" if target == url else f"redirects to {target!r}, which is"
        raise FetchRefused(url, f"{where} not an http(s) URL; only http and https are fetched")


def _check_status(url: str, status: int) -> None:
    if status == 429 or status >= 500:
        raise FetchRefused(url, f"answered HTTP {status}", transient=True, status=status)
    if status >= 400 or (300 <= status < 400 and status != 304):
        raise FetchRefused(url, f"answered HTTP {status}", status=status)
