"""What the public must not learn about the observers behind an incident.

In a conflict zone an observer's account name, or the minute they reported, can put them at
risk. The public sees "observer report" and the day; analysts see everything. A report's
SHA-256 is withheld too: it hashes the observer's name with the text the public can read, so
anyone with a list of candidate names could test them against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from ceasefire.model import Incident, ReportFormat, StoredReport

WITHHELD = "withheld"
OBSERVER_REPORT = "observer report"
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Redaction:
    """The observers' names (in the order the incident's origins give them) and their reports' hashes."""

    names: tuple[str, ...] = ()
    hashes: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, incident: Incident, reports: Iterable[StoredReport]) -> Redaction:
        observed = [r for r in reports if r.format is ReportFormat.OBSERVER]
        names = [o.key.removeprefix("observer:") for o in incident.origins if o.key.startswith("observer:")]
        names += [r.source for r in observed if r.source]
        return cls(tuple(dict.fromkeys(names)), frozenset(r.sha256 for r in observed))

    def hides(self, report: StoredReport) -> bool:
        return report.sha256 in self.hashes

    def text(self, value: str) -> str:
        """The text with each observer named only as "observer report" (keys: "observer:1", ...)."""
        if value in self.hashes:
            return WITHHELD
        for number, name in enumerate(self.names, 1):
            value = re.sub(rf"observer:{re.escape(name)}(?![\w-])", f"observer:{number}", value)
            value = re.sub(rf"observer {re.escape(name)}(?![\w-])", OBSERVER_REPORT, value)
        return value

    def json(self, value: Any) -> Any:
        """A JSON value with :meth:`text` applied to every string in it."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(v) for v in value]
        return value

    def model(self, value: Model) -> Model:
        """A copy of a model (incident, claim, assessment) with the observers hidden."""
        if not self.names and not self.hashes:
            return value
        return type(value).model_validate(self.json(value.model_dump(mode="json")))
