"""The demo: a bundled pack and its demo corpus through the whole pipeline, then what a
monitoring body does with the result — a signed checkpoint, a bundle published and checked
offline, a monitoring report and exports, and one web account per role.

``build_demo`` returns a ``Demo`` holding every result; ``ceasefire demo`` prints it and serves
the database. Which packs have a demo, and where their corpora are, is data: ``examples/demos.yaml``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ceasefire.errors import CeasefireError
from ceasefire.intake import ReportDefaults
from ceasefire.ledger import Problem
from ceasefire.ledger.keys import load_private, new_key
from ceasefire.model import AgreementPack, Verdict
from ceasefire.packs import load_pack
from ceasefire.pipeline import (
    Checkpoint,
    ExtractResult,
    IngestResult,
    VerifyResult,
    assess_incidents,
    checkpoint,
    cluster_claims,
    extract,
    extractor_for,
    ingest,
    publish,
    verify_ledger,
)
from ceasefire.publish.bundle import BundleCheck, verify_bundle
from ceasefire.publish.documents import demo_outputs
from ceasefire.store import Store, database_url, sqlite_file

DEMO_DB = "ceasefire-demo.db"
DEMOS = Path("examples/demos.yaml")
KEY_NAME = "demo-monitoring-body"
SIGNER = "ceasefire demo"
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")  # a SQLite database is these files

Stage = Callable[[str, int, int | None], None]
"""Called as the demo goes: (stage, done, total or None); ingest counts bytes, extract reports."""


@dataclass(frozen=True)
class DemoAccount:
    role: str
    name: str
    password: str  # new on every run, shown once


@dataclass(frozen=True)
class Demo:
    """Everything the demo built, in the order it was built."""

    store: Store
    db: str  # the database as commands should name it: the file for SQLite, else the URL given
    pack: AgreementPack
    ingested: IngestResult
    extracted: ExtractResult
    clustered: VerifyResult
    verdicts: dict[Verdict, int]
    ledger_records: int
    ledger_head: str
    ledger_problems: list[Problem]
    checkpoint: Checkpoint
    key: Path  # the private key that signed the checkpoint and the bundle; its .pub beside it
    bundle: Path
    bundle_check: BundleCheck
    report_period: tuple[dt.date, dt.date]
    outputs: list[Path]  # the report and the exports
    accounts: list[DemoAccount]


@dataclass(frozen=True)
class DemoChoice:
    """A pack with a demo, and the folder of its demo reports."""

    pack: str
    corpus: Path


def demos(listing: Path = DEMOS) -> list[DemoChoice]:
    """The demos ``examples/demos.yaml`` lists, the default first.

    Raises:
        CeasefireError: the file is missing or malformed.
    """
    from ruamel.yaml import YAML  # the demo's own small listing; packs have their own loader

    try:
        data = YAML(typ="safe").load(listing.read_text(encoding="utf-8"))
        return [DemoChoice(str(d["pack"]), Path(d["corpus"])) for d in data["demos"]]
    except FileNotFoundError as exc:
        raise CeasefireError(f"No demo listing at {listing}. Run from the repository root, or pass --pack ID and "
                             "--corpus DIR.") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise CeasefireError(f"{listing}: expected 'demos:' with a 'pack' and a 'corpus' in each entry "
                             f"({exc}). Fix the file.") from exc


def choose_demo(pack: str | None, corpus: Path | None, listing: Path = DEMOS) -> DemoChoice:
    """The pack and corpus to build: both given, or filled in from the demo listing.

    Raises:
        CeasefireError: ``pack`` has no demo listed and no ``corpus`` was given.
    """
    if pack and corpus:
        return DemoChoice(pack, corpus)
    if corpus is not None and not listing.is_file():  # run from elsewhere: the listing beside the corpus
        listing = next((p / listing.name for p in corpus.resolve().parents if (p / listing.name).is_file()), listing)
    listed = demos(listing)
    if pack is None:
        root = listing.resolve().parent.parent
        same = next((d for d in listed if corpus and (root / d.corpus).resolve() == corpus.resolve()), listed[0])
        return DemoChoice(same.pack, corpus or same.corpus)
    found = next((d for d in listed if d.pack == pack), None)
    if found is None:
        raise CeasefireError(f"No demo corpus for pack {pack!r}: {listing} lists "
                             f"{', '.join(d.pack for d in listed)}. Pass --corpus DIR.")
    return found


def build_demo(db: str, corpus: Path, pack_ref: str, *, out_dir: Path | None = None,
               progress: Stage | None = None) -> Demo:
    """Build the demo database afresh at ``db`` and publish from it.

    Args:
        db: a SQLite file path or a database URL; a SQLite file is deleted first, a server
            database must hold no reports yet.
        corpus: the folder of demo reports.
        pack_ref: the agreement pack id or folder.
        out_dir: folder for the key, the bundle, the report and the exports; default
            ``demo-output`` beside a SQLite file, or in the working folder for a server database.
        progress: told how ingest and extraction advance.

    Raises:
        CeasefireError: no corpus folder, or a server database that already holds reports.
    """
    if not corpus.is_dir():
        raise CeasefireError(f"No demo corpus at {corpus}. Run from the repository root or pass --corpus DIR.")
    file = sqlite_file(database_url(db))
    pack = load_pack(pack_ref)
    store = _fresh_store(db, file)
    out_dir = out_dir or (file.parent if file else Path(".")) / "demo-output"
    ingested = ingest(store, [corpus], pack=pack, defaults=ReportDefaults(),
                      progress=lambda done, total: progress("ingest", done, total) if progress else None)
    extracted = extract(store, extractor_for(store, pack),
                        progress=lambda done: progress("extract", done, None) if progress else None)
    clustered = cluster_claims(store, pack)
    verdicts = assess_incidents(store, pack)
    records, head, problems = verify_ledger(store)
    key = _demo_key(out_dir / "keys")
    made = checkpoint(store, load_private(key), SIGNER)
    bundle = out_dir / "bundle"
    publish(store, pack, bundle, load_private(key), SIGNER)
    check = verify_bundle(bundle, key.with_suffix(".pub").read_bytes())
    start, end, outputs = demo_outputs(store, pack, out_dir)
    return Demo(store, str(file) if file else db, pack, ingested, extracted, clustered, verdicts, records, head,
                problems, made, key, bundle, check, (start, end), outputs, _accounts(store))


def _fresh_store(db: str, file: Path | None) -> Store:
    """The demo's database, empty: a SQLite file (with its journal files, and nothing else) is
    deleted; a server database is refused if it holds reports, since the demo drops nothing."""
    for companion in SQLITE_COMPANIONS if file else ():
        Path(f"{file}{companion}").unlink(missing_ok=True)
    store = Store.open(db)
    held = store.count_reports()
    if held:
        store.close()
        raise CeasefireError(f"The demo builds a fresh database, and {db} already holds {held} "
                             f"report{'s' * (held != 1)}. Pass an empty database, or a SQLite file (the default, "
                             f"{DEMO_DB}), which the demo rebuilds.")
    return store


def _demo_key(folder: Path) -> Path:
    """The demo's signing key, made on the first run and kept, so later bundles extend earlier ones."""
    key = folder / f"{KEY_NAME}.key"
    return key if key.exists() else new_key(KEY_NAME, folder)[0]


def _accounts(store: Store) -> list[DemoAccount]:
    """One account per role, with fresh passwords, so every page can be tried."""
    from ceasefire.web.accounts import ACCOUNT_ROLES, add_user  # argon2 hashing lives with the web accounts

    made = []
    for role in ACCOUNT_ROLES:
        password = secrets.token_urlsafe(9)
        add_user(store, f"demo-{role.label}", role, password)
        made.append(DemoAccount(role.label, f"demo-{role.label}", password))
    return made
