"""Signed observer submissions: a JSON Lines item with ``observer`` and ``signature`` fields.

The signature is Ed25519, base64, over the RFC 8785 canonical JSON of the item without its
``signature`` field, made with the key registered for that observer
(`ceasefire observer add NAME --public-key FILE`). A submission whose signature does not
verify is refused and stored nowhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from ceasefire.errors import IntakeError
from ceasefire.ledger import canonical
from ceasefire.ledger.keys import sign, verify_signature
from ceasefire.model import Report, ReportFormat


def claims_observer(report: Report) -> bool:
    return report.format is ReportFormat.JSONL and (b'"observer"' in report.raw or b'"signature"' in report.raw)


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
    try:
        signed = canonical(item)
    except ValueError as exc:  # NaN or Infinity: Python's JSON reader takes them, RFC 8785 cannot sign them
        raise IntakeError(path, f"holds a number canonical JSON cannot represent ({exc}); refused, nothing stored",
                          line=line) from None
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
    if not text.strip():
        raise IntakeError(f"observer:{observer}", "field 'text' is empty; describe what you saw")
    if observed_at.tzinfo is None:
        raise IntakeError(f"observer:{observer}", "field 'observed_at' needs a time zone, e.g. 2017-01-05T14:00+02:00")
    if (latitude is None) != (longitude is None) or not (
            latitude is None or longitude is None or (-90 <= latitude <= 90 and -180 <= longitude <= 180)):
        raise IntakeError(f"observer:{observer}", "fields 'latitude' and 'longitude' must come together, within "
                          "-90..90 and -180..180; click on the map to set them")
    item = {"observer": observer, "text": text, "observed_at": observed_at.isoformat(), "latitude": latitude,
            "longitude": longitude, "attachments": [{"filename": a["filename"], "sha256": a["sha256"]}
                                                    for a in attachments]}
    raw = canonical(item)
    return Report(sha256=hashlib.sha256(raw).hexdigest(), format=ReportFormat.OBSERVER, text=text, raw=raw,
                  published=observed_at, source=observer, origin=f"observer:{observer}")
