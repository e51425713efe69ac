"""Plain text and Markdown, with optional YAML front matter between ``---`` lines."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ceasefire.errors import IntakeError
from ceasefire.intake.metadata import ReportDefaults, check_keys, decode, make_report, read_limited
from ceasefire.model import Report, ReportFormat
from ceasefire.packs.yaml_source import describe_yaml_error, impossible_date_line


def read(stream: BinaryIO, origin: str, defaults: ReportDefaults) -> Iterator[Report | IntakeError]:
    try:
        raw = read_limited(stream, origin)
    except IntakeError as exc:
        yield exc
        return
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
    except MarkedYAMLError as exc:
        line, problem = describe_yaml_error(exc, first_line=2)
        raise IntakeError(origin, f"front matter is not valid YAML: {problem}", line=line) from None
    except YAMLError as exc:
        raise IntakeError(origin, f"front matter is not valid YAML: {exc}", line=2) from None
    except ValueError as exc:  # an impossible date such as 2017-02-30 fails while being built
        raise IntakeError(origin, f"front matter holds an impossible date: {exc}",
                          line=impossible_date_line("".join(lines[1:end]), first_line=2)) from None
    except RecursionError:
        raise IntakeError(origin, "front matter is nested too deeply to read", line=2) from None
    if not isinstance(meta, dict):
        raise IntakeError(origin, "front matter must be 'key: value' lines", line=2)
    return meta, "".join(lines[end + 1:])
