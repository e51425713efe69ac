"""An observer's submission, from the web form or the API, becomes a stored report."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import HTTPException, Request

from ceasefire.errors import IntakeError
from ceasefire.intake.observers import observer_report
from ceasefire.web.accounts import User

MAX_ATTACHMENT = 10 * 1024 * 1024
MAX_TEXT = 100_000  # characters


def submit_report(request: Request, user: User, *, text: str, observed_at: str, timezone: str = "",
                  latitude: str | float | None = None, longitude: str | float | None = None,
                  files: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Store the report and its attachments, then let the pipeline process it in the background."""
    if not request.app.state.submit_limit.allow(user.name):
        raise HTTPException(429, "Too many submissions in the last minute. Wait a little and send again; "
                                 "nothing you sent before was lost.", headers={"Retry-After": "60"})
    where = f"observer:{user.name}"
    if len(text) > MAX_TEXT:
        raise IntakeError(where, f"field 'text' is {len(text):,} characters; the limit is {MAX_TEXT:,}")
    attachments = [_attachment(where, f) for f in files or []]
    report = observer_report(user.name, text, _time(where, observed_at, timezone), _coordinate(where, "latitude",
                             latitude), _coordinate(where, "longitude", longitude), attachments)
    store = request.app.state.store
    (report_id,) = store.add_reports([report], [None])
    if report_id is not None:
        store.add_attachments(report.sha256, attachments)
        request.app.state.processor.submitted()
    return {"report_id": report_id, "sha256": report.sha256, "duplicate": report_id is None,
            "attachments": [{"filename": a["filename"], "sha256": a["sha256"], "size": a["size"]}
                            for a in attachments]}


def _time(where: str, value: str, timezone: str) -> dt.datetime:
    value = value.strip()
    if value and timezone and not value.endswith("Z") and "+" not in value[10:] and "-" not in value[10:]:
        value += timezone.strip()
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise IntakeError(where, f"field 'observed_at' must be a time like 2017-01-05T14:00+02:00, got {value[:40]!r}",
                          field="observed_at") from None
    if when.tzinfo is None:
        raise IntakeError(where, "field 'observed_at' needs a UTC offset such as +02:00", field="observed_at")
    if when > dt.datetime.now(dt.UTC) + dt.timedelta(days=1):
        raise IntakeError(where, "field 'observed_at' is in the future; give the time you saw it", field="observed_at")
    return when


def _coordinate(where: str, name: str, value: str | float | None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(value)
    except ValueError:
        raise IntakeError(where, f"field '{name}' must be a number in degrees", field=name) from None


def _attachment(where: str, file: dict[str, Any]) -> dict[str, Any]:
    if file["size"] > MAX_ATTACHMENT:
        raise IntakeError(where, f"attachment {safe_filename(file['filename'])!r} is larger than "
                          f"{MAX_ATTACHMENT // 2**20} MB")
    return file | {"filename": safe_filename(file["filename"]), "content_type": file["content_type"][:128]}


def safe_filename(name: str) -> str:
    """The last part of a name as given, whatever the sender's path separators: never a path."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    cleaned = "".join(c for c in base if c.isprintable()).strip(" .")
    return cleaned[:200] or "attachment"
