"""Cutting an archive into partitions: line numbers across slices, gzip, Parquet row groups,
folders of single reports, and ids that stay the same from one run to the next."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ceasefire.intake import ReportDefaults
from ceasefire.model import Report
from ceasefire.scale import ClusterError, local_workers, plan_archive
from ceasefire.scale.archive import read_partition


def jsonl_file(path: Path, lines: int, bad: int | None = None) -> Path:
    with path.open("w") as out:
        for n in range(1, lines + 1):
            out.write("{oops\n" if n == bad else json.dumps({"text": f"Clashes in sector {n}.",
                                                             "published": "2017-01-05"}) + "\n")
    return path


def everything(paths: list[Path], size: int, unpack: Path) -> list[Report | Exception]:
    plan = plan_archive(paths, size, unpack)
    return [item for p in plan.partitions for item in read_partition(p, ReportDefaults())]


def test_jsonl_slices_keep_the_file_line_numbers(tmp_path: Path) -> None:
    path = jsonl_file(tmp_path / "news.jsonl", 25, bad=13)
    plan = plan_archive([path], 10, tmp_path / "unpacked")
    assert [(p.first, p.count) for p in plan.partitions] == [(1, 10), (11, 10), (21, 5)]
    items = everything([path], 10, tmp_path / "unpacked")
    refused = [i for i in items if not isinstance(i, Report)]
    assert [str(e) for e in refused] == [f"{path}:13: is not valid JSON (JSONDecodeError: Expecting property name "
                                         "enclosed in double quotes: line 1 column 2 (char 1)); each line must be "
                                         "one complete JSON object"]
    reports = [i for i in items if isinstance(i, Report)]
    assert len(reports) == 24 and reports[-1].origin == f"{path}:25" and reports[-1].text == "Clashes in sector 25."


def test_gzip_is_unpacked_once_and_names_the_gzip_file(tmp_path: Path) -> None:
    plain = jsonl_file(tmp_path / "plain.jsonl", 7)
    packed = tmp_path / "news.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    items = everything([packed], 3, tmp_path / "unpacked")
    assert [i.origin for i in items if isinstance(i, Report)] == [f"{packed}:{n}" for n in range(1, 8)]
    assert [i.sha256 for i in items] == [i.sha256 for i in everything([plain], 3, tmp_path / "u2")]
    assert len(list((tmp_path / "unpacked").iterdir())) == 1


def test_broken_gzip_is_refused_by_name_and_the_rest_is_read(tmp_path: Path) -> None:
    packed = tmp_path / "cut.jsonl.gz"
    packed.write_bytes(gzip.compress(b'{"text": "x"}\n' * 100)[:40])
    plan = plan_archive([packed, jsonl_file(tmp_path / "good.jsonl", 3)], 10, tmp_path / "unpacked")
    assert [str(e) for e in plan.missing] == [
        f"{packed}: is not a readable gzip file (Compressed file ended before the end-of-stream marker was "
        "reached); check that it was copied whole"]
    assert [p.source for p in plan.partitions] == [str(tmp_path / "good.jsonl")]
    assert not list((tmp_path / "unpacked").iterdir())


def test_parquet_rows_pass_the_checks_of_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "news.parquet"
    texts = [f"Shelling in Douma, day {n}." for n in range(10)]
    texts[6] = None  # type: ignore[call-overload]
    table = pa.table({"text": texts, "title": [f"t{n}" for n in range(10)],
                      "published": pa.array(["2017-01-05T10:00:00+02:00"] * 10)})
    pq.write_table(table, path, row_group_size=4)
    plan = plan_archive([path], 6, tmp_path / "unpacked")
    assert [(p.first, p.count) for p in plan.partitions] == [(0, 4), (4, 6)]
    items = everything([path], 6, tmp_path / "unpacked")
    refused = [str(i) for i in items if not isinstance(i, Report)]
    assert refused == [f"{path}:7: field 'text' is missing or not a string; every line needs the report's text"]
    reports = [i for i in items if isinstance(i, Report)]
    assert [r.title for r in reports] == [f"t{n}" for n in range(10) if n != 6]
    assert reports[0].published is not None and reports[0].published.utcoffset() is not None


def test_parquet_row_group_larger_than_a_partition_is_split(tmp_path: Path) -> None:
    path = tmp_path / "big-group.parquet"
    pq.write_table(pa.table({"text": [f"Report {n}." for n in range(9)]}), path, row_group_size=9)
    plan = plan_archive([path], 4, tmp_path / "unpacked")
    assert [(p.first, p.count) for p in plan.partitions] == [(0, 4), (4, 4), (8, 1)]
    assert [i.text for i in everything([path], 4, tmp_path / "u")] == [f"Report {n}." for n in range(9)]  # type: ignore[union-attr]


def test_folders_of_single_reports_are_grouped_in_sorted_order(tmp_path: Path) -> None:
    for n in range(5):
        (tmp_path / "pages" / f"{n}.md").parent.mkdir(exist_ok=True)
        (tmp_path / "pages" / f"{n}.md").write_text(f"---\npublished: 2017-01-0{n + 1}\n---\nStrike {n}.\n")
    plan = plan_archive([tmp_path / "pages"], 2, tmp_path / "unpacked")
    assert [len(p.files) for p in plan.partitions] == [2, 2, 1]
    texts = [i.text for p in plan.partitions for i in read_partition(p, ReportDefaults()) if isinstance(i, Report)]
    assert texts == [f"Strike {n}." for n in range(5)]


def test_partition_ids_are_stable_and_follow_the_content(tmp_path: Path) -> None:
    path = jsonl_file(tmp_path / "news.jsonl", 12)
    first = [p.id for p in plan_archive([path], 5, tmp_path / "u").partitions]
    assert first == [p.id for p in plan_archive([path], 5, tmp_path / "u").partitions]
    jsonl_file(path, 13)
    assert [p.id for p in plan_archive([path], 5, tmp_path / "u").partitions][:2] != first[:2]


def test_missing_path_is_listed_not_fatal(tmp_path: Path) -> None:
    plan = plan_archive([tmp_path / "nope.jsonl", jsonl_file(tmp_path / "a.jsonl", 2)], 5, tmp_path / "u")
    assert [str(e) for e in plan.missing] == [f"{tmp_path / 'nope.jsonl'}: does not exist; check the path"]
    assert len(plan.partitions) == 1


@pytest.mark.parametrize(("spec", "workers"), [("local:3", 3), ("tcp://10.0.0.5:8786", None)])
def test_cluster_spec(spec: str, workers: int | None) -> None:
    assert local_workers(spec) == workers


@pytest.mark.parametrize("spec", ["local:0", "local:two", "10.0.0.5"])
def test_bad_cluster_spec_says_what_is_accepted(spec: str) -> None:
    with pytest.raises(ClusterError, match="local"):
        local_workers(spec)
