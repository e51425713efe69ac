"""The command line as a user sees it."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.errors import StoreError
from ceasefire.packs import bundled_packs
from ceasefire.store import Store
from tests.intake.test_formats import MD
from tests.web.conftest import bearer

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_pack_check_summarises_the_pack(tiny_pack: Path) -> None:
    code, output = run("pack", "check", str(tiny_pack))
    assert code == 0
    assert "Tiny truce between Red and Blue (tiny-truce)" in output
    assert "│ Blue Militia │ denied    │" in output
    assert "│ Green State │ guarantor │ 2020-01-01 │" in output
    assert "C2.blue" in output and "excludes Black Band" in output
    assert "Excluded under some reading: Black Band, Grey Band" in output
    assert "5 actors, 2 sources, 1 areas" in output
    assert re.search(r"Pack text SHA-256 [0-9a-f]{64}\s*$", output)


def test_pack_check_lists_every_error_and_fails(tiny_pack: Path) -> None:
    agreement = tiny_pack / "agreement.yaml"
    agreement.write_text(agreement.read_text().replace("actor: green-state", "actor: greenstate"))
    actors = tiny_pack / "actors.yaml"
    actors.write_text(actors.read_text().replace("side: excluded", "side: banned", 1))
    code, output = run("pack", "check", str(tiny_pack))
    assert code == 1
    assert "agreement.yaml:16: guarantors[0].actor names unknown actor 'greenstate'" in output
    line = actors.read_text().splitlines().index("    side: banned") + 1
    assert f"actors.yaml:{line}: actors[3].side Input should be" in output
    assert "2 error(s) in" in output


def test_ingest_prints_new_duplicates_and_rejected(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(MD)
    (tmp_path / "in" / "b.md").write_text(MD)
    (tmp_path / "in" / "c.jsonl").write_text('{"text": "ok"}\n{"nope": 1}\n')
    code, output = run("ingest", str(tmp_path / "in"), "--db", str(tmp_path / "x.db"))
    assert code == 0
    assert "│ new        │     2 │" in output and "│ duplicates │     1 │" in output
    assert "│ rejected   │     1 │" in output
    assert "c.jsonl:2" in output and "field 'text' is missing" in output


def test_ingest_stdin_with_default_publication_time(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    code, _ = run("ingest", "-", "--db", db, "--published", "2017-01-25", "--source", "AFP",
                  input=json.dumps({"text": "Piped report."}) + "\n")
    assert code == 0
    code, output = run("reports", "show", "1", "--db", db)
    assert "published  2017-01-25 00:00:00+00:00" in output and "source  AFP" in output
    assert output.rstrip().endswith("Piped report.")


def test_ingest_bad_published_option_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("ingest", "-", "--db", str(tmp_path / "x.db"), "--published", "whenever")
    assert code == 2 and "expected an ISO 8601 date" in output


def test_reports_list_and_show(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(MD)
    db = str(tmp_path / "x.db")
    run("ingest", str(tmp_path / "a.md"), "--db", db)
    code, output = run("reports", "list", "--db", db)
    assert "Reports (1 stored)" in output and "Shelling in" in output and "Reuters" in output
    code, output = run("reports", "show", "1", "--db", db)
    assert "title  Shelling in Basimah" in output and "origin  " + str(tmp_path / "a.md") in output


def test_report_text_with_markup_is_printed_literally(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    run("ingest", "-", "--db", db, input=json.dumps({"text": "[bold red]x[/] <script>alert(1)</script>"}) + "\n")
    _, output = run("reports", "show", "1", "--db", db)
    assert "[bold red]x[/] <script>alert(1)</script>" in output


def test_errors_are_one_line_on_stderr_with_exit_1(tmp_path: Path) -> None:
    run("db", "upgrade", "--db", str(tmp_path / "x.db"))
    proc = subprocess.run([sys.executable, "-m", "ceasefire", "reports", "show", "abcdef12", "--db",
                           str(tmp_path / "x.db")], capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip() == ("Error: Report 'abcdef12' matches no report. "
                                   "List them with `ceasefire reports list`.")


def test_demo_builds_the_database_from_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    db = tmp_path / "demo.db"
    (tmp_path / "demo.db.notes").write_text("mine")
    code, output = run("demo", "--db", str(db), "--corpus", str(REPO / "examples" / "corpus"), "--no-serve")
    assert code == 0, output
    assert "Syria" in output and "│ rejected   │     7 │" in output
    assert f"{db} holds" in output
    assert re.search(r"Ledger: \d+ records, head [0-9a-f]{16}…, verifies", output)
    assert "Checkpoint #1 signed with" in output and "and checked it offline: verifies" in output
    assert (tmp_path / "demo-output" / "bundle").is_dir()
    code_again, output_again = run("demo", "--db", f"sqlite:///{db}", "--corpus", str(REPO / "examples" / "corpus"),
                                   "--no-serve")
    assert output_again.split("Ingest")[1].split("Ledger:")[0] == output.split("Ingest")[1].split("Ledger:")[0]
    assert (tmp_path / "demo.db.notes").read_text() == "mine"
    assert list((tmp_path / "cwd").iterdir()) == []


def test_demo_refuses_a_server_database_that_holds_reports(pg_url: str) -> None:
    run("ingest", "-", "--db", pg_url, "--no-extract", input='{"text": "Kept."}\n')
    result = runner.invoke(app, ["demo", "--db", pg_url, "--corpus", str(REPO / "examples" / "corpus"), "--no-serve"])
    assert str(result.exception) == (
        f"The demo builds a fresh database, and {pg_url} already holds 1 report. Pass an empty database, or a "
        "SQLite file (the default, ceasefire-demo.db), which the demo rebuilds.")
    assert Store.open(pg_url).count_reports() == 1


def test_ingest_with_a_pack_extracts_claims_and_explain_marks_them(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    (tmp_path / "r.md").write_text("---\ntitle: Douma\npublished: 2017-01-10T12:00:00+02:00\nsource: Reuters\n---\n"
                                   "Government forces shelled Douma on Sunday, killing five civilians, "
                                   "according to the Syrian Observatory for Human Rights.\n")
    code, output = run("ingest", str(tmp_path / "r.md"), "--db", db, "--pack", "syria-2016-12-30")
    assert code == 0 and "Extracted 1 claims (1 event) from 1 report(s)." in output
    code, output = run("explain", "1", "--db", db)
    assert code == 0
    assert "Explosions/Remote violence / Shelling/artillery/missile attack" in output
    assert "“shelled” [" in output and "syrian-arab-army [government]" in output
    assert "low 5 best 5 high 5" in output and "“Syrian Observatory for Human Rights” [" in output
    code, output = run("extract", "--db", db)
    assert "Extracted 0 claims (none) from 0 report(s)." in output


def test_extract_without_a_registered_agreement_says_what_to_pass(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    run("ingest", "-", "--db", db, "--no-extract", input='{"text": "x"}\n')
    result = runner.invoke(app, ["extract", "--db", db])
    assert "Pass --pack ID" in str(result.exception)


def test_run_then_incidents_list_show_and_review(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, source, words in (("a", "Reuters", "Government forces shelled Douma on Sunday, killing five civilians."),
                                ("b", "AFP", "Five civilians died when army artillery shelled Douma on Sunday, "
                                             "residents said.")):
        (reports / f"{name}.md").write_text(f"---\ntitle: {name}\npublished: 2017-01-10T12:00:00+02:00\n"
                                            f"source: {source}\n---\n{words}\n")
    code, output = run("run", str(reports), "--db", db, "--pack", "syria-2016-12-30")
    assert code == 0 and "Clustered 2 claims into 1 incidents (1 new)." in output
    assert "Assessed 1 incidents: 1 VIOLATION." in output
    code, output = run("incidents", "list", "--db", db, "--verdict", "VIOLATION", "--area", "douma")
    incident_id = next(word for word in output.split() if word.startswith("I-"))
    code, output = run("incidents", "show", incident_id, "--db", db)
    assert "Verdict: VIOLATION" in output
    assert ("Corroboration: 2 independent origin(s), 2 confirming: residents via Agence France-Presse (B) confirms; "
            "Reuters (B) confirms; Admiralty credibility 1.") in output
    assert "Responsibility: syrian-arab-army -> party syrian-government" in output
    run("reviewer", "add", "omar", "--affiliation", "russia", "--db", db)
    refused = runner.invoke(app, ["review", incident_id, "--as", "omar", "--confirm", "--reason", "ok", "--db", db])
    assert "affiliated with Russia" in str(refused.exception)
    run("reviewer", "add", "dana", "--db", db)
    code, output = run("review", incident_id, "--as", "dana", "--override", "DISPUTED", "--reason",
                       "Shell fragments point both ways.", "--db", db)
    assert output.strip() == f"{incident_id}: overridden with DISPUTED by dana."
    run("assess", "--db", db)
    code, output = run("incidents", "list", "--db", db, "--verdict", "DISPUTED")
    assert incident_id in output and "(reviewed)" in output


def test_pack_check_shows_who_signed_the_pack(tmp_path: Path, tiny_pack: Path) -> None:
    db = str(tmp_path / "x.db")
    run("keys", "new", "red", "--out", str(tmp_path))
    code, output = run("pack", "sign", str(tiny_pack), "--party", "red-army", "--key", str(tmp_path / "red.key"),
                       "--db", db)
    assert code == 0 and output.startswith("Red Army signed tiny-truce (text SHA-256 ")
    code, output = run("pack", "check", str(tiny_pack), "--db", db)
    assert "Red Army: signed this text (reported status: signed)" in output
    assert "Blue Militia: has not signed (reported status: denied)" in output


def test_user_token_revoke_and_user_remove(tmp_path: Path) -> None:
    from ceasefire.store import Store
    from ceasefire.web.accounts import token_user

    db = str(tmp_path / "users.db")
    assert run("user", "add", "field-1", "--role", "observer", "--password", "field-password", "--db", db) == (
        0, "User field-1 saved as observer.\n")
    first, second = (run("user", "token", "field-1", "--db", db)[1].strip() for _ in range(2))
    assert run("user", "token", "field-1", "--revoke", "--db", db) == (0, "Revoked 2 API tokens of field-1.\n")
    store = Store.open(db)
    assert token_user(store, first) is None and token_user(store, second) is None
    third = run("user", "token", "field-1", "--db", db)[1].strip()
    assert token_user(store, third) is not None
    assert run("user", "add", "field-1", "--role", "analyst", "--password", "field-password", "--db", db) == (
        0, "User field-1 saved as analyst; their 1 API token and 0 sessions were ended.\n")
    assert token_user(store, third) is None
    assert run("user", "remove", "field-1", "--db", db) == (0, "Removed user field-1.\n")
    assert store.user("field-1") is None


def test_removing_an_unknown_user_says_so(tmp_path: Path) -> None:
    run("db", "upgrade", "--db", str(tmp_path / "x.db"))
    proc = subprocess.run([sys.executable, "-m", "ceasefire", "user", "remove", "nobody", "--db",
                           str(tmp_path / "x.db")], capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip() == "Error: No user 'nobody'; nothing was removed. Check the name on /admin/users."


# -- output formats ---------------------------------------------------------------------


def test_incidents_list_csv_json_and_jsonl_hold_the_same_incidents(web_store: Store) -> None:
    db = str(web_store.engine.url.database)
    code, as_json = run("incidents", "list", "--db", db, "--format", "json")
    rows = json.loads(as_json)
    assert code == 0 and len(rows) > 10
    _, as_csv = run("incidents", "list", "--db", db, "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(as_csv)))
    assert [r["id"] for r in parsed] == [r["id"] for r in rows]
    assert list(parsed[0]) == list(rows[0])
    _, as_jsonl = run("incidents", "list", "--db", db, "--format", "jsonl")
    assert [json.loads(line) for line in as_jsonl.splitlines()] == rows


def test_incidents_list_json_gives_the_api_rows(web_store: Store, client: Any, tokens: dict[str, str]) -> None:
    db = str(web_store.engine.url.database)
    listed = json.loads(run("incidents", "list", "--db", db, "--format", "json", "--party", "syrian-government")[1])
    answer = client.get("/api/v1/incidents", params={"party": "syrian-government"}, headers=bearer(tokens["ana"]))
    located = [row for row in listed if row["latitude"] is not None]  # the API lists located incidents only
    assert len(located) > 3
    assert sorted(located, key=lambda r: r["id"]) == sorted(answer.json()["incidents"], key=lambda r: r["id"])


def test_pack_list_in_every_format() -> None:
    packs = bundled_packs()
    assert run("pack", "list", "--format", "csv") == (
        0, "id,folder\n" + "".join(f"{pack_id},{path}\n" for pack_id, path in packs.items()))
    assert run("pack", "list", "--format", "jsonl") == (
        0, "".join(json.dumps({"id": pack_id, "folder": str(path)}) + "\n" for pack_id, path in packs.items()))
    assert json.loads(run("pack", "list", "--format", "json")[1]) == [
        {"id": pack_id, "folder": str(path)} for pack_id, path in packs.items()]
    code, table = run("pack", "list")
    assert code == 0 and f"Bundled packs ({len(packs)})" in table and "│ syria-2016-12-30 " in table


def test_csv_cells_that_would_run_as_formulas_are_quoted(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    run("ingest", "-", "--db", db, "--no-extract", input=json.dumps(
        {"text": "x", "title": "=HYPERLINK(\"http://evil.example\")", "source": "@wire"}) + "\n")
    row = next(csv.DictReader(io.StringIO(run("reports", "list", "--db", db, "--format", "csv")[1])))
    assert (row["title"], row["source"]) == ("'=HYPERLINK(\"http://evil.example\")", "'@wire")
    assert json.loads(run("reports", "list", "--db", db, "--format", "json")[1])[0]["title"].startswith("=HYPER")


def test_reports_rejected_as_jsonl(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    (tmp_path / "c.jsonl").write_text('{"text": "ok"}\n{"nope": 1}\n')
    run("ingest", str(tmp_path / "c.jsonl"), "--db", db)
    code, output = run("reports", "rejected", "--db", db, "--format", "jsonl")
    [rejected] = [json.loads(line) for line in output.splitlines()]
    assert code == 0 and list(rejected) == ["origin", "reason", "received_at"]
    assert rejected["origin"] == f"{tmp_path / 'c.jsonl'}:2" and "field 'text' is missing" in rejected["reason"]


def test_a_wide_table_written_to_a_file_keeps_every_character(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    title = "Shelling reported near the northern edge of the village, " * 4 + "end of title"
    run("ingest", "-", "--db", db, "--no-extract", "--published", "2017-01-25",
        input=json.dumps({"text": "x", "title": title, "source": "Wire"}) + "\n")
    listing = tmp_path / "reports.txt"
    with listing.open("w") as stdout:
        subprocess.run([sys.executable, "-m", "ceasefire", "reports", "list", "--db", db], stdout=stdout, check=True,
                       env=os.environ | {"COLUMNS": "80"})
    sha = Store.open(db).report(1).sha256[:12]
    assert f"│ 1  │ {sha} │ jsonl  │ 2017-01-25 00:00 │ Wire   │ {title} │" in listing.read_text()
    assert "…" not in listing.read_text()


# -- which database ---------------------------------------------------------------------


def missing(db: Path | str) -> str:
    return f"No database at {db}. Create one with `ceasefire db upgrade --db {db}` or run `ceasefire demo`."


READ_COMMANDS = [
    ["incidents", "list"], ["incidents", "show", "I-0"], ["reports", "list"], ["reports", "show", "1"],
    ["reports", "rejected"], ["export", "--format", "json"], ["explain", "1"], ["verify"], ["extract"],
    ["cluster"], ["assess"], ["serve"], ["checkpoint", "--key", "{tmp}/k.key"],
    ["publish", "--out", "{tmp}/bundle", "--key", "{tmp}/k.key"],
    ["report", "--from", "2017-01-01", "--to", "2017-01-31", "--out", "{tmp}/report.html"],
    ["review", "I-0", "--as", "dana", "--confirm", "--reason", "seen"], ["pack", "check", "syria-2016-12-30"],
    ["user", "token", "dana"], ["user", "remove", "dana"],
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_read_commands_refuse_a_missing_database_and_create_nothing(tmp_path: Path, command: list[str]) -> None:
    run("keys", "new", "k", "--out", str(tmp_path))
    db = tmp_path / "typo" / "x.db"
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in command]
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert isinstance(result.exception, StoreError) and str(result.exception) == missing(db)
    assert not (tmp_path / "typo").exists()


def test_missing_database_message_on_stderr_with_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "typo" / "x.db"
    proc = subprocess.run([sys.executable, "-m", "ceasefire", "incidents", "list"], capture_output=True, text=True,
                          env=os.environ | {"CEASEFIRE_DB": str(db)}, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == f"Error: {missing(db)}\n"
    assert list(tmp_path.iterdir()) == []


def test_read_command_on_an_empty_postgresql_database_says_to_create_it(pg_url: str) -> None:
    result = runner.invoke(app, ["incidents", "list", "--db", pg_url])
    assert str(result.exception) == missing(pg_url)
    assert run("db", "upgrade", "--db", pg_url)[0] == 0
    assert run("reports", "list", "--db", pg_url, "--format", "json") == (0, "[]\n")


def test_db_takes_a_sqlite_url_and_makes_no_sqlite_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    db = tmp_path / "data" / "x.db"
    assert run("db", "upgrade", "--db", f"sqlite:///{db}") == (0, f"Database sqlite:///{db} is at the latest schema.\n")
    run("ingest", "-", "--db", f"sqlite:///{db}", "--no-extract", input='{"text": "By URL."}\n')
    assert json.loads(run("reports", "list", "--db", str(db), "--format", "json")[1])[0]["id"] == 1
    assert list((tmp_path / "cwd").iterdir()) == []


def test_a_sqlite_url_with_too_few_slashes_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["db", "upgrade", "--db", "sqlite:/srv/x.db"])
    assert str(result.exception) == (
        "Cannot use database 'sqlite:/srv/x.db': a SQLite URL has three slashes before a relative path and four "
        "before an absolute one (sqlite:///ceasefire.db, sqlite:////srv/ceasefire.db); or pass the path alone.")
    assert list(tmp_path.iterdir()) == []
