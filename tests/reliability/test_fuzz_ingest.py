"""Bad items through a real ingest into SQLite and PostgreSQL: the batch they arrive in is
stored (good reports kept), each bad item is rejected naming its file, nothing is raised."""

from __future__ import annotations

import io
import itertools
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ceasefire.intake import ReportDefaults, input_files, read_file
from ceasefire.intake.observers import claims_observer
from ceasefire.model import Report
from ceasefire.pipeline import ingest
from ceasefire.store import Store
from tests.reliability.fuzzing import damaged, fuzz
from tests.reliability.tally import Tally
from tests.reliability.test_fuzz_intake import SAMPLES, jsonl_line

COUNTER = itertools.count()


def good_files(folder: Path, n: int) -> None:
    """Two good reports whose bytes are new to the database (so they must be stored now)."""
    (folder / "good.md").write_text(f"---\ntitle: Good {n}\n---\nGovernment forces shelled Douma, report {n}.\n")
    (folder / "good.jsonl").write_text(f'{{"text": "Clashes in Harasta, report {n}."}}\n')


@fuzz(20)
@given(ext=st.sampled_from(sorted(SAMPLES)), data=st.data(), lines=st.lists(jsonl_line(), min_size=1, max_size=4))
def test_bad_items_do_not_cost_the_good_ones_in_a_real_store(tally: Tally, store: Store, ext: str,
                                                             data: st.DataObject, lines: list[bytes]) -> None:
    """Damaged files of every format and fuzzed JSON lines (NULs, surrogates, year 1) ingested with good ones"""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        good_files(folder, next(COUNTER))
        _, raw = data.draw(damaged(SAMPLES[ext].encode()))
        (folder / f"junk{ext}").write_bytes(raw)
        (folder / "fuzzed.jsonl").write_bytes(b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n")
        expected = [item.sha256 for found in input_files([folder]) if not isinstance(found, Exception)
                    for item in read_file(found, io.BytesIO(), ReportDefaults())
                    if isinstance(item, Report) and not claims_observer(item)]  # no observer is registered
        result = ingest(store, [folder])
    assert len(result.new) + len(result.duplicates) == len(expected)
    for sha in expected:
        assert store.report(sha).sha256 == sha
    assert all(r.path.startswith(tmp) for r in result.rejected)
    tally.case(stored=len(result.new), duplicates=len(result.duplicates), rejected=len(result.rejected))
