"""A published bundle: everything a reader needs to check the findings offline, with no
database. ``manifest.json`` lists the SHA-256 of every file and the ledger checkpoint the
findings rest on; ``manifest.sig`` is the monitoring body's Ed25519 signature over it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ceasefire.errors import PublishError
from ceasefire.ledger import canonical
from ceasefire.ledger.keys import public_pem, sign, verify_signature
from ceasefire.model import AgreementPack, Assessment
from ceasefire.publish.exports import write_acled_csv, write_geojson
from ceasefire.store import StoredIncident

MANIFEST, SIGNATURE, PUBLIC_KEY = "manifest.json", "manifest.sig", "public-key.pem"


def write_bundle(out: Path, incidents: list[StoredIncident], assessments: dict[str, list[Assessment]],
                 checkpoint: dict[str, Any], pack: AgreementPack, key: Ed25519PrivateKey, signer: str) -> list[str]:
    """Write the bundle's files and its signed manifest; returns the file names."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "incidents.geojson").open("w", encoding="utf-8") as handle:
        write_geojson(incidents, handle)
    with (out / "events-acled.csv").open("w", encoding="utf-8", newline="") as handle:
        write_acled_csv(incidents, pack, handle)
    findings = [{"incident": s.incident.id, "verdict": s.verdict, "automatic_verdict": s.automatic,
                 "review": _review(s.review), "reports": sorted({r.report_sha256 for r in s.incident.claims}),
                 "assessments": [a.model_dump(mode="json") for a in assessments.get(s.incident.id, [])]}
                for s in incidents]
    _write_json(out / "assessments.json", findings)
    _write_json(out / "checkpoint.json", {k: checkpoint[k] for k in (
        "size", "root", "at", "signer", "public_key", "signature")})
    (out / PUBLIC_KEY).write_bytes(public_pem(key))
    names = ["incidents.geojson", "events-acled.csv", "assessments.json", "checkpoint.json", PUBLIC_KEY]
    manifest = {"agreement": pack.agreement.id, "signer": signer, "checkpoint": {
        "size": checkpoint["size"], "root": checkpoint["root"]}, "files": {n: _sha256(out / n) for n in names}}
    _write_json(out / MANIFEST, manifest)
    (out / SIGNATURE).write_text(sign(key, canonical(manifest)) + "\n")
    return [*names, MANIFEST, SIGNATURE]


@dataclass
class BundleCheck:
    """What verify_bundle found: each problem names the file it concerns."""

    files: int = 0
    problems: list[str] = field(default_factory=list)


def verify_bundle(folder: Path, trusted_key: bytes | None = None) -> BundleCheck:
    """Check a bundle offline: the manifest's signature, every file's hash, the checkpoint's signature.

    Args:
        folder: the bundle.
        trusted_key: the monitoring body's public key (PEM) obtained elsewhere; without it the
            key inside the bundle is used, which proves integrity but not who signed.
    """
    check = BundleCheck()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        signature = (folder / SIGNATURE).read_text().strip()
        key = trusted_key or (folder / PUBLIC_KEY).read_bytes()
    except (OSError, ValueError) as exc:
        raise PublishError(f"{folder} is not a readable bundle ({exc}); it needs {MANIFEST}, {SIGNATURE} and "
                           f"{PUBLIC_KEY}.") from exc
    if not verify_signature(key, canonical(manifest), signature):
        check.problems.append(f"{MANIFEST}: the signature does not match (the manifest was changed, or signed "
                              "with another key)")
    for name, expected in sorted(manifest.get("files", {}).items()):
        path = folder / name
        if not path.is_file():
            check.problems.append(f"{name}: missing")
        elif _sha256(path) != expected:
            check.problems.append(f"{name}: changed since it was published (SHA-256 differs)")
        check.files += 1
    check.problems += _checkpoint_problems(folder, manifest)
    return check


def _checkpoint_problems(folder: Path, manifest: dict[str, Any]) -> list[str]:
    try:
        checkpoint = json.loads((folder / "checkpoint.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["checkpoint.json: missing or not JSON"]
    statement = canonical({k: checkpoint[k] for k in ("size", "root", "at", "signer")})
    problems = []
    if not verify_signature(checkpoint["public_key"].encode(), statement, checkpoint["signature"]):
        problems.append("checkpoint.json: the checkpoint's signature does not match")
    if {"size": checkpoint["size"], "root": checkpoint["root"]} != manifest.get("checkpoint"):
        problems.append("checkpoint.json: does not match the checkpoint named in the manifest")
    return problems


def _review(review: dict[str, Any] | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {k: review[k] for k in ("action", "verdict", "reason", "reviewer")}


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = ["BundleCheck", "PublishError", "verify_bundle", "write_bundle"]
