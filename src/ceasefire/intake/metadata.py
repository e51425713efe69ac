"""Report metadata shared by every intake format: validation, defaults, and the Report itself."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, BinaryIO, TypeVar

import charset_normalizer
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from ceasefire.errors import IntakeError
from ceasefire.model import Report, ReportFormat

META_FIELDS = ("title", "url", "published", "source", "author", "language")
# Size limits, so one oversized item cannot exhaust memory or the extractor. A report is one
# text/HTML file, feed item, JSON line or CSV row; MAX_TEXT_CHARS is spaCy's default max_length.
MAX_REPORT_BYTES = 20 * 1024 * 1024
MAX_FILE_BYTES = 200 * 1024 * 1024  # a feed file, which is parsed whole
MAX_TEXT_CHARS = 1_000_000
MAX_LINE_CHARS = 100_000
# The years a date may have, on every path a date comes in (files, feeds, coded data, observers, the
# web API): outside them it is a typo or junk, and dates near years 1 and 9999 break date arithmetic.
YEARS = (1900, 2100)
When = TypeVar("When", bound=dt.date)


@dataclass(frozen=True)
class ReportDefaults:
    """Metadata applied to items that do not carry their own (``ingest --published ...``)."""

    published: dt.datetime | None = None
    source: str | None = None
    language: str | None = None


class ReportMeta(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: str | None = None
    url: str | None = None
    published: dt.datetime | None = None
    source: str | None = None
    author: str | None = None
    language: str | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str | None) -> str | None:
        if url and not url.startswith(("http://", "https://")):
            raise ValueError(f"expected an http(s) URL, got {url[:80]!r}")
        return url or None

    @field_validator("published", mode="before")
    @classmethod
    def _any_timestamp(cls, value: Any) -> Any:
        return parse_timestamp(value) if value not in (None, "") else None


def parse_timestamp(value: Any) -> dt.datetime:
    """ISO 8601 date or datetime, or RFC 822 (feeds), as an aware datetime (UTC if none given)."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        parsed = _parse_string(value.strip())
    else:
        raise ValueError(f"expected a date or time, got {type(value).__name__}")
    check_year(parsed)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def check_year(when: dt.date) -> None:
    """The one date check of intake: every date that comes in, on any path, goes through it.

    Raises:
        ValueError: the year is outside YEARS; callers name the field.
    """
    if not YEARS[0] <= when.year <= YEARS[1]:
        raise ValueError(f"the year {when.year} is outside {YEARS[0]}..{YEARS[1]}; check the date")


def checked_date(when: When, origin: str, field: str, line: int | None = None) -> When:
    """``when`` itself when ``check_year`` passes it.

    Raises:
        IntakeError: naming the field and the accepted years.
    """
    try:
        check_year(when)
    except ValueError as exc:
        raise IntakeError(origin, f"field {field!r}: {exc}", line=line, field=field) from None
    return when


def _parse_string(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        raise ValueError(f"expected an ISO 8601 date such as 2017-01-25T14:00:00+02:00, got {text[:60]!r}") from None


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def decode(raw: bytes, origin: str) -> str:
    """Text from bytes: UTF-8 first, then the detected encoding (e.g. Windows-1256 Arabic)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(raw).best()
        if best is None:
            raise IntakeError(origin, "is neither UTF-8 nor an encoding that could be detected; "
                              "save it as UTF-8") from None
        return str(best)


def read_limited(stream: BinaryIO, origin: str, limit: int = MAX_REPORT_BYTES) -> bytes:
    """The whole stream, refused when longer than ``limit`` bytes (read no further than that)."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise IntakeError(origin, f"is larger than the limit of {limit:,} bytes; split it into smaller files")
    return raw


def read_line(stream: BinaryIO, limit: int) -> bytes | None:
    """The next line (b"" at the end), or None for a line longer than ``limit`` bytes: it is read
    no further than that at once and skipped to its end, so one endless line costs no memory."""
    line = stream.readline(limit + 1)
    if len(line) <= limit or line.endswith(b"\n"):
        return line
    while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
        pass
    return None


def check_size(text: str, origin: str, line: int | None = None) -> None:
    """Refuse a report text longer than MAX_TEXT_CHARS or with a line longer than MAX_LINE_CHARS."""
    if len(text) > MAX_TEXT_CHARS:
        raise IntakeError(origin, f"has {len(text):,} characters of text, over the limit of {MAX_TEXT_CHARS:,}; "
                          "split it into several reports", line=line)
    longest = max(map(len, text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        raise IntakeError(origin, f"has a line of {longest:,} characters, over the limit of {MAX_LINE_CHARS:,}; "
                          "is it binary data or text without line breaks?", line=line)


# NUL cannot be stored in PostgreSQL text or JSON; a lone surrogate cannot be encoded at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def check_storable(values: Mapping[str, Any], origin: str, line: int | None = None) -> None:
    """Refuse a field holding a NUL character or a lone UTF-16 surrogate (e.g. JSON "\\ud800")."""
    for field, value in values.items():
        if isinstance(value, str) and (found := _UNSTORABLE.search(value)):
            raise IntakeError(origin, f"field {field!r} holds the character U+{ord(found.group()):04X} at "
                              f"position {found.start()}, which cannot be stored; remove it", line=line, field=field)


def check_keys(meta: dict[str, Any], origin: str, allowed: tuple[str, ...] = META_FIELDS,
               line: int | None = None) -> None:
    """Reject a key that looks like a misspelt field, so a typo does not silently drop a date."""
    for key in meta:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.8)
        if close:
            raise IntakeError(origin, f"unknown field {key!r}; did you mean {close[0]!r}?", line=line, field=key)


def make_report(
    fmt: ReportFormat,
    *,
    raw: bytes,
    text: str,
    meta: dict[str, Any],
    origin: str,
    defaults: ReportDefaults,
    line: int | None = None,
    structured: dict[str, Any] | None = None,
) -> Report:
    """Validate one item's metadata and text into a Report.

    Raises:
        IntakeError: naming the field that is wrong and what was expected.
    """
    try:
        checked = ReportMeta.model_validate(meta)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise IntakeError(origin, f"field {field!r}: {err['msg'].removeprefix('Value error, ')}",
                          line=line, field=field) from None
    text = text.strip()
    if not text:
        raise IntakeError(origin, "has no text; a report needs the words it reports", line=line)
    check_size(text, origin, line)
    check_storable(checked.model_dump() | {"text": text} | (structured or {}), origin, line)
    return Report(
        sha256=sha256(raw),
        format=fmt,
        text=text,
        title=checked.title,
        url=checked.url,
        published=checked.published or defaults.published,
        source=checked.source or defaults.source,
        author=checked.author,
        language=checked.language or defaults.language,
        origin=f"{origin}:{line}" if line else origin,
        structured=structured,
        raw=raw,
    )
