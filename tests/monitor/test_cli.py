"""`ceasefire source ...` and `watch --once` as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.errors import SourceError
from tests.monitor.feeds import Answer, FeedServer, article, rss

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_add_watch_list_failures_and_remove(tmp_path: Path, feeds: FeedServer) -> None:
    db = str(tmp_path / "cli.db")
    feeds.routes["/news/north.html"] = Answer(article("Shelling in the north", "Shelling hit the north."),
                                              "text/html")
    feeds.routes["/wire.xml"] = Answer(rss(("Shelling in the north", feeds.url + "/news/north.html")))
    feeds.routes["/gone.xml"] = Answer(b"gone", "text/plain", status=410)

    assert run("source", "add", feeds.url + "/wire.xml", "--every", "15m", "--db", db) == (
        0, f"Added source 1: {feeds.url}/wire.xml (rss, every 15m).\n")
    assert run("source", "add", feeds.url + "/gone.xml", "--kind", "atom", "--every", "2h", "--db", db)[0] == 0
    code, output = run("watch", "--once", "--failures", "1", "--host-delay", "0", "--db", db)
    assert code == 0 and output.endswith("polled 2 source(s): 0 not modified, 1 failed; 1 new item(s), 1 page(s) "
                                         "captured, 0 refused, 1 new report(s).\n")
    rows = json.loads(run("source", "list", "--format", "json", "--db", db)[1])
    assert [(r["url"], r["every"], r["healthy"], r["items"], r["failures_in_a_row"]) for r in rows] == [
        (f"{feeds.url}/wire.xml", "15m", True, 1, 0), (f"{feeds.url}/gone.xml", "2h", False, 0, 1)]
    failures = json.loads(run("source", "failures", "--format", "json", "--db", db)[1])
    assert [(f["url"], f["reason"]) for f in failures] == [(f"{feeds.url}/gone.xml", "answered HTTP 410")]
    assert run("source", "remove", "1", "--db", db) == (
        0, f"Removed source 1: {feeds.url}/wire.xml; its 1 captured item(s) are kept.\n")
    assert [r["id"] for r in json.loads(run("source", "list", "--format", "json", "--db", db)[1])] == [2]


@pytest.mark.parametrize(("args", "said"), [
    (["ftp://example.org/feed"], "'ftp://example.org/feed' is not an http(s) URL"),
    (["https://example.org/feed", "--every", "30s"], "--every '30s' is under a minute"),
    (["https://example.org/feed", "--every", "soon"], "--every 'soon' is not an interval"),
])
def test_a_bad_source_is_refused_with_the_fix(tmp_path: Path, args: list[str], said: str) -> None:
    with pytest.raises(SourceError, match=said.replace("(", r"\(").replace(")", r"\)")):
        run("source", "add", *args, "--db", str(tmp_path / "cli.db"))


def test_a_packs_sources_with_feeds_are_followed(tmp_path: Path, tiny_pack: Path) -> None:
    sources = tiny_pack / "sources.yaml"
    sources.write_text(sources.read_text().replace(
        "    sources: [https://example.org/wire]\n",
        "    sources: [https://example.org/wire]\n    feed: https://example.org/wire/feed.xml\n", 1))
    db = str(tmp_path / "cli.db")
    assert run("source", "add", "--from-pack", str(tiny_pack), "--every", "30m", "--db", db) == (
        0, f"Pack {tiny_pack}: 1 source(s) added, 0 updated; 1 without a feed URL.\n")
    (row,) = json.loads(run("source", "list", "--format", "json", "--db", db)[1])
    assert (row["url"], row["every"], row["pack"]) == ("https://example.org/wire/feed.xml", "30m", "tiny-truce")
