"""Each intake format turns good items into reports and bad items into errors naming file and line."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest

from ceasefire.errors import IntakeError
from ceasefire.intake import ReportDefaults, input_files, read_file
from ceasefire.intake.acled import COLUMNS
from ceasefire.intake.metadata import MAX_REPORT_BYTES
from ceasefire.model import Report, ReportFormat

MD = """---
title: Shelling in Basimah
url: https://example.org/demo/basimah
published: 2017-01-05T10:00:00+02:00
source: Reuters
author: A. Writer
language: en
---
Government forces shelled Basimah on Thursday, killing at least five people.
"""

HTML = """<!doctype html><html lang="en"><head><title>Strike near Sarmada | Demo News</title>
<meta property="og:title" content="US strike hits camp near Sarmada">
<meta name="author" content="B. Reporter">
<meta property="article:published_time" content="2017-01-20T08:30:00+00:00">
<meta property="og:site_name" content="Demo News"><meta property="og:url" content="https://example.org/demo/sarmada">
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>US strike hits camp near Sarmada</h1>
<p>A US air strike hit a training camp of Jabhat Fateh al-Sham west of Aleppo on Thursday, the Pentagon said.</p>
<p>More than a hundred fighters were killed in the strike, according to the statement released on Friday.</p>
<p>Residents of nearby villages said the explosions were heard across the countryside for an hour.</p>
</article><aside>Related stories: Markets rally</aside><footer>Copyright 2017 Demo News</footer></body></html>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Demo Wire</title>
<item><title>Airstrike in Idlib</title><link>https://example.org/demo/rss1</link>
<description>&lt;p&gt;Warplanes struck &lt;b&gt;Sarmada&lt;/b&gt; at dawn.&lt;/p&gt;</description>
<pubDate>Thu, 05 Jan 2017 10:00:00 +0000</pubDate><dc:creator>C. Wire</dc:creator></item>
<item><link>https://example.org/demo/rss2</link><guid>x</guid></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Monitor updates</title><id>urn:demo</id>
<entry><title>Clashes in Douma</title><link href="https://example.org/demo/atom1"/><id>urn:demo:1</id>
<published>2017-02-01T12:00:00+02:00</published><author><name>Monitor desk</name></author>
<summary>Clashes broke out on the edge of Douma.</summary></entry>
</feed>
"""


def acled_csv(*rows: dict[str, str]) -> str:
    base = {c: "" for c in COLUMNS} | {
        "event_id_cnty": "SYR1", "event_date": "2017-01-05", "year": "2017", "time_precision": "1",
        "disorder_type": "Political violence", "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack", "actor1": "Military Forces of Syria (2000-)",
        "inter1": "1", "actor2": "Rebels", "inter2": "2", "interaction": "12", "iso": "760",
        "region": "Middle East", "country": "Syria", "admin1": "Rif Dimashq", "location": "Ain al-Fijeh",
        "latitude": "33.6", "longitude": "36.2", "geo_precision": "1", "source": "SOHR; Reuters",
        "notes": "Shelling hit Ain al-Fijeh, killing 2.", "fatalities": "2", "timestamp": "1483600000"}
    lines = [",".join(COLUMNS)]
    for row in rows:
        values = base | row
        lines.append(",".join(f'"{values[c]}"' for c in COLUMNS))
    return "\n".join(lines) + "\n"


def read(path: Path, defaults: ReportDefaults | None = None) -> list[Report | IntakeError]:
    (item,) = list(input_files([path]))
    return list(read_file(item, io.BytesIO(), defaults or ReportDefaults()))


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_markdown_front_matter_becomes_report_metadata(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", MD)
    (report,) = read(path)
    assert isinstance(report, Report)
    assert report.format is ReportFormat.TEXT
    assert report.title == "Shelling in Basimah" and report.source == "Reuters" and report.author == "A. Writer"
    assert report.published == dt.datetime(2017, 1, 5, 8, 0, tzinfo=dt.UTC)
    assert report.text == "Government forces shelled Basimah on Thursday, killing at least five people."
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert report.origin == str(path)


def test_text_without_front_matter_takes_the_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "seed.txt", "Strikes hit the valley again.\n")
    defaults = ReportDefaults(published=dt.datetime(2017, 1, 25, tzinfo=dt.UTC), source="American Thinker")
    (report,) = read(path, defaults)
    assert report.published.date() == dt.date(2017, 1, 25) and report.source == "American Thinker"


def test_windows_1256_arabic_text_is_decoded(tmp_path: Path) -> None:
    arabic = "قصف مدفعي على عين الفيجة في وادي بردى صباح اليوم، وأفاد ناشطون بسقوط جرحى بين المدنيين."
    (report,) = read(write(tmp_path, "ar.txt", arabic.encode("cp1256")))
    assert report.text == arabic


@pytest.mark.parametrize(("front", "line", "reason"), [
    ('title: "unclosed\npublished: 2017-01-05\n', 4, "scanning a quoted scalar (from line 2)"),
    ("title: ok\npublished: next tuesday-ish\n", 3, "field 'published': expected an ISO 8601 date"),
    ("title: ok\nurl: example.org/x\n", 3, "field 'url': expected an http(s) URL"),
    ("title: ok\npublshed: 2017-01-05\n", 3, "unknown field 'publshed'; did you mean 'published'?"),
])
def test_bad_front_matter_names_line_and_field(tmp_path: Path, front: str, line: int | None, reason: str) -> None:
    path = write(tmp_path, "bad.md", f"---\n{front}---\nBody text.\n")
    (error,) = read(path)
    assert isinstance(error, IntakeError)
    assert error.line == line and reason in error.reason and error.path == str(path)


def test_unclosed_front_matter_and_empty_body_are_rejected(tmp_path: Path) -> None:
    (unclosed,) = read(write(tmp_path, "u.md", "---\ntitle: x\nBody.\n"))
    (empty,) = read(write(tmp_path, "e.md", "---\ntitle: x\n---\n\n"))
    assert "never closed" in unclosed.reason and unclosed.line == 1
    assert "has no text" in empty.reason


def test_html_article_main_text_and_page_metadata(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path, "page.html", HTML))
    assert report.format is ReportFormat.HTML
    assert report.title == "US strike hits camp near Sarmada"
    assert report.author == "B. Reporter" and report.source == "Demo News" and report.language == "en"
    assert report.url == "https://example.org/demo/sarmada"
    assert report.published == dt.datetime(2017, 1, 20, 8, 30, tzinfo=dt.UTC)
    assert "training camp of Jabhat Fateh al-Sham" in report.text
    assert "Home" not in report.text and "Copyright" not in report.text and "Markets" not in report.text


def test_html_without_article_text_is_rejected(tmp_path: Path) -> None:
    (error,) = read(write(tmp_path, "empty.html", "<html><head><title>t</title></head><body> </body></html>"))
    assert isinstance(error, IntakeError) and "no article text" in error.reason


def test_jsonl_lines_become_reports_and_bad_lines_are_named(tmp_path: Path) -> None:
    good = {"title": "Clashes", "text": "Clashes in Douma.", "published": "2017-01-06", "source": "AFP"}
    lines = [json.dumps(good), '{"title": "cut', "", json.dumps({"title": "no text"}), "[1, 2]",
             json.dumps(good | {"text": "Other clashes."})]
    items = read(write(tmp_path, "r.jsonl", "\n".join(lines) + "\n"))
    reports = [i for i in items if isinstance(i, Report)]
    errors = {i.origin: i.reason for i in items if isinstance(i, IntakeError)}
    assert [r.text for r in reports] == ["Clashes in Douma.", "Other clashes."]
    assert reports[0].origin == f"{tmp_path / 'r.jsonl'}:1" and reports[1].origin.endswith(":6")
    assert reports[0].sha256 == hashlib.sha256(lines[0].encode()).hexdigest()
    assert "is not valid JSON" in errors[f"{tmp_path / 'r.jsonl'}:2"]
    assert "field 'text' is missing" in errors[f"{tmp_path / 'r.jsonl'}:4"]
    assert "is a JSON list" in errors[f"{tmp_path / 'r.jsonl'}:5"]


def test_a_line_at_the_size_limit_does_not_swallow_the_line_after_it(tmp_path: Path) -> None:
    good = json.dumps({"text": "Clashes in Douma.", "published": "2017-01-06"})
    pad = MAX_REPORT_BYTES - len(json.dumps({"text": ""}))
    largest = json.dumps({"text": "x" * pad})
    assert len(largest) == MAX_REPORT_BYTES
    items = read(write(tmp_path, "r.jsonl", f"{largest}\n{good}\n"))
    assert "over the limit of 1,000,000" in str(items[0])  # the whole line read: only its text is too long
    assert isinstance(items[1], Report) and items[1].text == "Clashes in Douma."


def test_rss_items_with_html_descriptions(tmp_path: Path) -> None:
    items = read(write(tmp_path, "wire.rss", RSS))
    report, error = items
    assert report.format is ReportFormat.FEED and report.title == "Airstrike in Idlib"
    assert report.text == "Warplanes struck Sarmada at dawn."
    assert report.published == dt.datetime(2017, 1, 5, 10, tzinfo=dt.UTC)
    assert report.source == "Demo Wire" and report.author == "C. Wire"
    assert isinstance(error, IntakeError) and error.line == 6 and "neither a title nor any text" in error.reason


def test_atom_entries(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path, "updates.atom", ATOM))
    assert report.title == "Clashes in Douma" and report.url == "https://example.org/demo/atom1"
    assert report.author == "Monitor desk" and report.source == "Monitor updates"
    assert report.published == dt.datetime(2017, 2, 1, 10, tzinfo=dt.UTC)


def test_feed_refuses_external_entities(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "TOPSECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
           "<rss><channel><item><title>t</title><description>&x;</description></item></channel></rss>")
    items = read(write(tmp_path, "x.xml", xxe))
    assert all("TOPSECRET" not in getattr(i, "text", "") for i in items)


def test_broken_xml_names_its_line(tmp_path: Path) -> None:
    (error,) = read(write(tmp_path, "broken.rss", "<rss>\n<channel>\n<item><title>x</item>\n"))
    assert isinstance(error, IntakeError) and error.line == 3 and "not well-formed XML" in error.reason


def test_acled_rows_keep_the_coded_event(tmp_path: Path) -> None:
    (report,) = read(write(tmp_path, "events.csv", acled_csv({})))
    assert report.format is ReportFormat.ACLED
    assert report.structured["fatalities"] == 2 and report.structured["latitude"] == 33.6
    assert report.structured["event_date"] == "2017-01-05"
    assert report.text == "Shelling hit Ain al-Fijeh, killing 2."
    assert report.origin.endswith("events.csv:2")


@pytest.mark.parametrize(("row", "reason"), [
    ({"latitude": "95.3"}, "field 'latitude' is 95.3, outside -90..90"),
    ({"event_date": "2017-02-31"}, "field 'event_date' is '2017-02-31', not a real date"),
    ({"fatalities": "many"}, "field 'fatalities' is 'many', expected a number"),
    ({"event_type": "Skirmish"}, "field 'event_type' is 'Skirmish'"),
    ({"sub_event_type": "Armed clash"}, "'Armed clash' is not a sub-type of 'Explosions/Remote violence'"),
    ({"geo_precision": "7"}, "field 'geo_precision' is 7, outside 1..3"),
])
def test_acled_bad_row_is_rejected_and_the_rest_kept(tmp_path: Path, row: dict[str, str], reason: str) -> None:
    items = read(write(tmp_path, "events.csv", acled_csv({}, row, {"event_id_cnty": "SYR3"})))
    assert [type(i) for i in items] == [Report, IntakeError, Report]
    assert items[1].origin == f"{tmp_path / 'events.csv'}:3" and reason in items[1].reason


def test_csv_that_is_not_acled_is_refused_whole(tmp_path: Path) -> None:
    (error,) = read(write(tmp_path, "other.csv", "name,value\na,1\n"))
    assert error.line == 1 and "missing ACLED columns event_id_cnty" in error.reason


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    (error,) = read(write(tmp_path, "scan.pdf", b"%PDF-1.4"))
    assert "unsupported file type '.pdf'" in error.reason
    (missing,) = list(input_files([tmp_path / "nope.md"]))
    assert isinstance(missing, IntakeError) and "does not exist" in missing.reason


def test_directories_are_walked_recursively_skipping_hidden_files(tmp_path: Path) -> None:
    write(tmp_path, "a.md", MD)
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    write(tmp_path / "sub" / "deeper", "b.jsonl", '{"text": "x"}\n')
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git", "c.md", MD)
    write(tmp_path, ".DS_Store", b"\0")
    names = [i.path.name for i in input_files([tmp_path])]
    assert names == ["a.md", "b.jsonl"]
