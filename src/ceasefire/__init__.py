"""ceasefire: ceasefire monitoring and verification.

Reports -> claims -> incidents -> assessments, every finding traceable to its words and source.
The public API is small; the CLI (``ceasefire``) is a thin layer over it.
"""

from ceasefire.errors import CeasefireError, IntakeError, NotFound, PackError, PackNotFound, StoreError
from ceasefire.intake import ReportDefaults
from ceasefire.model import AgreementPack, Report, StoredReport
from ceasefire.packs import check_pack, load_pack
from ceasefire.pipeline import IngestResult, ingest
from ceasefire.store import Store

__all__ = [
    "AgreementPack",
    "CeasefireError",
    "IngestResult",
    "IntakeError",
    "NotFound",
    "PackError",
    "PackNotFound",
    "Report",
    "ReportDefaults",
    "Store",
    "StoreError",
    "StoredReport",
    "check_pack",
    "ingest",
    "load_pack",
]
