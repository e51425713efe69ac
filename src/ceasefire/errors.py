"""Errors raised by ceasefire. Each message says what went wrong, where, and what to do.

Every error class, with the HTTP status the web layer answers it with. Those defined beside the
code that raises them name their module; tests/test_errors.py fails when one is missing here.

    CeasefireError          500  base of every error ceasefire raises on purpose
    ├── PackError           422  an agreement pack file is missing or invalid (file, line, field)
    │   └── PackNotFound    404  no pack folder and no bundled pack by that id
    ├── IntakeError         422  one input item cannot become a report (file, line, reason)
    ├── SourceError         422  a source to watch is not acceptable (its URL, kind or interval)
    ├── FetchRefused        502  a source, page or item cannot be fetched, or its answer is refused
    ├── ExtractError        500  claims cannot be extracted (e.g. the language model is missing)
    ├── StoreError          503  the database cannot be opened, migrated or queried
    │   ├── NotFound        404  no stored object has the given id
    │   ├── QueryTimeout    503  store/query.py: a read ran past its time limit and was stopped
    │   └── QueryCancelled  503  store/query.py: a read was stopped because its client went away
    ├── BadQuery            422  store/incident_query.py: a filter names something the pack does not know
    ├── LedgerError         500  the ledger cannot be appended to or does not verify
    ├── ReviewRefused       403  adjudicate/review.py: the reviewer has an unjustified conflict of interest
    ├── PublishError        500  an output cannot be written
    ├── ClusterError        400  scale/cluster.py: the --cluster given cannot be parsed or reached
    ├── BadFilter           422  web/views.py: a query parameter of a page or the API is malformed or unknown
    ├── SubscriptionError   422  monitor/subscriptions.py: a subscription's filter or delivery address is unusable
    ├── ScheduleError       422  monitor/schedules.py: a schedule's time, zone, format or key is unusable
    └── AccountError        422  web/accounts.py: a user name, role or password is not acceptable
        ├── UnknownUser     404  web/accounts.py: no account has this name
        └── SignInBusy      429  web/accounts.py: every password check is taken; try again shortly

The CLI catches ``CeasefireError`` once and prints its message; the web layer maps
``status`` to an HTTP status.
"""

from __future__ import annotations

from pathlib import Path


class CeasefireError(Exception):
    """Base of every error ceasefire raises on purpose."""

    status = 500


def _where(path: Path | str, line: int | None) -> str:
    return f"{path}:{line}" if line else f"{path}"


class PackError(CeasefireError):
    """An agreement pack file is invalid: names the file, line and field, and the fix."""

    status = 422

    def __init__(
        self,
        path: Path | str,
        *,
        line: int | None = None,
        field: str = "",
        problem: str,
        fix: str = "",
    ) -> None:
        self.path, self.line, self.field, self.problem, self.fix = path, line, field, problem, fix
        subject = f"{field} {problem}" if field else problem
        message = f"{_where(path, line)}: {subject}."
        if fix:
            message += f" {fix[0].upper()}{fix[1:]}."
        super().__init__(message)


class PackNotFound(PackError):
    """No pack at the given path and no bundled pack with the given id."""

    status = 404

    def __init__(self, ref: str, bundled: list[str]) -> None:
        super().__init__(
            ref,
            problem="is neither a pack folder nor a bundled pack id",
            fix=f"pass a folder holding agreement.yaml, or one of: {', '.join(bundled)}",
        )


class IntakeError(CeasefireError):
    """One input item cannot become a report; the rest of its batch is unaffected."""

    status = 422

    def __init__(self, path: Path | str, reason: str, *, line: int | None = None, field: str | None = None) -> None:
        self.path, self.line, self.reason, self.field = str(path), line, reason, field
        super().__init__(f"{self.origin}: {reason}")

    @property
    def origin(self) -> str:
        return _where(self.path, self.line)


class SourceError(CeasefireError):
    """A source to watch is not acceptable: its URL, kind or interval."""

    status = 422


class FetchRefused(CeasefireError):
    """A URL `watch` fetches cannot be fetched or its answer is refused; ``transient`` when a later
    try may succeed (a timeout, HTTP 5xx), ``status`` the HTTP status when the server answered."""

    status = 502

    def __init__(self, url: str, reason: str, *, transient: bool = False, status: int | None = None) -> None:
        self.url, self.reason, self.transient, self.http_status = url, reason, transient, status
        super().__init__(f"{url}: {reason}")


class StoreError(CeasefireError):
    """The database cannot be opened, migrated or queried."""

    status = 503


class NotFound(StoreError):
    """No stored object has the given id."""

    status = 404


class ExtractError(CeasefireError):
    """Claims cannot be extracted (e.g. the language model is not installed)."""


class LedgerError(CeasefireError):
    """The ledger cannot be appended to or does not verify."""


class PublishError(CeasefireError):
    """An output cannot be written."""
