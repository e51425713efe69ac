"""Bulk loading of an extracted partition (COPY on PostgreSQL, one transaction on SQLite)."""

from __future__ import annotations

from pathlib import Path

from ceasefire.extract.extractor import Extractor
from ceasefire.pipeline import ingest, verify_ledger
from ceasefire.scale import plan_archive
from ceasefire.scale.parts import read_part
from ceasefire.scale.worker import Extraction, extract_to_parquet
from ceasefire.store import Store
from tests.scale.conftest import write_archive


def extracted(tmp_path: Path, extractor: Extractor) -> tuple[Path, list[str]]:
    archive = write_archive(tmp_path / "archive")
    plan = plan_archive([archive / "pages"], 100, tmp_path / "unpacked")
    (partition,) = plan.partitions
    extract_to_parquet(partition, tmp_path / "parts", Extraction(extractor))
    return tmp_path / "parts" / partition.id, [partition.id, partition.source]


def test_partition_loaded_twice_is_stored_once(store: Store, tmp_path: Path, extractor: Extractor) -> None:
    folder, (partition_id, source) = extracted(tmp_path, extractor)
    first = store.load_partition(read_part(folder, partition_id, source, extractor.version))
    second = store.load_partition(read_part(folder, partition_id, source, extractor.version))
    assert (first.new, first.duplicates) == (6, 0) and first.claims >= 6
    assert (second.new, second.duplicates, second.claims) == (0, 6, 0)
    assert store.loaded_partitions(extractor.version) == {partition_id}
    records, _head, breaks = verify_ledger(store)
    assert breaks == [] and records == 12


def test_reports_ingested_before_get_their_claims_from_the_archive(store: Store, tmp_path: Path,
                                                                   extractor: Extractor) -> None:
    folder, (partition_id, source) = extracted(tmp_path, extractor)
    ingest(store, [tmp_path / "archive" / "pages" / "page-0.md"])  # stored without a pack: no claims yet
    load = store.load_partition(read_part(folder, partition_id, source, extractor.version))
    assert (load.new, load.duplicates) == (5, 1)
    assert {c.report_id for c in store.claims()} == {r.id for r in store.reports()}
    assert verify_ledger(store)[2] == []
