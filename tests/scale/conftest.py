"""A small archive written for these tests (JSON Lines gzipped, plus a folder of Markdown and
HTML reports), and Dask LocalClusters of one and two workers shared by the module's tests."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

PLACES = ["Douma", "Harasta", "Saraqib", "Madaya", "Zabadani", "Idlib", "Aleppo", "Daraya"]
PERPETRATORS = ["Government forces", "Russian warplanes", "Pro-government militias", "Islamic State fighters"]
ACTS = ["shelled", "bombed", "attacked"]
DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday"]
NUMBERS = ["two", "three", "five", "seven", "nine", "twelve"]
NEUTRAL = [
    "The central bank left interest rates unchanged on {day}, citing steady inflation of {n} percent.",
    "The home side won {n} to one on {day} after a late goal in front of a full stadium.",
    "A new museum of maritime history opened on {day}, with {n} galleries of ship models and maps.",
]
ARTICLES = 120  # in the JSON Lines file; a third about the conflict
GOOD_PAGES = 6
BAD_LINES = {41: "{not json\n", 77: json.dumps({"title": "no text here", "published": "2017-01-10"}) + "\n"}


def article(n: int) -> dict[str, str]:
    day = DAYS[n % len(DAYS)]
    if n % 3:
        text = NEUTRAL[n % len(NEUTRAL)].format(day=day, n=NUMBERS[n % len(NUMBERS)])
    else:
        text = (f"{PERPETRATORS[n % len(PERPETRATORS)]} {ACTS[n % len(ACTS)]} {PLACES[n % len(PLACES)]} on {day}, "
                f"killing {NUMBERS[n % len(NUMBERS)]} civilians, according to the Syrian Observatory for Human "
                f"Rights. Residents said the attack began at dawn (report {n}).")
    return {"title": f"Report {n}", "published": "2017-01-11T09:00:00+02:00", "source": "Wire Agency", "text": text}


def write_archive(root: Path) -> Path:
    """``root/news.jsonl.gz`` (with two bad lines) and ``root/pages/`` (Markdown and HTML)."""
    root.mkdir(parents=True, exist_ok=True)
    with gzip.open(root / "news.jsonl.gz", "wt", encoding="utf-8") as stream:
        for line in range(1, ARTICLES + len(BAD_LINES) + 1):
            stream.write(BAD_LINES.get(line) or json.dumps(article(line)) + "\n")
    pages = root / "pages"
    pages.mkdir()
    for n in range(GOOD_PAGES - 1):
        (pages / f"page-{n}.md").write_text(
            f"---\ntitle: Page {n}\npublished: 2017-01-12\nsource: Local Monitor\n---\n{article(n * 3)['text']}\n")
    (pages / "page-html.html").write_text(
        "<html lang='en'><head><title>Strike</title><meta property='article:published_time' "
        "content='2017-01-12T08:00:00+02:00'></head><body><article><p>"
        + article(300)["text"] + "</p></article></body></html>")
    return root


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_archive(tmp_path_factory.mktemp("archive"))


def _client(workers: int) -> Iterator[Client]:
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def one_worker() -> Iterator[Client]:
    yield from _client(1)


@pytest.fixture(scope="module")
def two_workers() -> Iterator[Client]:
    yield from _client(2)
