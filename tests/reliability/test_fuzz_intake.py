"""Bad input to every intake format: each item becomes a report or an error naming its file
(and line), nothing else is raised, and the good items beside a bad one are kept."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.errors import IntakeError
from ceasefire.intake import READERS, ReportDefaults
from ceasefire.intake.acled import COLUMNS
from ceasefire.intake.metadata import MAX_FILE_BYTES, MAX_LINE_CHARS, MAX_REPORT_BYTES, MAX_TEXT_CHARS
from ceasefire.intake.observers import check_observer, claims_observer, signed_line
from ceasefire.ledger.keys import public_pem
from ceasefire.model import Report
from tests.intake.test_formats import ATOM, HTML, MD, RSS, acled_csv
from tests.reliability.fuzzing import (
    HUGE_NUMBERS,
    TRICKY_DATES,
    check,
    damaged,
    fuzz,
    json_values,
    read,
    tricky_text,
)
from tests.reliability.tally import Tally

GOOD_LINE = json.dumps({"title": "Shelling in Douma", "text": "Government forces shelled Douma.",
                        "published": "2017-01-05T10:00:00+02:00"})
SAMPLES = {".md": MD, ".html": HTML, ".jsonl": GOOD_LINE + "\n" + GOOD_LINE.replace("Douma", "Harasta") + "\n",
           ".rss": RSS, ".atom": ATOM, ".csv": acled_csv({}, {"event_id_cnty": "SYR2"})}


@pytest.mark.parametrize("ext", sorted(SAMPLES))
@fuzz(150)
@given(data=st.data())
def test_damaged_files_give_reports_or_named_errors(tally: Tally, ext: str, data: st.DataObject) -> None:
    """Good files truncated, gzipped, zipped, spliced with junk, bit-flipped, re-encoded, nested deep, long-lined"""
    how, raw = data.draw(damaged(SAMPLES[ext].encode()))
    tally.case(**{f"{how}: {outcome}": count for outcome, count in check(read(ext, raw), f"fuzz{ext}").items()})


@st.composite
def jsonl_line(draw: st.DrawFn) -> bytes:
    item = draw(st.dictionaries(st.sampled_from(["text", "title", "url", "published", "source", "author",
                                                 "language", "observer", "signature", "titel", "extra"]),
                                json_values(), max_size=6))
    if draw(st.booleans()):
        item["published"] = draw(st.sampled_from(TRICKY_DATES))
    if draw(st.booleans()):
        item["text"] = draw(tricky_text(60))
    line = json.dumps(item, ensure_ascii=draw(st.booleans()))
    return line.encode("utf-8", "surrogatepass")


@fuzz(200)
@given(bad=st.lists(jsonl_line() | st.binary(max_size=60).filter(lambda b: b"\n" not in b), min_size=1, max_size=6))
def test_jsonl_bad_lines_are_named_and_good_lines_kept(tally: Tally, bad: list[bytes]) -> None:
    """JSON Lines with fields of every type, impossible dates, NULs, surrogates, junk lines between good lines"""
    lines = [line for b in bad for line in (GOOD_LINE.encode(), b.replace(b"\r", b""))] + [GOOD_LINE.encode()]
    items = read(".jsonl", b"\n".join(lines) + b"\n")
    counts = check(items, "fuzz.jsonl")
    good_lines = {n for n, line in enumerate(lines, 1) if line == GOOD_LINE.encode()}
    kept = {int(i.origin.rsplit(":", 1)[1]) for i in items if isinstance(i, Report)}
    assert good_lines <= kept
    assert all(isinstance(i, Report) or i.line for i in items), "a rejected line without its number"
    tally.case(good_kept=len(good_lines), fuzzed_stored=counts["report"] - len(good_lines),
               fuzzed_rejected=counts["rejected"])


OBSERVER_KEY = Ed25519PrivateKey.generate()
OBSERVERS = {"alice": public_pem(OBSERVER_KEY).decode(), "mallory": "registered with a file that is not a key"}


@st.composite
def observer_line(draw: st.DrawFn) -> bytes:
    item = {"text": draw(st.one_of(st.just("Shelling near Douma at dawn."), tricky_text(40))),
            "observer": draw(st.sampled_from(["alice", "alice", "bob", "mallory", ["alice"], {"alice": 1}, 7, ""]))}
    item |= draw(st.dictionaries(st.sampled_from(["title", "published", "extra", "text"]), json_values(), max_size=2))
    try:
        line = signed_line(item, OBSERVER_KEY)
    except ValueError:  # NaN or Infinity cannot be signed; send it with a made-up signature
        line = json.dumps(item | {"signature": "AAAA"})
    if draw(st.booleans()):
        line = line.replace('"signature": "', '"signature": "x', 1)
    return line.encode("utf-8", "surrogatepass")


@fuzz(150)
@given(lines=st.lists(observer_line(), min_size=1, max_size=4))
def test_observer_submissions_are_verified_or_refused_by_line(tally: Tally, lines: list[bytes]) -> None:
    """Signed observer submissions: fuzzed fields, names of any type, NaN/Infinity, bad signatures and keys"""
    outcomes = {"verified": 0, "refused": 0}
    for item in read(".jsonl", b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n"):
        if isinstance(item, Report) and claims_observer(item):
            try:
                item = check_observer(item, OBSERVERS)
            except IntakeError as refused:
                item = refused
        check([item], "fuzz.jsonl")
        outcomes["verified" if isinstance(item, Report) else "refused"] += 1
        assert isinstance(item, IntakeError) or item.source == "alice"
    tally.case(**outcomes)


FRONT_KEYS = ["title", "url", "published", "source", "author", "language", "publised", "tags"]


@st.composite
def front_matter(draw: st.DrawFn) -> bytes:
    lines = []
    for key in draw(st.lists(st.sampled_from(FRONT_KEYS), max_size=5)):
        value = draw(st.one_of(st.sampled_from(TRICKY_DATES + HUGE_NUMBERS), tricky_text(40),
                               st.sampled_from(["[1, 2", "{a: b}", "&a [*a]", "!!binary AAAA", "'unclosed",
                                                "- x", "|\n  block", "2017-01-05 10:00:00+02:00"])))
        lines.append(f"{key}: {value}")
    closing = draw(st.sampled_from(["---\n", "...\n", ""]))
    body = draw(st.one_of(st.just("Government forces shelled Douma on Sunday."), tricky_text(200)))
    return ("---\n" + "\n".join(lines) + "\n" + closing + body).encode("utf-8", "surrogatepass")


@fuzz(300)
@given(raw=front_matter())
def test_front_matter_gives_one_report_or_a_named_error(tally: Tally, raw: bytes) -> None:
    """Markdown front matter: broken YAML, impossible dates, huge numbers, misspelt keys, unclosed blocks"""
    items = read(".md", raw)
    assert len(items) == 1
    tally.case(**check(items, "fuzz.md"))


@st.composite
def html_page(draw: st.DrawFn) -> bytes:
    metas = "".join(f'<meta property="{name}" content="{draw(st.sampled_from(TRICKY_DATES + HUGE_NUMBERS))}">'
                    for name in draw(st.lists(st.sampled_from(["article:published_time", "og:url", "og:title"]),
                                              max_size=3)))
    charset = draw(st.sampled_from(["utf-8", "windows-1256", "utf-16", "x-unknown"]))
    body = draw(st.one_of(tricky_text(300), st.just(HTML)))
    broken = draw(st.sampled_from(["", "<div>" * 400, "<script>", "<!--", "</html></html>", "<![CDATA["]))
    page = f'<html><head><meta charset="{charset}">{metas}</head><body>{broken}<article><p>{body}</p></article>'
    return page.encode("utf-8", "surrogatepass")


@fuzz(100)
@given(raw=html_page())
def test_html_pages_give_one_report_or_a_named_error(tally: Tally, raw: bytes) -> None:
    """HTML: broken markup, wrong charsets, junk metadata dates and URLs, deep nesting, binary text"""
    items = read(".html", raw)
    assert len(items) == 1
    tally.case(**check(items, "fuzz.html"))


GOOD_ITEM = ("<item><title>Good {n}</title><link>https://example.org/{n}</link><description>Warplanes struck "
             "Sarmada.</description><pubDate>Thu, 05 Jan 2017 10:00:00 +0000</pubDate></item>")


@st.composite
def feed_item(draw: st.DrawFn) -> str:
    fields = {tag: draw(st.one_of(st.sampled_from(TRICKY_DATES + HUGE_NUMBERS + ["javascript:alert(1)", ""]),
                                  st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=30)))
              for tag in draw(st.lists(st.sampled_from(["title", "link", "pubDate", "description", "guid"]),
                                       max_size=4, unique=True))}
    escape = str.maketrans({"<": "&lt;", "&": "&amp;"})
    return "<item>" + "".join(f"<{t}>{v.translate(escape)}</{t}>" for t, v in fields.items()) + "</item>"


@fuzz(200)
@given(bad=st.lists(feed_item(), min_size=1, max_size=5))
def test_feed_bad_items_are_named_and_good_items_kept(tally: Tally, bad: list[str]) -> None:
    """RSS items with junk dates, non-http links, missing fields, beside good items in the same feed"""
    items_xml = [x for n, b in enumerate(bad) for x in (GOOD_ITEM.format(n=n), b)]
    feed = f"<rss><channel><title>Fuzz</title>{''.join(items_xml)}</channel></rss>".encode()
    items = read(".rss", feed)
    counts = check(items, "fuzz.rss")
    titles = {i.title for i in items if isinstance(i, Report)}
    assert {f"Good {n}" for n in range(len(bad))} <= titles
    tally.case(good_kept=len(bad), fuzzed_stored=counts["report"] - len(bad), fuzzed_rejected=counts["rejected"])


@st.composite
def acled_row(draw: st.DrawFn) -> dict[str, str]:
    row = {"event_id_cnty": "BAD"}
    for column in draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=4)):
        junk = st.sampled_from([*HUGE_NUMBERS, *TRICKY_DATES, "95.3", "-181", "31 February 2017"])
        row[column] = draw(st.one_of(junk, st.text(st.characters(exclude_categories=["Cs"]), max_size=20)))
    return row


@fuzz(200)
@given(bad=st.lists(acled_row(), min_size=1, max_size=4), junk=st.binary(max_size=80))
def test_acled_bad_rows_are_named_and_good_rows_kept(tally: Tally, bad: list[dict[str, str]], junk: bytes) -> None:
    """ACLED CSV rows with huge numbers, impossible dates and coordinates, stray quotes, raw junk lines"""
    rows = [r for n, b in enumerate(bad) for r in ({"event_id_cnty": f"GOOD{n}"}, b)]
    text = acled_csv(*(r | {k: v.replace('"', '""') for k, v in r.items()} for r in rows))
    raw = text.encode("utf-8", "surrogatepass") + junk.replace(b'"', b"") + b"\n" + \
        acled_csv({"event_id_cnty": "LAST"}).split("\n", 1)[1].encode()
    items = read(".csv", raw)
    counts = check(items, "fuzz.csv")
    kept = {i.structured["event_id_cnty"] for i in items if isinstance(i, Report) and i.structured}
    assert {f"GOOD{n}" for n in range(len(bad))} | {"LAST"} <= kept
    tally.case(good_kept=len(bad) + 1, fuzzed_stored=counts["report"] - len(bad) - 1,
               fuzzed_rejected=counts["rejected"])


def one(ext: str, raw: bytes) -> IntakeError:
    (item,) = [i for i in READERS[ext](io.BytesIO(raw), f"big{ext}", ReportDefaults()) if isinstance(i, IntakeError)]
    return item


def test_size_limits_name_the_file_line_and_limit(tally: Tally) -> None:
    """Size limits: a report file, a JSON line, a feed file, a report text and a text line over their limits"""
    line = "x" * (MAX_LINE_CHARS + 1)
    cases = [
        (".md", b"a" * (MAX_REPORT_BYTES + 1), f"big.md: is larger than the limit of {MAX_REPORT_BYTES:,} bytes"),
        (".html", b"<p>" * (MAX_REPORT_BYTES // 3 + 1), f"big.html: is larger than the limit of {MAX_REPORT_BYTES:,}"),
        (".rss", b" " * (MAX_FILE_BYTES + 1), f"big.rss: is larger than the limit of {MAX_FILE_BYTES:,} bytes"),
        (".md", ("word " * (MAX_TEXT_CHARS // 5) + "\nmore").encode(),
         f"big.md: has 1,000,005 characters of text, over the limit of {MAX_TEXT_CHARS:,}"),
        (".md", f"short\n{line}\n".encode(), f"big.md: has a line of {MAX_LINE_CHARS + 1:,} characters, over the"),
        (".jsonl", f'{GOOD_LINE}\n{{"text": "{line}"}}\n'.encode(), "big.jsonl:2: has a line of 100,001 characters"),
        (".jsonl", b'{"text": "' + b"x" * MAX_REPORT_BYTES + b'"}\n',
         f"big.jsonl:1: is longer than the limit of {MAX_REPORT_BYTES:,} bytes for one report"),
    ]
    for ext, raw, message in cases:
        assert str(one(ext, raw)).startswith(message)
        tally.case(named=1)


def test_over_long_jsonl_line_does_not_lose_the_next_line(tally: Tally) -> None:
    """A JSON line over the size limit is refused by number and the line after it is still read"""
    raw = b'{"text": "' + b"x" * MAX_REPORT_BYTES + b'"}\n' + GOOD_LINE.encode() + b"\n"
    first, second = read(".jsonl", raw, "big")
    assert isinstance(first, IntakeError) and first.line == 1
    assert isinstance(second, Report) and second.origin == "big.jsonl:2"
    tally.case(next_kept=1)


def test_over_long_csv_line_does_not_lose_the_next_row(tally: Tally, tmp_path: Path) -> None:
    """An ACLED line over the size limit is refused by number and the rows after it are still read"""
    header, row = acled_csv({}).rstrip("\n").split("\n")
    raw = f"{header}\n".encode() + b"y" * (MAX_REPORT_BYTES + 10) + f"\n{row}\n".encode()
    first, second = read(".csv", raw, "big")
    assert str(first).startswith("big.csv:2: row cannot be read as CSV (line 2 is longer than the limit")
    assert isinstance(second, Report) and second.origin == "big.csv:3"
    tally.case(next_kept=1)
