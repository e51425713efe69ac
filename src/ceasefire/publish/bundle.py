"""A published bundle: everything a reader needs to check the findings offline, with no
database. ``manifest.json`` lists the SHA-256 of every file and the ledger checkpoint the
findings rest on; ``manifest.sig`` is the monitoring body's Ed25519 signature over it.
``checkpoints.json`` holds every checkpoint up to that one, each with the proof that it extends
the one before, so a reader who kept an earlier checkpoint can tell a newer bundle from an older
one replayed, or from one made from a rewritten ledger."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ceasefire.errors import PublishError
from ceasefire.ledger import canonical
from ceasefire.ledger.checkpoints import SignedCheckpoint
from ceasefire.ledger.keys import public_pem, sign, verify_signature
from ceasefire.model import AgreementPack, Assessment
from ceasefire.publish.exports import write_acled_csv, write_geojson
from ceasefire.store import Review, StoredIncident

MANIFEST, SIGNATURE, PUBLIC_KEY = "manifest.json", "manifest.sig", "public-key.pem"
CHECKPOINT, HISTORY = "checkpoint.json", "checkpoints.json"


def write_bundle(out: Path, incidents: list[StoredIncident], assessments: dict[str, list[Assessment]],
                 history: Sequence[SignedCheckpoint], pack: AgreementPack, key: Ed25519PrivateKey,
                 signer: str) -> list[str]:
    """Write the bundle's files and its signed manifest; returns the file names.

    Args:
        history: the checkpoints up to the one the findings rest on, which comes last.
    """
    out.mkdir(parents=True, exist_ok=True)
    checkpoint = history[-1]
    with (out / "incidents.geojson").open("w", encoding="utf-8") as handle:
        write_geojson(incidents, handle)
    with (out / "events-acled.csv").open("w", encoding="utf-8", newline="") as handle:
        write_acled_csv(incidents, pack, handle)
    findings = [{"incident": s.incident.id, "verdict": s.verdict, "automatic_verdict": s.automatic,
                 "review": _review(s.review), "reports": sorted({r.report_sha256 for r in s.incident.claims}),
                 "assessments": [a.model_dump(mode="json") for a in assessments.get(s.incident.id, [])]}
                for s in incidents]
    _write_json(out / "assessments.json", findings)
    _write_json(out / CHECKPOINT, checkpoint.public())
    _write_json(out / HISTORY, [c.with_proof() for c in history])
    (out / PUBLIC_KEY).write_bytes(public_pem(key))
    names = ["incidents.geojson", "events-acled.csv", "assessments.json", CHECKPOINT, HISTORY, PUBLIC_KEY]
    manifest = {"agreement": pack.agreement.id, "signer": signer, "checkpoint": {
        "size": checkpoint.size, "root": checkpoint.root}, "files": {n: _sha256(out / n) for n in names}}
    _write_json(out / MANIFEST, manifest)
    (out / SIGNATURE).write_text(sign(key, canonical(manifest)) + "\n")
    return [*names, MANIFEST, SIGNATURE]


@dataclass
class BundleCheck:
    """What verify_bundle found: each problem names the file it concerns."""

    files: int = 0
    problems: list[str] = field(default_factory=list)


def verify_bundle(folder: Path, trusted_key: bytes | None = None, known: SignedCheckpoint | None = None) -> BundleCheck:
    """Check a bundle offline: the manifest's signature, every file's hash, the checkpoints'
    signatures and proofs, and, given the latest checkpoint the reader knows, that the bundle
    is not older than it and extends it.

    Args:
        folder: the bundle.
        trusted_key: the monitoring body's public key (PEM) obtained elsewhere; without it the
            key inside the bundle is used, which proves integrity but not who signed.
        known: the latest checkpoint the reader has seen (see :func:`read_checkpoint`).

    Raises:
        PublishError: the manifest, its signature or the key is missing or unreadable.
    """
    check = BundleCheck()
    manifest = _read_json(folder / MANIFEST)
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise PublishError(f"{folder / MANIFEST}: not a bundle manifest (it has no list of files with their "
                           "SHA-256). Check you gave the folder `ceasefire publish` wrote.")
    signature = _read_text(folder / SIGNATURE).strip()
    key = trusted_key if trusted_key is not None else _public_key(folder / PUBLIC_KEY)
    if not verify_signature(key, canonical(manifest), signature):
        check.problems.append(f"{MANIFEST}: the signature does not match (the manifest was changed, or signed "
                              "with another key)")
    for name, expected in sorted(files.items()):
        path = folder / name
        if not path.is_file():
            check.problems.append(f"{name}: missing")
        elif _sha256(path) != expected:
            check.problems.append(f"{name}: changed since it was published (SHA-256 differs)")
        check.files += 1
    current, problems = _checkpoint(folder, manifest)
    check.problems += problems
    history, problems = _history(folder, current)
    check.problems += problems
    check.problems += _finding_problems(folder)
    if known is not None:
        check.problems += _since(current, history, known)
    return check


def read_checkpoint(path: Path) -> SignedCheckpoint:
    """A checkpoint.json the reader kept from a bundle they verified earlier.

    Raises:
        PublishError: the file is missing, not JSON, not a checkpoint, or its signature does not match.
    """
    try:
        known = SignedCheckpoint.from_mapping(_read_json(path))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PublishError(f"{path}: not a checkpoint ({_what(exc)}); give the checkpoint.json of a bundle you "
                           "verified.") from None
    if not known.signed():
        raise PublishError(f"{path}: its signature does not match its size and root; give the checkpoint.json of "
                           "a bundle you verified.")
    return known


def read_trusted_key(path: Path) -> bytes:
    """The signer's public key (PEM) a reader obtained elsewhere.

    Raises:
        PublishError: the file is missing, unreadable or not an Ed25519 public key.
    """
    return _public_key(path)


def _checkpoint(folder: Path, manifest: Mapping[str, Any]) -> tuple[SignedCheckpoint | None, list[str]]:
    try:
        checkpoint = SignedCheckpoint.from_mapping(_read_json(folder / CHECKPOINT))
    except PublishError as exc:
        return None, [str(exc)]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return None, [f"{CHECKPOINT}: not a checkpoint ({_what(exc)})"]
    problems = []
    if not checkpoint.signed():
        problems.append(f"{CHECKPOINT}: the checkpoint's signature does not match")
    if {"size": checkpoint.size, "root": checkpoint.root} != manifest.get("checkpoint"):
        problems.append(f"{CHECKPOINT}: does not match the checkpoint named in the manifest")
    return checkpoint, problems


def _history(folder: Path, current: SignedCheckpoint | None) -> tuple[list[SignedCheckpoint] | None, list[str]]:
    """The bundle's checkpoints, each extending the one before and the last being the bundle's own;
    None when the bundle has none (bundles made before checkpoints.json)."""
    if not (folder / HISTORY).exists():
        return None, []
    try:
        entries = _read_json(folder / HISTORY)
        history = [SignedCheckpoint.from_mapping(entry) for entry in entries]
    except PublishError as exc:
        return None, [str(exc)]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return None, [f"{HISTORY}: not a list of checkpoints ({_what(exc)})"]
    problems = [f"{HISTORY}: the signature of {c.name} does not match" for c in history if not c.signed()]
    for earlier, later in zip(history, history[1:], strict=False):
        if later.previous_size != earlier.size or not later.extends(earlier):
            problems.append(f"{HISTORY}: {later.name} does not extend {earlier.name} (its consistency proof fails)")
    if current is not None and (not history or (history[-1].size, history[-1].root) != (current.size, current.root)):
        problems.append(f"{HISTORY}: does not end with the bundle's own checkpoint")
    return history, problems


def _finding_problems(folder: Path) -> list[str]:
    """Verdicts that disagree with the assessments published beside them: a finding's verdict is
    its review's, or else its overall assessment's, and the map shows the same."""
    try:
        findings = _read_json(folder / "assessments.json")
        verdicts = {f["incident"]: f["verdict"] for f in findings}
        problems = [f"assessments.json: incident {f['incident']}: {problem}" for f in findings
                    for problem in _verdict_problems(f)]
        features = _read_json(folder / "incidents.geojson")["features"]
        problems += [f"incidents.geojson: incident {p['id']}: verdict {p['verdict']}, assessments.json says "
                     f"{verdicts.get(p['id'])}" for p in (f["properties"] for f in features)
                     if verdicts.get(p["id"]) != p["verdict"]]
    except PublishError as exc:
        return [str(exc)]
    except (KeyError, TypeError, AttributeError, StopIteration) as exc:
        return [f"assessments.json or incidents.geojson: not the findings `ceasefire publish` writes ({_what(exc)})"]
    return problems


def _verdict_problems(finding: Mapping[str, Any]) -> list[str]:
    overall = next((a for a in finding["assessments"] if a.get("clause_id") is None), None)
    automatic = overall["verdict"] if overall else None
    problems = []
    if finding["automatic_verdict"] != automatic:
        problems.append(f"automatic verdict {finding['automatic_verdict']} beside an overall assessment of "
                        f"{automatic}")
    decided = finding["review"]["verdict"] if finding["review"] else finding["automatic_verdict"]
    if finding["verdict"] != decided:
        source = "its review" if finding["review"] else "its automatic verdict"
        problems.append(f"verdict {finding['verdict']}, but {source} is {decided}")
    return problems


def _since(current: SignedCheckpoint | None, history: list[SignedCheckpoint] | None,
           known: SignedCheckpoint) -> list[str]:
    """Problems if the bundle is older than the checkpoint the reader knows, or does not extend it."""
    if current is None:
        return [f"{CHECKPOINT}: unreadable, so the bundle cannot be compared with the checkpoint you know"]
    if current.size < known.size:
        return [f"{CHECKPOINT}: covers {current.size} records, fewer than the {known.size} of the checkpoint you "
                "know: this bundle is older than one you have seen (replayed or rolled back)"]
    if current.size == known.size:
        return [] if current.root == known.root else [
            f"{CHECKPOINT}: root differs from the checkpoint you know, at the same {known.size} records: the "
            "ledger was rewritten"]
    if history is None:
        return [f"{HISTORY}: missing, so the bundle cannot show it extends the checkpoint you know"]
    same_size = [c for c in history if c.size == known.size]
    if not same_size:
        return [f"{HISTORY}: holds no checkpoint of {known.size} records, so the bundle cannot show it extends the "
                "checkpoint you know"]
    if all(c.root != known.root for c in same_size):
        return [f"{HISTORY}: root differs from the checkpoint you know, at {known.size} records: the ledger was "
                "rewritten since"]
    return []


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        inside = (f"; a bundle written by `ceasefire publish` has {MANIFEST}, {SIGNATURE} and {PUBLIC_KEY}"
                  if path.name in (MANIFEST, SIGNATURE, PUBLIC_KEY) else "")
        raise PublishError(f"{path}: missing. Check the path{inside}.") from None
    except OSError as exc:
        raise PublishError(f"{path}: cannot be read ({exc.strerror}).") from None


def _read_text(path: Path) -> str:
    try:
        return _read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise PublishError(f"{path}: not text (it holds bytes that are not UTF-8); it was damaged or replaced.") \
            from None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise PublishError(f"{path}: not JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); the file was "
                           "cut short or changed.") from None


def _public_key(path: Path) -> bytes:
    pem = _read_bytes(path)
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise PublishError(f"{path}: not an Ed25519 public key in PEM form; it was damaged or replaced.")
    return pem


def _what(exc: Exception) -> str:
    return f"no field {exc}" if isinstance(exc, KeyError) else str(exc) or exc.__class__.__name__


def _review(review: Review | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {k: getattr(review, k) for k in ("action", "verdict", "reason", "reviewer")}


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = ["BundleCheck", "PublishError", "read_checkpoint", "read_trusted_key", "verify_bundle", "write_bundle"]
