"""Plain text and Markdown, with optional YAML front matter between ``---`` lines."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ceasefire.errors import IntakeError
from ceasefire.intake.metadata import ReportDefaults, check_keys, decode, make_report
from ceasefire.model import Report, ReportFormat


def read(stream: BinaryIO, origin: str, defaults: ReportDefaults) -> Iterator[Report | IntakeError]:
    raw = stream.read()
    try:
        meta, body = split_front_matter(decode(raw, origin), origin)
        check_keys(meta, origin)
        yield make_report(ReportFormat.TEXT, raw=raw, text=body, meta=meta, origin=origin, defaults=defaults)
    except IntakeError as exc:
        yield _with_line(exc, raw)


def _with_line(exc: IntakeError, raw: bytes) -> IntakeError:
    """Point a front-matter field error at the line that sets the field."""
    if exc.field is None or exc.line is not None:
        return exc
    prefix = f"{exc.field}:".encode()
    line = next((n for n, text in enumerate(raw.splitlines(), 1) if text.startswith(prefix)), None)
    return IntakeError(exc.path, exc.reason, line=line, field=exc.field)


def split_front_matter(text: str, origin: str) -> tuple[dict[str, object], str]:
    """``(metadata, body)``; metadata is empty when the text has no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        raise IntakeError(origin, "front matter opened with '---' is never closed; add a '---' line after it",
                          line=1)
    try:
        meta = YAML(typ="safe").load("".join(lines[1:end])) or {}
    except YAMLError as exc:
        # The context mark is where the broken construct starts (e.g. an unclosed quote).
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # +1 for 1-based, +1 for the opening '---'
        what = " ".join(filter(None, (getattr(exc, "context", None), getattr(exc, "problem", None))))
        raise IntakeError(origin, f"front matter is not valid YAML ({what or exc})", line=line) from None
    if not isinstance(meta, dict):
        raise IntakeError(origin, "front matter must be 'key: value' lines", line=2)
    return meta, "".join(lines[end + 1:])
