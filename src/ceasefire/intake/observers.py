"""Signed observer submissions: a JSON Lines item with ``observer`` and ``signature`` fields.

The signature is Ed25519, base64, over the RFC 8785 canonical JSON of the item without its
``signature`` field, made with the key registered for that observer
(`ceasefire observer add NAME --public-key FILE`). A submission whose signature does not
verify is refused and stored nowhere.

A line is read as JSON before anything else, so a field counts however it is written (an
escaped key such as ``"\u006fbserver"`` is ``observer``), and a submission is stored as its
canonical JSON, so the same signed object written with other key order, spacing or escapes
is the same report, stored once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from ceasefire.errors import IntakeError
from ceasefire.intake.metadata import check_storable, checked_date
from ceasefire.ledger import canonical
from ceasefire.ledger.keys import sign, verify_signature
from ceasefire.model import Report, ReportFormat

SIGNED_FIELDS = frozenset({"observer", "signature"})


def is_submission(item: dict[str, Any]) -> bool:
    """True when a JSON object read from a line has an ``observer`` or ``signature`` field."""
    return not SIGNED_FIELDS.isdisjoint(item)


def canonical_submission(item: dict[str, Any], origin: str, line: int | None = None) -> bytes:
    """The bytes a submission is stored and deduplicated as: its RFC 8785 canonical JSON.

    Raises:
        IntakeError: a value canonical JSON cannot represent (NaN, a huge integer, a lone surrogate).
    """
    try:
        return canonical(item)
    except ValueError as exc:
        raise IntakeError(origin, f"holds a value canonical JSON cannot represent ({exc}); refused, nothing "
                          "stored", line=line) from None


def claims_observer(report: Report) -> bool:
    """True for a JSON Lines report whose object has an ``observer`` or ``signature`` field."""
    if report.format is not ReportFormat.JSONL:
        return False
    item = json.loads(report.raw)
    return isinstance(item, dict) and is_submission(item)


def check_observer(report: Report, keys: dict[str, str]) -> Report:
    """The report as an observer's, when its signature verifies.

    Raises:
        IntakeError: unsigned, unknown observer, or a signature that does not verify.
    """
    item: dict[str, Any] = json.loads(report.raw)
    name, signature = item.get("observer"), item.pop("signature", None)
    where = report.origin.rsplit(":", 1)
    path, line = (where[0], int(where[1])) if len(where) == 2 and where[1].isdigit() else (report.origin, None)
    if not name or not signature or not isinstance(name, str) or not isinstance(signature, str):
        raise IntakeError(path, "an observer submission needs both 'observer' and 'signature', as strings; "
                          "refused, nothing stored", line=line)
    if name not in keys:
        raise IntakeError(path, f"observer {name!r} is not registered; register their public key with "
                          f"`ceasefire observer add {name} --public-key FILE`; refused, nothing stored", line=line)
    signed = canonical_submission(item, path, line)
    try:
        verified = verify_signature(keys[name].encode(), signed, signature)
    except ValueError:
        raise IntakeError(path, f"observer {name!r}'s registered public key is not a PEM key; register it again "
                          f"with `ceasefire observer add {name} --public-key FILE`; refused, nothing stored",
                          line=line) from None
    if not verified:
        raise IntakeError(path, f"the signature does not verify with observer {name!r}'s registered key: the "
                          "text or its fields were changed, or another key signed it; refused, nothing stored",
                          line=line)
    return report.model_copy(update={"format": ReportFormat.OBSERVER, "source": name})


def signed_line(item: dict[str, Any], key: Any) -> str:
    """A submission line signed with an observer's private key (for observers' tools and tests)."""
    return json.dumps(item | {"signature": sign(key, canonical(item))}, ensure_ascii=False)


def observer_report(observer: str, text: str, observed_at: dt.datetime, latitude: float | None,
                    longitude: float | None, attachments: list[dict[str, Any]]) -> Report:
    """A report submitted through the web form or API by a signed-in observer.

    Its raw bytes are the canonical JSON of everything submitted (attachments by SHA-256), so
    the ledger's hash of the report covers the place clicked and every file attached.
    """
    where = f"observer:{observer}"
    if not text.strip():
        raise IntakeError(where, "field 'text' is empty; describe what you saw", field="text")
    check_storable({"text": text}, where)  # the same rule as for files: NUL cannot be stored in PostgreSQL
    if observed_at.tzinfo is None:
        raise IntakeError(where, "field 'observed_at' needs a time zone, e.g. 2017-01-05T14:00+02:00",
                          field="observed_at")
    checked_date(observed_at, where, "observed_at")
    if (latitude is None) != (longitude is None) or not (
            latitude is None or longitude is None or (-90 <= latitude <= 90 and -180 <= longitude <= 180)):
        raise IntakeError(where, "fields 'latitude' and 'longitude' must come together, within "
                          "-90..90 and -180..180; click on the map to set them", field="latitude")
    item = {"observer": observer, "text": text, "observed_at": observed_at.isoformat(), "latitude": latitude,
            "longitude": longitude, "attachments": [{"filename": a["filename"], "sha256": a["sha256"]}
                                                    for a in attachments]}
    raw = canonical(item)
    return Report(sha256=hashlib.sha256(raw).hexdigest(), format=ReportFormat.OBSERVER, text=text, raw=raw,
                  published=observed_at, source=observer, origin=where)
