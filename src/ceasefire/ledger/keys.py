"""Ed25519 keys for the monitoring body (and, later, observers and parties): PEM files, the
private one readable by its owner only and optionally encrypted with a passphrase."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ceasefire.errors import LedgerError


def new_key(name: str, folder: Path, passphrase: str | None = None) -> tuple[Path, Path]:
    """Write NAME.key (mode 0600) and NAME.pub in ``folder``; refuse to overwrite a key.

    Raises:
        LedgerError: a key of that name is already there.
    """
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = folder / f"{name}.key", folder / f"{name}.pub"
    if private_path.exists() or public_path.exists():
        raise LedgerError(f"{private_path} already exists; choose another name or move the old key away.")
    key = Ed25519PrivateKey.generate()
    encryption = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
                  else serialization.NoEncryption())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    public_path.write_bytes(public_pem(key))
    return private_path, public_path


def load_private(path: Path, passphrase: str | None = None) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), passphrase.encode() if passphrase else None)
    except FileNotFoundError:
        raise LedgerError(f"No key at {path}. Make one with `ceasefire keys new NAME`.") from None
    except (TypeError, ValueError) as exc:
        raise LedgerError(f"Cannot read the key {path}: {exc}. If it has a passphrase, set "
                          "CEASEFIRE_KEY_PASSPHRASE.") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise LedgerError(f"{path} is not an Ed25519 key.")
    return key


def public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data)).decode()


def verify_signature(public: bytes, data: bytes, signature: str) -> bool:
    key = serialization.load_pem_public_key(public)
    if not isinstance(key, Ed25519PublicKey):
        return False
    try:
        key.verify(base64.b64decode(signature), data)
        return True
    except (InvalidSignature, ValueError):
        return False
