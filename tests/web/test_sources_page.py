"""The sources page in Debian's Chromium: analysts see each source's health, last fetch, items and
what polls refused; the public does not see it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from ceasefire.monitor.fetch import Fetcher, Politeness
from ceasefire.monitor.sources import SourceKind, add_source
from ceasefire.monitor.watch import Watch
from ceasefire.store import Store
from tests.monitor.feeds import Answer, FeedServer, article, rss
from tests.web.conftest import free_port
from tests.web.test_browser import browser, page, shot, sign_in  # noqa: F401 (fixtures)


def serve(db: str) -> tuple[subprocess.Popen[bytes], str]:
    """`ceasefire serve` as tests/web/conftest.py starts it, waiting longer: on this shared machine
    its start can take over a minute."""
    port = free_port()
    process = subprocess.Popen([str(Path(sys.executable).parent / "ceasefire"), "serve", "--db", db, "--port",
                                str(port), "--tiles", ""], env=os.environ | {"CEASEFIRE_SECRET_KEY": "sources-test"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/agreements", timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("`ceasefire serve` did not answer within 300 s")


@pytest.fixture(scope="module")
def watched(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`ceasefire serve` over a copy of the demo database after one watch pass over a healthy feed
    and a failing one; the server's URL and the feed server's."""
    feeds = FeedServer().start()
    feeds.routes["/news/north.html"] = Answer(article("Shelling in the north", "Shelling hit the north."),
                                              "text/html")
    feeds.routes["/wire.xml"] = Answer(rss(("Shelling in the north", feeds.url + "/news/north.html")))
    feeds.routes["/down.xml"] = Answer(b"down", "text/plain", status=503)
    copy = tmp_path_factory.mktemp("watched") / "watched.db"
    shutil.copy(demo_db, copy)
    store = Store.open(str(copy))
    add_source(store, feeds.url + "/wire.xml", SourceKind.RSS, "15m")
    add_source(store, feeds.url + "/down.xml", SourceKind.ATOM, "1h")
    with httpx.Client(timeout=5) as client:
        Watch(store, Fetcher(client, Politeness(0.0), attempts=1), failure_limit=1).once()
    store.close()
    process, url = serve(str(copy))
    yield url, feeds.url
    process.terminate()
    process.wait(10)
    feeds.stop()


def test_an_analyst_sees_each_source_its_health_and_what_was_refused(page: Page,  # noqa: F811
                                                                     watched: tuple[str, str]) -> None:
    server, feeds = watched
    sign_in(page, server, "ana")
    page.click("nav a:has-text('Sources')")
    expect(page.get_by_test_id("sources-summary")).to_contain_text("2 source(s)")
    expect(page.get_by_test_id("sources-summary")).to_contain_text("1 unhealthy")
    wire = page.locator("[data-testid=sources] tr", has_text=f"{feeds}/wire.xml")
    expect(wire).to_contain_text("healthy")
    expect(wire.locator("td").nth(6)).to_have_text("1")  # items captured
    down = page.locator("[data-testid=sources] tr", has_text=f"{feeds}/down.xml")
    expect(down).to_contain_text("unhealthy since")
    expect(down).to_contain_text("refused: answered HTTP 503")
    expect(page.get_by_test_id("failures")).to_contain_text("answered HTTP 503")
    shot(page, "sources")


def test_the_public_does_not_see_the_sources(page: Page, watched: tuple[str, str]) -> None:  # noqa: F811
    server, _ = watched
    assert httpx.get(server + "/sources").status_code == 401
    page.goto(server + "/")
    expect(page.locator("nav a:has-text('Sources')")).to_have_count(0)
