"""Storage: the only place that knows SQL. SQLite file by default, PostgreSQL by URL.

:class:`Store` is the one object callers use. It is composed of one class per aggregate, each in
its own module: reports, claims, incidents (with the map's and the counts' reads), reviews,
accounts, evidence (captures, attachments, observers), gazetteer, checkpoints, agreements,
archive partitions, the sources `watch` follows, subscriptions (with incident changes, alerts,
deliveries) and schedules; engine.py opens the database and its transactions; ledger.py is the one
writer of the ledger.
"""

from __future__ import annotations

from ceasefire.store.accounts import Accounts
from ceasefire.store.agreements import Agreement, Agreements, PackSignature
from ceasefire.store.bulk import ArchivePartitions
from ceasefire.store.checkpoints import Checkpoints
from ceasefire.store.claims import Claims, StoredClaim, _claim_row
from ceasefire.store.engine import DEFAULT_DB, WRITER_LOCK, database_url, sqlite_file
from ceasefire.store.evidence import Attachment, AttachmentFile, Evidence, StoredCapture
from ceasefire.store.gazetteer import Gazetteer, GazetteerPlace
from ceasefire.store.incidents import IncidentPoint, Incidents, StoredIncident, _incident_row
from ceasefire.store.integrity import Integrity
from ceasefire.store.ledger import Ledger
from ceasefire.store.objects import report_object
from ceasefire.store.reports import Rejection, Reports
from ceasefire.store.reviews import Review, Reviewer, Reviews
from ceasefire.store.schedules import Schedules
from ceasefire.store.sources import Sources
from ceasefire.store.subscriptions import Subscriptions
from ceasefire.store.tallies import Tallies, TallyFigure, TallyRow


class Store(Reports, Claims, Incidents, Reviews, Accounts, Evidence, Gazetteer, Checkpoints, Agreements,
            ArchivePartitions, Ledger, Integrity, Sources, Subscriptions, Schedules, Tallies):
    """A ceasefire database. Open with :meth:`open` (migrates to the latest schema)."""


__all__ = [
    "DEFAULT_DB", "WRITER_LOCK", "Agreement", "Attachment", "AttachmentFile", "GazetteerPlace", "IncidentPoint",
    "PackSignature", "Rejection", "Review", "Reviewer", "Store", "StoredCapture", "StoredClaim", "StoredIncident",
    "TallyFigure", "TallyRow",
    "_claim_row", "_incident_row", "database_url", "report_object", "sqlite_file",
]
