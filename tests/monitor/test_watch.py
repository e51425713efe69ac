"""`watch` against a feed server on 127.0.0.1: what it captures, stores once, refuses and lists."""

from __future__ import annotations

import codecs
import time

from ceasefire.monitor.sources import SourceKind, add_source
from ceasefire.pipeline import verify_ledger
from ceasefire.store import Store
from tests.monitor.conftest import Clock, make_watch
from tests.monitor.feeds import Answer, FeedServer, article, endless, redirect, rss


def serve_articles(feeds: FeedServer, *names: str) -> list[tuple[str, str]]:
    for name in names:
        feeds.routes[f"/news/{name}.html"] = Answer(article(f"Shelling reported in {name}", f"Shelling hit {name}."),
                                                    "text/html; charset=utf-8")
    return [(f"Shelling in {name}", f"{feeds.url}/news/{name}.html") for name in names]


def failures(store: Store) -> list[str]:
    return [f"{f.url}: {f.reason}" for f in store.source_failures()]


def test_a_changing_feed_brings_each_article_once_with_its_evidence(store: Store, feeds: FeedServer,
                                                                    clock: Clock) -> None:
    feeds.routes["/feed.xml"] = Answer(rss(*serve_articles(feeds, "north", "south")))
    add_source(store, feeds.url + "/feed.xml", SourceKind.RSS, "15m")
    watch = make_watch(store, clock)

    first = watch.once()
    feeds.routes["/feed.xml"] = Answer(rss(*serve_articles(feeds, "north", "south", "east")))
    clock.later(16)
    second = watch.once()
    clock.later(16)
    third = watch.once()

    assert (first.new_items, first.captured, first.reports) == (2, 2, 2)
    assert (second.new_items, second.captured, second.reports) == (1, 1, 1)
    assert (third.new_items, third.captured) == (0, 0)
    assert sorted(c.url for c in store.captures()) == sorted(f"{feeds.url}/news/{n}.html"
                                                             for n in ("north", "south", "east"))
    assert len(feeds.requested("/news/north.html")) == 1
    assert store.count_reports() == 3
    capture = store.captures()[0]
    assert capture.raw.startswith(b"<html>") and capture.headers["content-type"].startswith("text/html")
    assert store.report(capture.report_sha256).published.year == 2017  # the feed item's date
    (source,) = store.sources()
    assert (source.items, source.pending, source.healthy) == (3, 0, True)
    assert verify_ledger(store)[2] == []


def test_an_unchanged_feed_is_asked_conditionally_and_answers_304(sqlite_store: Store, feeds: FeedServer,
                                                                  clock: Clock) -> None:
    feeds.routes["/feed.xml"] = Answer(rss(*serve_articles(feeds, "north")),
                                       headers={"Last-Modified": "Mon, 09 Jan 2017 10:00:00 GMT"})
    add_source(sqlite_store, feeds.url + "/feed.xml", SourceKind.RSS, "15m")
    watch = make_watch(sqlite_store, clock)
    watch.once()
    clock.later(16)
    again = watch.once()

    first, second = feeds.requested("/feed.xml")
    assert "if-none-match" not in first
    assert second["if-none-match"].startswith('"') and second["if-modified-since"] == "Mon, 09 Jan 2017 10:00:00 GMT"
    assert again.not_modified == 1 and again.new_items == 0
    assert sqlite_store.sources()[0].last_outcome == "304: not modified"


def test_three_failures_in_a_row_mark_a_source_unhealthy_and_one_success_heals_it(
        sqlite_store: Store, feeds: FeedServer, clock: Clock) -> None:
    feeds.routes["/feed.xml"] = Answer(b"oops", "text/plain", status=500)
    add_source(sqlite_store, feeds.url + "/feed.xml", SourceKind.RSS, "15m")
    watch = make_watch(sqlite_store, clock)
    health = []
    for _ in range(3):
        watch.once()
        health.append(sqlite_store.sources()[0].healthy)
        clock.later(16)
    feeds.routes["/feed.xml"] = Answer(rss(*serve_articles(feeds, "north")))
    watch.once()

    assert health == [True, True, False]
    assert len(feeds.requested("/feed.xml")) == 3 * 2 + 1  # two tries a poll (backoff between them)
    assert failures(sqlite_store) == [f"{feeds.url}/feed.xml: answered HTTP 500"] * 3
    assert sqlite_store.sources()[0].healthy and sqlite_store.sources()[0].consecutive_failures == 0


def test_a_slow_feed_times_out_and_is_listed(sqlite_store: Store, feeds: FeedServer, clock: Clock) -> None:
    feeds.routes["/feed.xml"] = Answer(rss(), delay=2.0)
    add_source(sqlite_store, feeds.url + "/feed.xml", SourceKind.RSS, "15m")
    started = time.monotonic()
    result = make_watch(sqlite_store, clock, timeout=0.3).once()

    assert result.failed == 1 and time.monotonic() - started < 4
    assert failures(sqlite_store) == [f"{feeds.url}/feed.xml: timed out (ReadTimeout)"]


def test_redirects_are_followed_to_http_only(sqlite_store: Store, feeds: FeedServer, clock: Clock) -> None:
    feeds.routes["/moved.xml"] = redirect("/feed.xml", 301)
    feeds.routes["/feed.xml"] = Answer(rss(*serve_articles(feeds, "north")))
    feeds.routes["/sneaky.xml"] = redirect("file:///etc/passwd")
    feeds.routes["/news/away.html"] = redirect("ftp://127.0.0.1/article.html")
    feeds.routes["/other.xml"] = Answer(rss(("Away", feeds.url + "/news/away.html")))
    for path in ("/moved.xml", "/sneaky.xml", "/other.xml"):
        add_source(sqlite_store, feeds.url + path, SourceKind.RSS, "15m")
    result = make_watch(sqlite_store, clock).once()

    assert (result.captured, result.refused, result.failed) == (1, 1, 1)
    assert [c.url for c in sqlite_store.captures()] == [f"{feeds.url}/news/north.html"]
    assert sorted(failures(sqlite_store)) == [
        f"{feeds.url}/news/away.html: redirects to 'ftp://127.0.0.1/article.html', which is not an http(s) URL; "
        "only http and https are fetched",
        f"{feeds.url}/sneaky.xml: redirects to 'file:///etc/passwd', which is not an http(s) URL; only http and "
        "https are fetched"]


def test_a_gzipped_feed_and_page_are_read(sqlite_store: Store, feeds: FeedServer, clock: Clock) -> None:
    items = serve_articles(feeds, "north")
    feeds.routes["/news/north.html"] = Answer(article("Shelling in north", "Shelling hit north."), "text/html",
                                              gzip=True)
    feeds.routes["/feed.xml"] = Answer(rss(*items), gzip=True)
    add_source(sqlite_store, feeds.url + "/feed.xml", SourceKind.RSS, "15m")
    result = make_watch(sqlite_store, clock).once()

    assert (result.captured, result.reports) == (1, 1)
    assert b"Shelling hit north." in sqlite_store.captures()[0].raw


def test_a_feed_in_another_encoding_than_it_declares_is_decoded(sqlite_store: Store, feeds: FeedServer,
                                                                clock: Clock) -> None:
    title = "Café bombardé près de la frontière – bilan"
    body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title><item>'
            f"<title>{title}</title><description>{title}, selon des témoins.</description></item></channel></rss>")
    feeds.routes["/cp1252.xml"] = Answer(body.encode("cp1252"), "application/rss+xml; charset=utf-8")
    feeds.routes["/utf16.xml"] = Answer(codecs.BOM_UTF16_LE + body.replace("utf-8", "utf-16").replace(
        "témoins", "témoins (2)").encode("utf-16-le"), "application/rss+xml")
    add_source(sqlite_store, feeds.url + "/cp1252.xml", SourceKind.RSS, "15m")
    add_source(sqlite_store, feeds.url + "/utf16.xml", SourceKind.RSS, "15m")
    result = make_watch(sqlite_store, clock).once()

    assert (result.failed, result.reports) == (0, 2)
    assert sorted(r.text for r in sqlite_store.reports()) == [f"{title}, selon des témoins (2).",
                                                              f"{title}, selon des témoins."]


def test_a_50_mb_body_is_refused_without_reading_it_all(sqlite_store: Store, feeds: FeedServer,
                                                        clock: Clock) -> None:
    feeds.routes["/declared.xml"] = endless(50 * 1024 * 1024, declare=True)
    feeds.routes["/endless.xml"] = endless(50 * 1024 * 1024, declare=False)
    add_source(sqlite_store, feeds.url + "/declared.xml", SourceKind.RSS, "15m")
    add_source(sqlite_store, feeds.url + "/endless.xml", SourceKind.RSS, "15m")
    make_watch(sqlite_store, clock, max_bytes=1024 * 1024).once()
    time.sleep(0.5)  # the server notices the hang-up

    declared, endless_one = sorted(failures(sqlite_store))
    assert declared == (f"{feeds.url}/declared.xml: declares 52,428,800 bytes, over the 1,048,576-byte cap; "
                        "nothing was read")
    assert endless_one.startswith(f"{feeds.url}/endless.xml: is over the 1,048,576-byte cap; stopped reading at 1,")
    assert all(sent < 20 * 1024 * 1024 for sent in feeds.sent.values()), feeds.sent


def test_malformed_xml_is_refused_and_listed_and_good_items_kept(sqlite_store: Store, feeds: FeedServer,
                                                                 clock: Clock) -> None:
    feeds.routes["/broken.xml"] = Answer(b"<rss><channel><item><title>Cut off</title><link>http://x/")
    feeds.routes["/html.xml"] = Answer(b"<html><body>not a feed</body></html>")
    feeds.routes["/empty.xml"] = Answer(rss())
    good = serve_articles(feeds, "north")
    feeds.routes["/mixed.xml"] = Answer(rss(*good).replace(b"</channel>", b"<item><link/></item></channel>"))
    for path in ("/broken.xml", "/html.xml", "/mixed.xml", "/empty.xml"):
        add_source(sqlite_store, feeds.url + path, SourceKind.RSS, "15m")
    result = make_watch(sqlite_store, clock).once()

    assert (result.failed, result.captured) == (2, 1)
    found = failures(sqlite_store)
    assert any(f.startswith(f"{feeds.url}/broken.xml: ") and "is not well-formed XML" in f for f in found), found
    assert any(f.startswith(f"{feeds.url}/html.xml: ") and "is not an RSS or Atom feed" in f for f in found), found
    assert any("item has neither a title nor any text" in f for f in found), found
    unhealthy = [s.consecutive_failures for s in sqlite_store.sources()]
    assert unhealthy == [1, 1, 0, 0]
    assert len(found) == 3


def test_the_same_article_in_two_feeds_is_captured_once(sqlite_store: Store, feeds: FeedServer,
                                                        clock: Clock) -> None:
    items = serve_articles(feeds, "north")
    feeds.routes["/a.xml"] = Answer(rss(*items, title="Wire A"))
    feeds.routes["/b.xml"] = Answer(rss(*items, title="Wire B"))
    add_source(sqlite_store, feeds.url + "/a.xml", SourceKind.RSS, "15m")
    add_source(sqlite_store, feeds.url + "/b.xml", SourceKind.RSS, "15m")
    make_watch(sqlite_store, clock).once()

    assert len(sqlite_store.captures()) == 1 and sqlite_store.count_reports() == 1
    assert len(feeds.requested("/news/north.html")) == 1
    assert [s.items for s in sqlite_store.sources()] == [1, 1]


def test_a_page_is_captured_when_it_changes_and_robots_txt_is_obeyed(sqlite_store: Store, feeds: FeedServer,
                                                                       clock: Clock) -> None:
    feeds.routes["/robots.txt"] = Answer(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    feeds.routes["/bulletin.html"] = Answer(article("Daily bulletin", "Calm day along the line."), "text/html")
    feeds.routes["/private/notes.html"] = Answer(article("Notes", "Not for robots."), "text/html")
    add_source(sqlite_store, feeds.url + "/bulletin.html", SourceKind.PAGE, "1h")
    add_source(sqlite_store, feeds.url + "/private/notes.html", SourceKind.PAGE, "1h")
    watch = make_watch(sqlite_store, clock)
    watch.once()
    clock.later(61)
    watch.once()  # unchanged: nothing new
    feeds.routes["/bulletin.html"] = Answer(article("Daily bulletin", "Two explosions heard."), "text/html")
    clock.later(61)
    watch.once()

    assert [c.url for c in sqlite_store.captures()] == [f"{feeds.url}/bulletin.html"] * 2
    assert sqlite_store.count_reports() == 2
    assert not feeds.requested("/private/notes.html") and len(feeds.requested("/robots.txt")) == 1
    assert failures(sqlite_store)[0] == (f"{feeds.url}/private/notes.html: is disallowed by {feeds.url}/robots.txt "
                                         "for ceasefire-watch")


def test_a_json_lines_source_stores_each_report_once(sqlite_store: Store, feeds: FeedServer, clock: Clock) -> None:
    line = '{{"text": "Shelling hit {0} on Sunday.", "published": "2017-01-09", "url": "https://e.org/{0}"}}\n'
    feeds.routes["/reports.jsonl"] = Answer((line.format("north") + "{broken\n").encode(), "application/jsonl")
    add_source(sqlite_store, feeds.url + "/reports.jsonl", SourceKind.JSONL, "15m")
    watch = make_watch(sqlite_store, clock)
    watch.once()
    feeds.routes["/reports.jsonl"] = Answer((line.format("north") + line.format("south")).encode(),
                                            "application/jsonl")
    clock.later(16)
    watch.once()

    assert sqlite_store.count_reports() == 2 and len(sqlite_store.captures()) == 2
    assert sqlite_store.sources()[0].items == 2
    assert any(f.startswith(f"{feeds.url}/reports.jsonl:2: ") for f in failures(sqlite_store))
