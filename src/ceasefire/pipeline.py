"""Compositions of stages that the CLI and the web app share: ingest, extract, cluster, assess.

Extraction, clustering and assessment each quarantine an item they fail on (a report, a claim,
an incident): it is logged and listed with its reason by `ceasefire reports rejected`, the rest
of the run goes on, and the item is tried again on the next run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ceasefire.adjudicate.rules import assess
from ceasefire.adjudicate.scope import applies, seen_by
from ceasefire.errors import CeasefireError, IntakeError, LedgerError, PackError
from ceasefire.extract.extractor import Extractor
from ceasefire.extract.geonames import read_dump
from ceasefire.intake import InputFile, ReportDefaults, input_files, read_file
from ceasefire.intake.capture import Capture, capture
from ceasefire.intake.observers import check_observer, claims_observer
from ceasefire.ledger import GENESIS, Problem, Record, canonical, merkle, verify_chain, verify_copies, verify_objects
from ceasefire.ledger.checkpoints import SignedCheckpoint, verify_checkpoints
from ceasefire.ledger.keys import public_pem, sign
from ceasefire.model import AgreementPack, Assessment, Claim, ClaimKind, ClaimRef, Report, StoredReport, Verdict
from ceasefire.packs import bundled_packs, load_pack
from ceasefire.publish.bundle import write_bundle
from ceasefire.store import Store
from ceasefire.store.incident_query import IncidentQuery
from ceasefire.verify.incidents import build_incidents

BATCH_SIZE = 200
ASSESS_BATCH = 25  # incidents whose assessments are stored in one transaction
EXTRACT_CHUNK = 64  # reports whose sentences are parsed together
log = logging.getLogger(__name__)


@dataclass
class Duplicate:
    origin: str
    sha256: str


@dataclass
class IngestResult:
    """What one ingest did: ids of new reports, items already stored, items refused."""

    new: list[int] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected: list[IntakeError] = field(default_factory=list)


Progress = Callable[[int, int | None], None]
"""Called with (bytes read so far, total bytes or None when unknown)."""


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    *,
    pack: AgreementPack | None = None,
    defaults: ReportDefaults | None = None,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> IngestResult:
    """Read every item of ``paths`` and store each report once.

    Reports are committed in batches, each in its own transaction, so a killed run leaves
    only whole batches behind, and running it again stores only what is missing.
    """
    result = IngestResult()
    defaults = defaults or ReportDefaults()
    files: list[InputFile] = []
    for found in input_files(paths):
        if isinstance(found, IntakeError):
            result.rejected.append(found)
        else:
            files.append(found)
    total = None if any(f.path is None for f in files) else sum(f.size for f in files)
    batch: list[Report] = []
    done = 0
    if pack is not None:
        store.register_agreement(pack)
    source_of = _source_index(pack)
    observers: dict[str, str] | None = None
    for input_file in files:
        read_in_file = 0
        for item in read_file(input_file, stdin or sys.stdin.buffer, defaults):
            if isinstance(item, Report) and claims_observer(item):
                observers = store.observer_keys() if observers is None else observers
                try:
                    item = check_observer(item, observers)
                except IntakeError as refused:
                    item = refused
            if isinstance(item, IntakeError):
                result.rejected.append(item)
                continue
            batch.append(item)
            read_in_file += len(item.raw)
            if len(batch) >= batch_size:
                _flush(store, batch, source_of, result, pack.agreement.id if pack else None)
                if progress:
                    progress(done + min(read_in_file, input_file.size), total)
        done += input_file.size
        if progress:
            progress(done, total)
    _flush(store, batch, source_of, result, pack.agreement.id if pack else None)
    for rejection in result.rejected:
        store.add_rejection(rejection.origin, rejection.reason)
    return result


def _flush(store: Store, batch: list[Report], source_of: Callable[[Report], str | None],
           result: IngestResult, agreement_id: str | None = None) -> None:
    if not batch:
        return
    ids = store.add_reports(batch, [source_of(r) for r in batch], agreement_id)
    for report, new_id in zip(batch, ids, strict=True):
        if new_id is None:
            result.duplicates.append(Duplicate(report.origin, report.sha256))
        else:
            result.new.append(new_id)
    batch.clear()


def _source_index(pack: AgreementPack | None) -> Callable[[Report], str | None]:
    """Match a report's outlet to the pack's source registry, by name or alias.

    ACLED lists several outlets ("Reuters; SOHR"): the first one the pack knows is taken.
    """
    names: dict[str, str] = {}
    for source in (pack.sources.values() if pack else ()):
        for name in (source.id, source.name, *source.aliases):
            names.setdefault(name.casefold(), source.id)

    def source_id(report: Report) -> str | None:
        outlets = (report.source or "").split(";")
        return next((names[o.strip().casefold()] for o in outlets if o.strip().casefold() in names), None)

    return source_id


@dataclass
class ExtractResult:
    """What one extraction run did."""

    reports: int = 0
    claims: dict[ClaimKind, int] = field(default_factory=dict)
    without_date: int = 0  # reports skipped: no publication time to resolve dates against
    quarantined: int = 0  # reports extraction failed on (`ceasefire reports rejected` says why)


def registered_pack(store: Store, ref: str | None = None) -> AgreementPack:
    """The pack named by ``ref``, or the one agreement the database monitors.

    Raises:
        CeasefireError: no pack given and the database monitors none or several.
    """
    if ref:
        return load_pack(ref)
    agreements = store.agreements()
    if len(agreements) != 1:
        known = ", ".join(a.id for a in agreements) or "none yet"
        raise CeasefireError(f"Which agreement? This database monitors {known}. Pass --pack ID (bundled: "
                             f"{', '.join(bundled_packs()) or 'none'}; `ceasefire pack list` shows them).")
    try:
        return load_pack(agreements[0].id)
    except PackError:
        return load_pack(agreements[0].pack_path)


def extract(store: Store, extractor: Extractor, *, since: dt.datetime | None = None,
            progress: Callable[[int], None] | None = None) -> ExtractResult:
    """Extract claims from every report this extractor version has not seen yet.

    Each report's claims are written in one transaction with the record that it was done,
    so a killed run resumes where it stopped.
    """
    result = ExtractResult()
    agreement = extractor.pack.agreement.id
    store.register_agreement(extractor.pack)
    store.adopt_reports(agreement)
    pending = store.reports_to_extract(extractor.version, since=since, agreement=agreement)
    while chunk := list(itertools.islice(pending, EXTRACT_CHUNK)):
        for report, claims in _extracted(store, extractor, chunk, result):
            store.save_claims(report.id, extractor.version, claims)
            result.reports += 1
            result.without_date += report.published is None and report.structured is None
            for claim in claims:
                result.claims[claim.kind] = result.claims.get(claim.kind, 0) + 1
            if progress:
                progress(result.reports)
    return result


def _extracted(store: Store, extractor: Extractor, chunk: list[StoredReport],
               result: ExtractResult) -> list[tuple[StoredReport, list[Claim]]]:
    """The claims of a chunk of reports parsed together; when that fails, report by report, so
    only the report that fails is quarantined."""
    try:
        return list(zip(chunk, (claims for _, claims in extractor.extract_many(chunk)), strict=True))
    except Exception:
        log.info("a report of this chunk cannot be extracted; extracting them one by one to find it")
    done = []
    for report in chunk:
        try:
            done.append((report, extractor.extract(report)))
        except Exception as exc:
            result.quarantined += 1
            quarantine(store, f"report {report.sha256[:12]}", "extraction", exc,
                       f"the report has no claims until it is fixed; read it with `ceasefire reports show "
                       f"{report.sha256[:12]}`")
    return done


def quarantine(store: Store, item: str, stage: str, error: Exception, then: str) -> None:
    """Log an item a stage failed on and list it with its reason (`ceasefire reports rejected`)."""
    reason = (f"quarantined by {stage}: {type(error).__name__}: {str(error)[:300]}; {then}; it is tried again "
              "on every run")
    log.warning("%s %s", item, reason)
    store.add_rejection(item, reason)


def extractor_for(store: Store, pack: AgreementPack) -> Extractor:
    """An extractor for the pack, with the places imported into this database."""
    return Extractor(pack, imported_places=store.gazetteer_places(pack.agreement.scope.countries))


@dataclass
class GazetteerImport:
    places: int = 0
    rejected: list[IntakeError] = field(default_factory=list)


def import_gazetteer(store: Store, path: Path, *, batch_size: int = 5000,
                     progress: Callable[[int], None] | None = None) -> GazetteerImport:
    """Load a GeoNames dump into the database; a bad line is listed and the rest is kept."""
    result, batch = GazetteerImport(), []
    for row in read_dump(path):
        if isinstance(row, IntakeError):
            result.rejected.append(row)
            continue
        batch.append(row)
        if len(batch) >= batch_size:
            store.add_gazetteer_places(batch)
            result.places += len(batch)
            batch = []
            if progress:
                progress(result.places)
    store.add_gazetteer_places(batch)
    result.places += len(batch)
    return result


@dataclass
class VerifyResult:
    incidents: int = 0
    new: int = 0
    claims: int = 0
    quarantined: int = 0  # claims clustering failed on (`ceasefire reports rejected` says why)


def cluster_claims(store: Store, pack: AgreementPack) -> VerifyResult:
    """Group stored event claims into incidents; earlier incidents keep their ids and claims."""
    agreement = pack.agreement.id
    placed = store.placements(agreement)
    known = set(placed.values())
    refused: dict[ClaimRef, Exception] = {}
    claims = store.claims_with_sources(["event", "observation", "denial"], agreement)
    incidents = build_incidents(claims, pack, placed, refused)
    store.save_incidents(incidents, agreement)
    for ref, error in refused.items():
        quarantine(store, f"report {ref.report_sha256[:12]} claim {ref.index}", "clustering", error,
                   f"the claim is in no incident until it is fixed; read it with `ceasefire explain "
                   f"{ref.report_sha256[:12]}`")
    return VerifyResult(incidents=len(incidents), new=sum(1 for i in incidents if i.id not in known),
                        claims=sum(len(i.claims) for i in incidents), quarantined=len(refused))


def assess_incidents(store: Store, pack: AgreementPack) -> dict[Verdict, int]:
    """Judge every incident of the agreement's reports against every clause and reading, and the
    incidents of other agreements' reports that this agreement also covers (scope decides);
    analyst reviews are left untouched. An incident assessment fails on is quarantined and keeps
    the assessment it had, if any."""
    counts: dict[Verdict, int] = {}
    batch: list[Assessment] = []
    home = store.home_incidents(pack.agreement.id)
    n = 0
    for stored in store.incidents():
        incident = stored.incident
        if incident.id not in home:
            if not applies(incident, pack):
                continue
            incident = seen_by(incident, pack)
        n += 1
        try:
            found = assess(incident, pack)
        except Exception as exc:
            quarantine(store, f"incident {stored.incident.id}", "assessment", exc, "the incident keeps the "
                       f"assessment it had, if any; read it with `ceasefire incidents show {stored.incident.id}`")
            continue
        batch += found
        counts[found[0].verdict] = counts.get(found[0].verdict, 0) + 1
        if n % ASSESS_BATCH == 0:
            store.save_assessments(batch)
            batch = []
    store.save_assessments(batch)
    return counts


def verify_ledger(store: Store) -> tuple[int, str, list[Problem]]:
    """(records, head hash, problems in order): the chain, the signed checkpoints, every stored
    object, then every column copied from a ledgered object."""
    records, _, problems = _checked_ledger(store)
    return len(records), records[-1].hash if records else GENESIS, problems


def _checked_ledger(store: Store) -> tuple[list[Record], list[SignedCheckpoint], list[Problem]]:
    found = store.audit()
    records = found.records
    objects = verify_objects(records, found.hashes)
    return records, found.checkpoints, [*verify_chain(records), *verify_checkpoints(records, found.checkpoints),
                                        *objects, *verify_copies(found.mismatches, objects)]


@dataclass
class Checkpoint:
    id: int
    size: int
    root: str
    previous: SignedCheckpoint | None
    proof_length: int


def checkpoint(store: Store, key: Ed25519PrivateKey, signer: str) -> Checkpoint:
    """Sign the Merkle root of the whole ledger; prove it extends the previous checkpoint.

    Raises:
        LedgerError: the ledger does not verify (it no longer extends a signed checkpoint, say).
    """
    records, earlier, problems = _checked_ledger(store)
    if problems:
        raise LedgerError(f"Refusing to sign: the ledger does not verify ({problems[0]}). Run `ceasefire verify`.")
    leaves = [bytes.fromhex(r.hash) for r in records]
    tree_root = merkle.root(leaves).hex()
    previous = earlier[-1] if earlier else None  # verify showed the ledger extends it
    proof = merkle.consistency_proof(leaves, previous.size) if previous and previous.size else []
    at = dt.datetime.now(dt.UTC).isoformat()
    statement = canonical({"size": len(leaves), "root": tree_root, "at": at, "signer": signer})
    new_id = store.add_checkpoint({
        "size": len(leaves), "root": tree_root, "at": at, "signer": signer, "public_key": public_pem(key).decode(),
        "signature": sign(key, statement), "previous_size": previous.size if previous else None,
        "proof": [p.hex() for p in proof]})
    return Checkpoint(new_id, len(leaves), tree_root, previous, len(proof))


def publish(store: Store, pack: AgreementPack, out: Path, key: Ed25519PrivateKey, signer: str) -> list[str]:
    """Sign a fresh checkpoint and write the bundle of every published incident (the rule the web
    applies to the public) with its assessments, and the checkpoints before it with the proofs
    that each extends the one before (so a reader who knows an earlier checkpoint can check this
    bundle extends it)."""
    made = checkpoint(store, key, signer)
    incidents = store.incidents(IncidentQuery(published_only=True, agreement=pack.agreement.id))
    assessments = {s.incident.id: store.assessments(s.incident.id, pack.agreement.id) for s in incidents}
    history = [c for c in store.checkpoints() if c.id is not None and c.id <= made.id]
    return write_bundle(out, incidents, assessments, history, pack, key, signer)


def capture_page(store: Store, url: str, client: httpx.Client,
                 pack: AgreementPack | None = None) -> tuple[int, Capture]:
    """Capture a page as evidence and ingest its text as a report linked to the capture."""
    captured = capture(url, client)
    if captured.report is not None:
        source_of = _source_index(pack)
        store.add_reports([captured.report], [source_of(captured.report)], pack.agreement.id if pack else None)
    return store.add_capture(captured.row()), captured
