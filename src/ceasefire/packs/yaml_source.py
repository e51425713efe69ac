"""YAML documents that remember where each value was written, so errors can name the line."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from ceasefire.errors import PackError

Loc = Sequence[str | int]


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file: plain data plus the node tree that knows line numbers."""

    path: Path
    tree: Any

    @property
    def data(self) -> Any:
        return _plain(self.tree)

    def line(self, loc: Loc) -> int:
        """1-based line of the value at ``loc``, or of its nearest ancestor that exists."""
        node, line = self.tree, 1
        for key in loc:
            if isinstance(node, CommentedMap) and key in node:
                line = node.lc.key(key)[0] + 1
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                line = node.lc.item(key)[0] + 1
            else:
                break
            node = node[key]
        return line

    def error(self, loc: Loc, problem: str, fix: str = "") -> PackError:
        return PackError(self.path.name, line=self.line(loc), field=field_name(loc), problem=problem, fix=fix)


def field_name(loc: Loc) -> str:
    """``("clauses", 2, "rule")`` -> ``clauses[2].rule``."""
    name = ""
    for key in loc:
        name += f"[{key}]" if isinstance(key, int) else (f".{key}" if name else str(key))
    return name


def read_yaml(path: Path) -> YamlDocument:
    """Parse one YAML file, turning syntax errors into a PackError that names the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError(path.name, problem="is missing", fix=f"create {path}") from None
    except UnicodeDecodeError as exc:
        raise PackError(path.name, problem=f"is not UTF-8 ({exc.reason})", fix="save it as UTF-8") from exc
    try:
        tree = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        line, problem = describe_yaml_error(exc)
        raise PackError(path.name, line=line, problem=f"is not valid YAML: {problem}",
                        fix="fix the syntax on that line") from exc
    except ReaderError as exc:  # a control character or invalid code point
        raise PackError(path.name, line=text.count("\n", 0, exc.position) + 1,
                        problem=f"holds the character U+{exc.character:04X}, which YAML does not allow",
                        fix="remove it; is the file binary or compressed?") from exc
    except YAMLError as exc:
        raise PackError(path.name, problem=f"is not valid YAML: {exc}", fix="fix the syntax") from exc
    except ValueError as exc:  # an impossible date such as 2017-02-30 fails while being built
        raise PackError(path.name, line=impossible_date_line(text), problem=f"holds an impossible date: {exc}",
                        fix="correct the date") from exc
    except RecursionError:
        raise PackError(path.name, problem="is nested too deeply to read", fix="flatten it") from None
    return YamlDocument(path, tree)


_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def impossible_date_line(text: str, first_line: int = 1) -> int | None:
    """The line of the first YYYY-MM-DD that is not a real date (YAML fails on those without a line)."""
    for number, line in enumerate(text.splitlines(), first_line):
        for match in _DATE.finditer(line):
            try:
                dt.date(*map(int, match.groups()))
            except ValueError:
                return number
    return None


def describe_yaml_error(exc: MarkedYAMLError, first_line: int = 1) -> tuple[int | None, str]:
    """The line where the parser gave up, and what it was parsing since which line.

    ``first_line`` is the file line of the YAML text's first line (front matter starts at 2).
    """
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark else None
    problem = str(exc.problem or "syntax error")
    if exc.context and exc.context_mark:
        problem = f"{exc.context} (from line {exc.context_mark.line + first_line}), {problem}"
    return line, problem


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
