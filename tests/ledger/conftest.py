"""A database holding a row in every table `verify` checks: three reports with their claims, two
incidents (one VIOLATION, one UNVERIFIED), their assessments, a review, an observer's attachment,
a captured page, a web account, an observer and a reviewer."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from ceasefire.model import Report, ReportFormat
from ceasefire.pipeline import assess_incidents, cluster_claims
from ceasefire.store import Store
from tests.verify.claims import HARASTA, claim

PHOTO = b"\x89PNG\r\n\x1a\n not really a photo"


def fill(store: Store, pack) -> None:  # type: ignore[no-untyped-def]
    for name, source, day, place in (("a", "reuters", "2017-01-08", None), ("b", "afp", "2017-01-08", None),
                                     ("c", "sana", "2017-01-20", HARASTA)):
        ref, made, src = claim(name, source_id=source, source_name=source.upper(), text=f"{name} wording", day=day,
                               place=place)
        (report_id,) = store.add_reports([Report(sha256=ref.report_sha256, format=ReportFormat.TEXT, text=src.text,
                                                 raw=name.encode(), origin=name, source=source)], [source])
        store.save_claims(report_id, "test", [made])
    cluster_claims(store, pack)
    assess_incidents(store, pack)
    store.add_reviewer("dana", "un", admin=False)
    store.add_review({"incident_id": VIOLATION, "action": "confirm", "verdict": "VIOLATION", "reason": "ok",
                      "reviewer": "dana", "justification": "none needed", "justified_by": "chief"})
    store.add_attachments(REPORT_C, [{"filename": "photo.png", "content_type": "image/png", "size": len(PHOTO),
                                      "sha256": hashlib.sha256(PHOTO).hexdigest(), "data": PHOTO}])
    page = b"<html><p>Shelling in Douma.</p></html>"
    store.add_capture({"url": "https://example.org/a", "final_url": "https://example.org/a", "status": 200,
                       "headers": {"content-type": "text/html"}, "raw": page,
                       "raw_sha256": hashlib.sha256(page).hexdigest(), "text_sha256": "ab" * 32,
                       "report_sha256": REPORT_A, "captured_at": dt.datetime(2017, 1, 9, tzinfo=dt.UTC)})
    store.add_user("ana", "analyst", "$argon2id$not-a-real-hash")
    store.add_observer("olga", "-----BEGIN PUBLIC KEY-----\nnot a real key\n-----END PUBLIC KEY-----\n")


REPORT_A = hashlib.sha256(b"a").hexdigest()
REPORT_C = hashlib.sha256(b"c").hexdigest()
VIOLATION = "I-640e3d36da"  # reports a and b, two independent origins
UNVERIFIED = "I-00908eddac"  # report c alone


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, syria_pack) -> Path:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("monitored") / "template.db"
    store = Store.open(str(db))
    fill(store, syria_pack)
    store.close()
    return db


@pytest.fixture
def monitored(template: Path, tmp_path: Path) -> Path:
    """A copy of the filled SQLite file, for one test to tamper with."""
    copy = tmp_path / "monitored.db"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{template}{suffix}").exists():
            shutil.copy(f"{template}{suffix}", f"{copy}{suffix}")
    return copy
