"""Ingest on both databases: every format, each report once, bad items listed and the rest kept."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

from ceasefire.intake import ReportDefaults
from ceasefire.packs import load_pack
from ceasefire.pipeline import ingest
from ceasefire.store import Store
from tests.intake.test_formats import ATOM, HTML, MD, RSS, acled_csv


def write_corpus(root: Path) -> Path:
    (root / "press").mkdir(parents=True)
    (root / "press" / "a.md").write_text(MD)
    (root / "press" / "b.txt").write_text("---\ntitle: Douma\nsource: WA\n---\nClashes broke out in Douma.\n")
    (root / "mirror").mkdir()
    shutil.copy(root / "press" / "a.md", root / "mirror" / "a-copy.md")
    (root / "page.html").write_text(HTML)
    (root / "wire.rss").write_text(RSS)
    (root / "updates.atom").write_text(ATOM)
    (root / "events.csv").write_text(acled_csv({}, {"event_id_cnty": "SYR2", "latitude": "95.3"}))
    lines = [json.dumps({"text": "Observer saw shelling.", "source": "Red TV"}), "{broken",
             json.dumps({"text": "Observer saw shelling.", "source": "Red TV"})]
    (root / "observers.jsonl").write_text("\n".join(lines) + "\n")
    (root / "bad.md").write_text("---\ntitle: x\npublished: soon\n---\nText.\n")
    return root


def test_mixed_directory_stores_each_report_once(store: Store, tmp_path: Path) -> None:
    result = ingest(store, [write_corpus(tmp_path / "corpus")])
    formats = dict(store.report_counts("format"))
    assert formats == {"text": 2, "html": 1, "feed": 2, "acled": 1, "jsonl": 1}
    assert len(result.new) == 7
    assert sorted(Path(d.origin).name for d in result.duplicates) == ["a.md", "observers.jsonl:3"]
    assert sorted((Path(e.path).name, e.line) for e in result.rejected) == [
        ("bad.md", 3), ("events.csv", 3), ("observers.jsonl", 2), ("wire.rss", 6)]
    assert len(store.rejections()) == 4


def test_running_again_stores_nothing_twice(store: Store, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    ingest(store, [corpus])
    again = ingest(store, [corpus])
    assert again.new == [] and len(again.duplicates) == 9 and store.count_reports() == 7
    assert len(store.rejections()) == 4


def test_reports_are_matched_to_pack_sources(store: Store, tmp_path: Path, tiny_pack: Path) -> None:
    ingest(store, [write_corpus(tmp_path / "corpus")], pack=load_pack(tiny_pack))
    assert dict(store.report_counts("source_id")) == {None: 5, "wire": 1, "red-tv": 1}
    assert [a.id for a in store.agreements()] == ["tiny-truce"]


def test_stdin_is_read_as_json_lines(store: Store) -> None:
    stdin = io.BytesIO(b'{"text": "From a pipe.", "title": "piped"}\n{"text": 3}\n')
    defaults = ReportDefaults(published=dt.datetime(2017, 1, 25, tzinfo=dt.UTC))
    result = ingest(store, ["-"], stdin=stdin, defaults=defaults)
    (report,) = store.reports()
    assert report.title == "piped" and report.origin == "<stdin>:1" and report.published.day == 25
    assert [e.origin for e in result.rejected] == ["<stdin>:2"]


def test_progress_reaches_the_total(store: Store, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    calls: list[tuple[int, int | None]] = []
    ingest(store, [corpus], progress=lambda done, total: calls.append((done, total)), batch_size=2)
    total = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_missing_path_is_rejected_and_the_rest_stored(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(MD)
    result = ingest(store, [tmp_path / "gone", tmp_path / "a.md"])
    assert len(result.new) == 1 and "does not exist" in result.rejected[0].reason


def test_acled_row_citing_several_outlets_matches_the_first_known(store: Store, tmp_path: Path,
                                                                  tiny_pack: Path) -> None:
    (tmp_path / "events.csv").write_text(acled_csv({"source": "Local activists; Wire Agency; Red TV"}))
    ingest(store, [tmp_path / "events.csv"], pack=load_pack(tiny_pack))
    assert store.report_counts("source_id") == [("wire", 1)]
