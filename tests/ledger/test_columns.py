"""`verify` proves what readers see: every column of every table a reader or a verdict depends on
is either in the ledger or recomputed from what is. Each column is edited through SQL, one at a
time, and verify must fail naming the table (and the column, where it is a copy of the ledgered
payload). Columns and tables left out are listed with the reason."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from ceasefire.pipeline import verify_ledger
from ceasefire.store import Store, tables
from tests.ledger.conftest import REPORT_A, REPORT_C, UNVERIFIED, VIOLATION, fill

FORGED = "f" * 64

# (table, column, statement, what verify says). Whole objects in the ledger (a report, a review)
# can only be said to differ; copies of a ledgered payload (incidents.verdict) name the column.
EDITS = [
    *[("reports", column, statement, "its row in reports differs from what was recorded") for column, statement in [
        ("format", "UPDATE reports SET format = 'html'"),
        ("title", "UPDATE reports SET title = 'Forged'"),
        ("url", "UPDATE reports SET url = 'https://forged.example/'"),
        ("published", "UPDATE reports SET published = '2017-01-01 00:00:00.000000'"),
        ("source", "UPDATE reports SET source = 'FORGED'"),
        ("source_id", "UPDATE reports SET source_id = 'forged'"),
        ("author", "UPDATE reports SET author = 'Forged'"),
        ("language", "UPDATE reports SET language = 'xx'"),
        ("text", "UPDATE reports SET text = text || ' (edited)'"),
        ("origin", "UPDATE reports SET origin = 'forged'"),
        ("structured", "UPDATE reports SET structured = '{\"forged\": true}'"),
        ("raw", "UPDATE reports SET raw = X'00'"),
    ]],
    ("reports", "id", "UPDATE reports SET id = 100 WHERE id = 1", "its rows in claims are gone"),
    ("reports", "sha256", f"UPDATE reports SET sha256 = '{FORGED}' WHERE id = 1",
     "is stored in reports without any ledger record"),
    ("claims", "report_id", "UPDATE claims SET report_id = 100 WHERE id = 1", "its rows in claims differ"),
    ("claims", "payload", "UPDATE claims SET payload = replace(payload, 'Shelling', 'Riot')",
     "its rows in claims differ"),
    ("claims", "idx", "UPDATE claims SET idx = 5 WHERE id = 1", "claims row 1 (report ca978112ca1b claim 0): "
                                                                "column idx is 5, the ledgered claim says 0"),
    ("claims", "kind", "UPDATE claims SET kind = 'denial'", "column kind is denial, the ledgered claim says event"),
    ("claims", "event_type", "UPDATE claims SET event_type = 'Riots'", "column event_type is Riots"),
    ("claims", "sub_event_type", "UPDATE claims SET sub_event_type = 'Mob violence'", "column sub_event_type is Mob"),
    ("claims", "earliest", "UPDATE claims SET earliest = '2016-01-01'", "column earliest is 2016-01-01"),
    ("claims", "latest", "UPDATE claims SET latest = '2018-01-01'", "column latest is 2018-01-01"),
    ("claims", "time_precision", "UPDATE claims SET time_precision = 3", "column time_precision is 3"),
    ("claims", "latitude", "UPDATE claims SET latitude = 35.0", "column latitude is 35.0"),
    ("claims", "longitude", "UPDATE claims SET longitude = 37.0", "column longitude is 37.0"),
    ("claims", "geo_precision", "UPDATE claims SET geo_precision = 3", "column geo_precision is 3"),
    ("claims", "area_id", "UPDATE claims SET area_id = 'idlib'", "column area_id is idlib"),
    ("claims", "fatalities", "UPDATE claims SET fatalities = 40",
     "column fatalities is 40, the ledgered claim says nothing"),
    ("extractions", "report_id", "UPDATE extractions SET report_id = 100 WHERE report_id = 1",
     "is stored in claims without any ledger record"),
    ("extractions", "claims", "UPDATE extractions SET claims = 7",
     "extractions row 1: column claims is 7, the ledgered claims of report ca978112ca1b number 1"),
    ("incidents", "id", f"UPDATE incidents SET id = 'I-forged' WHERE id = '{UNVERIFIED}'",
     "is stored in incidents without any ledger record"),
    ("incidents", "payload", "UPDATE incidents SET payload = replace(payload, '\"Douma\"', '\"Idlib\"')",
     "its row in incidents differs from what was recorded"),
    ("incidents", "verdict", f"UPDATE incidents SET verdict = 'VIOLATION' WHERE id = '{UNVERIFIED}'",
     f"incidents row {UNVERIFIED}: column verdict is VIOLATION, the ledgered assessment says UNVERIFIED"),
    ("incidents", "confidence", "UPDATE incidents SET confidence = 0.99",
     "column confidence is 0.99, the ledgered assessment says"),
    ("incidents", "event_type", "UPDATE incidents SET event_type = 'Riots'",
     "column event_type is Riots, the ledgered incident says Explosions/Remote violence"),
    ("incidents", "sub_event_type", "UPDATE incidents SET sub_event_type = 'Mob violence'",
     "column sub_event_type is Mob violence, the ledgered incident says Shelling"),
    ("incidents", "earliest", "UPDATE incidents SET earliest = '2016-01-01'", "column earliest is 2016-01-01"),
    ("incidents", "latest", "UPDATE incidents SET latest = '2018-01-01'", "column latest is 2018-01-01"),
    ("incidents", "latitude", "UPDATE incidents SET latitude = 35.0", "column latitude is 35.0"),
    ("incidents", "longitude", "UPDATE incidents SET longitude = 37.0", "column longitude is 37.0"),
    ("incidents", "admin1", "UPDATE incidents SET admin1 = 'Idlib'", "column admin1 is Idlib"),
    ("incidents", "area_id", "UPDATE incidents SET area_id = 'idlib'", "column area_id is idlib"),
    ("incidents", "corroboration", "UPDATE incidents SET corroboration = 5", "column corroboration is 5"),
    ("incidents", "place_name", "UPDATE incidents SET place_name = 'Idlib'", "column place_name is Idlib"),
    ("incidents", "perpetrator", "UPDATE incidents SET perpetrator = 'free-syrian-army'",
     "column perpetrator is free-syrian-army, the ledgered incident says syrian-arab-army"),
    ("incident_claims", "incident_id",
     f"UPDATE incident_claims SET incident_id = '{VIOLATION}' WHERE report_sha256 = '{REPORT_C}'",
     f"incident_claims row (report {REPORT_C[:12]} claim 0): column incident_id is {VIOLATION}, "
     f"the ledgered incident {UNVERIFIED} holds this claim"),
    ("incident_claims", "report_sha256",
     f"UPDATE incident_claims SET report_sha256 = '{FORGED}' WHERE report_sha256 = '{REPORT_C}'",
     f"incident_claims row (report {FORGED[:12]} claim 0): puts a claim no ledgered incident holds into "
     f"incident {UNVERIFIED}"),
    ("incident_claims", "claim_idx", f"UPDATE incident_claims SET claim_idx = 5 WHERE report_sha256 = '{REPORT_C}'",
     f"incident_claims: no row for claim 0 of report {REPORT_C[:12]}, which the ledgered incident {UNVERIFIED} "
     "holds"),
    ("incident_actors", "actor_id",
     f"UPDATE incident_actors SET actor_id = 'free-syrian-army' WHERE incident_id = '{VIOLATION}'",
     f"incident_actors row ({VIOLATION} free-syrian-army): says the incident names actor free-syrian-army"),
    ("incident_actors", "incident_id",
     f"UPDATE incident_actors SET incident_id = 'I-forged' WHERE incident_id = '{VIOLATION}'",
     f"no row for actor syrian-arab-army of incident {VIOLATION}, which the ledgered incident names"),
    ("assessments", "id", "UPDATE assessments SET id = 100 - id", "its rows in assessments differ"),
    ("assessments", "incident_id", f"UPDATE assessments SET incident_id = '{VIOLATION}' WHERE id = 2",
     "its rows in assessments differ"),
    ("assessments", "payload", "UPDATE assessments SET payload = replace(payload, 'VIOLATION', 'DISPUTED')",
     "its rows in assessments differ"),
    ("assessments", "clause_id", "UPDATE assessments SET clause_id = 'C9' WHERE id = 2",
     "assessments row 2: column clause_id is C9, the ledgered assessment says C1"),
    ("assessments", "reading_id", "UPDATE assessments SET reading_id = 'C4.x' WHERE id = 2",
     "assessments row 2: column reading_id is C4.x, the ledgered assessment says C4.gov"),
    ("assessments", "verdict", "UPDATE assessments SET verdict = 'NOT_A_VIOLATION' WHERE id = 2",
     "assessments row 2: column verdict is NOT_A_VIOLATION, the ledgered assessment says VIOLATION"),
    ("assessments", "confidence", "UPDATE assessments SET confidence = 0.01 WHERE id = 2",
     "assessments row 2: column confidence is 0.01"),
    ("assessments", "agreement_id", "UPDATE assessments SET agreement_id = 'other' WHERE id = 2",
     "assessments row 2: column agreement_id is other, the ledgered assessment says"),
    ("reviews", "id", "UPDATE reviews SET id = 100", "is stored in reviews without any ledger record"),
    *[("reviews", column, statement, "its row in reviews differs from what was recorded") for column, statement in [
        ("incident_id", f"UPDATE reviews SET incident_id = '{UNVERIFIED}'"),
        ("action", "UPDATE reviews SET action = 'override'"),
        ("verdict", "UPDATE reviews SET verdict = 'NOT_A_VIOLATION'"),
        ("reason", "UPDATE reviews SET reason = 'forged'"),
        ("reviewer", "UPDATE reviews SET reviewer = 'mallory'"),
        ("justification", "UPDATE reviews SET justification = 'forged'"),
        ("justified_by", "UPDATE reviews SET justified_by = 'mallory'"),
        ("created_at", "UPDATE reviews SET created_at = '2017-01-01 00:00:00.000000'"),
    ]],
    ("attachments", "id", "UPDATE attachments SET id = 100", "is stored in attachments without any ledger record"),
    ("attachments", "data", "UPDATE attachments SET data = X'00'",
     "attachments row 1: column data has SHA-256 6e340b9cffb3, the ledgered attachment says e74a5f20a183"),
    *[("attachments", column, statement, "its row in attachments differs from what was recorded")
      for column, statement in [
          ("report_sha256", f"UPDATE attachments SET report_sha256 = '{REPORT_A}'"),
          ("filename", "UPDATE attachments SET filename = 'other.png'"),
          ("content_type", "UPDATE attachments SET content_type = 'text/html'"),
          ("sha256", f"UPDATE attachments SET sha256 = '{FORGED}'"),
          ("size", "UPDATE attachments SET size = 1"),
      ]],
    ("captures", "id", "UPDATE captures SET id = 100", "is stored in captures without any ledger record"),
    *[("captures", column, statement, "its row in captures differs from what was recorded") for column, statement in [
        ("url", "UPDATE captures SET url = 'https://forged.example/'"),
        ("final_url", "UPDATE captures SET final_url = 'https://forged.example/'"),
        ("status", "UPDATE captures SET status = 404"),
        ("headers", "UPDATE captures SET headers = '{}'"),
        ("raw", "UPDATE captures SET raw = X'00'"),
        ("raw_sha256", f"UPDATE captures SET raw_sha256 = '{FORGED}'"),
        ("text_sha256", f"UPDATE captures SET text_sha256 = '{FORGED}'"),
        ("report_sha256", f"UPDATE captures SET report_sha256 = '{FORGED}'"),
        ("captured_at", "UPDATE captures SET captured_at = '2017-01-01 00:00:00.000000'"),
    ]],
    ("users", "name", "UPDATE users SET name = 'mallory'", "is stored in users without any ledger record"),
    ("users", "role", "UPDATE users SET role = 'admin'", "its row in users differs from what was recorded"),
    ("users", "password_hash", "UPDATE users SET password_hash = '$argon2id$forged'",
     "its row in users differs from what was recorded"),
    ("observers", "name", "UPDATE observers SET name = 'mallory'",
     "is stored in observers without any ledger record"),
    ("observers", "public_key", "UPDATE observers SET public_key = 'forged'",
     "its row in observers differs from what was recorded"),
    ("reviewers", "name", "UPDATE reviewers SET name = 'mallory'",
     "is stored in reviewers without any ledger record"),
    ("reviewers", "affiliation", "UPDATE reviewers SET affiliation = NULL",
     "its row in reviewers differs from what was recorded"),
    ("reviewers", "admin", "UPDATE reviewers SET admin = 1", "its row in reviewers differs from what was recorded"),
]

# Columns no reader and no verdict depends on, and why; each is edited below and verify still passes.
EXEMPT = {
    ("reports", "received_at"): ("UPDATE reports SET received_at = '2017-01-01 00:00:00.000000'",
                                 "when this database stored the report; `extract --since` reads it, readers see "
                                 "the publication time, which is ledgered"),
    ("reports", "agreement_id"): ("UPDATE reports SET agreement_id = 'other'",
                                  "which agreement's pack extracts the report next: what that extraction stores, "
                                  "and every verdict made from it, is ledgered"),
    ("claims", "id"): ("UPDATE claims SET id = id + 100", "a row number: a claim is reached by (report, idx)"),
    ("extractions", "extractor"): ("UPDATE extractions SET extractor = 'older'",
                                   "which extractor version ran: it only decides what `extract` redoes, and "
                                   "whatever a redo stores is ledgered"),
    ("extractions", "extracted_at"): ("UPDATE extractions SET extracted_at = '2017-01-01 00:00:00.000000'",
                                      "bookkeeping"),
    ("incidents", "updated_at"): ("UPDATE incidents SET updated_at = '2017-01-01 00:00:00.000000'",
                                  "when clustering last wrote the row"),
    ("attachments", "created_at"): ("UPDATE attachments SET created_at = '2017-01-01 00:00:00.000000'",
                                    "when the file was stored: shown nowhere; the report's own times are ledgered"),
    ("users", "created_at"): ("UPDATE users SET created_at = '2017-01-01 00:00:00.000000'",
                              "the day an account was made, on the admins' user list; it grants nothing"),
    ("observers", "registered_at"): ("UPDATE observers SET registered_at = '2017-01-01 00:00:00.000000'",
                                     "bookkeeping: the key is what decides which submissions are accepted"),
}

# Tables verify does not check row by row, and why.
UNCHECKED_TABLES = {
    "ledger": "the ledger itself: its chain, and the signed checkpoints over it, are what verify checks",
    "checkpoints": "each is checked by its signature and against the ledger's Merkle root",
    "rejections": "refused input, kept for the operator; nothing is published from it",
    "agreements": "which pack a database monitors; the assessments made with it are ledgered, and packs carry "
                  "their own signatures",
    "pack_signatures": "each carries its own Ed25519 signature over the pack",
    "gazetteer": "places to look up while extracting; the claims made with them are ledgered",
    "api_tokens": "hashes of API secrets; readers never see them, and every change made with a token is ledgered",
    "web_sessions": "hashes of sign-in session ids; readers never see them, and every change made in a session "
                    "is ledgered",
    "archive_partitions": "which archive slices a bulk load has done: bookkeeping",
    "sources": "which feeds and pages `watch` polls, and how its last poll went: operator state; what a poll "
               "brings in is ledgered as captures and reports",
    "source_items": "where each polled item stands, so a killed watch resumes; its capture and report are ledgered",
    "source_failures": "what polls refused, kept for the operator; nothing is published from it",
    "subscriptions": "who is told of which incidents and where: a reader's own settings, nothing is published "
                     "from them",
    "incident_states": "the verdict and visibility each incident had when changes were last looked for: what "
                       "alerts compare with; the verdicts themselves are ledgered",
    "incident_changes": "which verdicts changed when, as alerts and feeds report them; each verdict is ledgered",
    "alerts": "which subscriber was told of which change: bookkeeping of deliveries",
    "deliveries": "how each delivery of alerts went: bookkeeping",
    "schedules": "when reports are made; what they publish is signed on its own (checkpoint and bundle)",
    "schedule_runs": "which scheduled runs were made: bookkeeping",
    "alembic_version": "the schema version",
}


def problems(db: Path) -> str:
    store = Store.open(str(db))
    try:
        return "\n".join(str(p) for p in verify_ledger(store)[2])
    finally:
        store.close()


def tamper(db: Path, *statements: str) -> None:
    with sqlite3.connect(db) as conn:
        for statement in statements:
            conn.execute(statement)


def test_the_untouched_database_verifies(monitored: Path) -> None:
    assert problems(monitored) == ""


@pytest.mark.parametrize(("table", "column", "statement", "said"), EDITS, ids=[f"{t}.{c}" for t, c, *_ in EDITS])
def test_an_edited_column_fails_verify_naming_it(monitored: Path, table: str, column: str, statement: str,
                                                 said: str) -> None:
    tamper(monitored, statement)
    found = problems(monitored)
    assert said in found and table in found, found


@pytest.mark.parametrize(("table", "column"), sorted(EXEMPT), ids=[f"{t}.{c}" for t, c in sorted(EXEMPT)])
def test_an_exempt_column_is_bookkeeping_and_verify_passes(monitored: Path, table: str, column: str) -> None:
    tamper(monitored, EXEMPT[(table, column)][0])
    assert problems(monitored) == ""


def test_every_column_is_checked_or_listed_with_its_reason() -> None:
    edited = {(t, c) for t, c, *_ in EDITS}
    for table in tables.metadata.sorted_tables:
        if table.name in UNCHECKED_TABLES:
            continue
        for column in table.columns:
            assert (table.name, column.name) in edited | set(EXEMPT), \
                f"{table.name}.{column.name}: add an edit to EDITS (and a check to verify) or a reason to EXEMPT"
    assert not edited & set(EXEMPT)


def test_a_forged_verdict_is_named_and_publish_refuses(monitored: Path, tmp_path: Path) -> None:
    tamper(monitored, f"UPDATE incidents SET verdict = 'VIOLATION' WHERE id = '{UNVERIFIED}'")
    verify = subprocess.run([sys.executable, "-m", "ceasefire", "verify", "--db", str(monitored)],
                            capture_output=True, text=True)
    assert verify.returncode == 1
    assert (f"Ledger does not verify: 1 problem(s); the first is incidents row {UNVERIFIED}: column verdict is "
            "VIOLATION, the ledgered assessment says UNVERIFIED.") in verify.stderr
    subprocess.run([sys.executable, "-m", "ceasefire", "keys", "new", "body", "--out", str(tmp_path)], check=True,
                   capture_output=True)
    publish = subprocess.run([sys.executable, "-m", "ceasefire", "publish", "--db", str(monitored), "--out",
                              str(tmp_path / "bundle"), "--key", str(tmp_path / "body.key"), "--pack",
                              "syria-2016-12-30"],
                             capture_output=True, text=True)
    assert publish.returncode == 1 and "Refusing to sign: the ledger does not verify (incidents row" in publish.stderr
    assert not (tmp_path / "bundle").exists()


@pytest.mark.parametrize(("statement", "said"), [
    (f"UPDATE incidents SET verdict = 'VIOLATION' WHERE id = '{UNVERIFIED}'",
     f"incidents row {UNVERIFIED}: column verdict is VIOLATION, the ledgered assessment says UNVERIFIED"),
    ("UPDATE assessments SET verdict = 'NOT_A_VIOLATION' WHERE verdict = 'VIOLATION' AND clause_id IS NULL",
     "column verdict is NOT_A_VIOLATION, the ledgered assessment says VIOLATION"),
    (f"UPDATE incident_claims SET incident_id = '{VIOLATION}' WHERE report_sha256 = '{REPORT_C}'",
     f"column incident_id is {VIOLATION}, the ledgered incident {UNVERIFIED} holds this claim"),
    ("UPDATE attachments SET data = 'forged'", "attachments row 1: column data has SHA-256"),
    ("UPDATE users SET role = 'admin'", "(user ana): its row in users differs from what was recorded"),
    ("UPDATE claims SET event_type = 'Riots'", "column event_type is Riots, the ledgered claim says Explosions"),
], ids=["incident-verdict", "assessment-verdict", "claim-moved", "attachment-bytes", "user-role", "claim-column"])
def test_forged_columns_are_caught_on_both_databases(store: Store, syria_pack, statement: str, said: str) -> None:
    fill(store, syria_pack)
    assert verify_ledger(store)[2] == []
    with store.engine.begin() as conn:
        if "data = 'forged'" in statement:  # bytes for a bytes column on PostgreSQL
            conn.execute(text("UPDATE attachments SET data = :forged"), {"forged": b"forged"})
        else:
            conn.execute(text(statement))
    found = "\n".join(str(p) for p in verify_ledger(store)[2])
    assert said in found, found
