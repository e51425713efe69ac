"""SQLAlchemy table definitions. Alembic migrations in ``migrations/`` create them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware datetimes stored as UTC; SQLite would otherwise drop the offset."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        return value.replace(tzinfo=dt.UTC) if value is not None else None


metadata = MetaData()

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("format", String(16), nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("published", UTCDateTime, index=True),
    Column("source", Text),
    Column("source_id", String(64), index=True),
    Column("author", Text),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("structured", JSON),
    Column("raw", LargeBinary, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("agreement_id", String(64), index=True),  # the agreement it was ingested for, whose pack extracts it (0017)
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("origin", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

agreements = Table(
    "agreements",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("pack_path", Text, nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id"), nullable=False, index=True),
    Column("idx", Integer, nullable=False),
    Column("kind", String(16), nullable=False, index=True),
    Column("event_type", String(64)),
    Column("sub_event_type", String(64)),
    Column("earliest", Date, index=True),
    Column("latest", Date),
    Column("time_precision", Integer),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("area_id", String(64)),
    Column("fatalities", Integer),
    Column("payload", JSON, nullable=False),
    UniqueConstraint("report_id", "idx", name="uq_claims_report_idx"),
)

extractions = Table(
    "extractions",
    metadata,
    Column("report_id", Integer, ForeignKey("reports.id"), primary_key=True),
    Column("extractor", String(64), nullable=False, index=True),
    Column("claims", Integer, nullable=False),
    Column("extracted_at", UTCDateTime, nullable=False),
)

gazetteer = Table(
    "gazetteer",
    metadata,
    Column("geonames_id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("names", Text, nullable=False),  # alternate names, one per line
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("feature_class", String(1), nullable=False),
    Column("feature_code", String(10), nullable=False),
    Column("country", String(2), nullable=False, index=True),
    Column("admin1_code", String(20), nullable=False),
    Column("population", BigInteger, nullable=False),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("event_type", String(64)),
    Column("sub_event_type", String(64)),
    Column("earliest", Date, nullable=False),  # indexed first in ix_incidents_map
    Column("latest", Date, nullable=False),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("admin1", Text),
    Column("area_id", String(64)),
    Column("corroboration", Integer, nullable=False),
    Column("verdict", String(20), index=True),  # the automatic overall verdict
    Column("confidence", Float),
    Column("payload", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("place_name", Text),
    Column("perpetrator", Text),  # a pack actor id, or the words naming one the pack does not know
)

incident_claims = Table(
    "incident_claims",
    metadata,
    Column("report_sha256", String(64), primary_key=True),
    Column("claim_idx", Integer, primary_key=True),
    Column("incident_id", String(16), ForeignKey("incidents.id"), nullable=False, index=True),
)

# Every pack actor an incident names, in any role: what the web's actor and party filters
# look up in SQL. Derived from the incident's payload whenever incidents are saved (0016).
incident_actors = Table(
    "incident_actors",
    metadata,
    Column("actor_id", String(64), primary_key=True),
    Column("incident_id", String(16), ForeignKey("incidents.id"), primary_key=True, index=True),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", String(16), ForeignKey("incidents.id"), nullable=False, index=True),
    Column("clause_id", String(32)),
    Column("reading_id", String(32)),
    Column("verdict", String(20), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("agreement_id", String(64)),  # copied from the payload (0017)
)

reviewers = Table(
    "reviewers",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("affiliation", String(64)),
    Column("admin", Boolean, nullable=False),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", String(16), nullable=False, index=True),
    Column("action", String(10), nullable=False),  # confirm | override
    Column("verdict", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("reviewer", String(64), nullable=False),
    Column("justification", Text),  # an admin's reason for letting a conflicted reviewer decide
    Column("justified_by", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
)

ledger = Table(
    "ledger",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),
    Column("key", String(64), nullable=False),
    Column("object_hash", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("at", Text, nullable=False),  # the ISO time inside the hashed record
    Column("recorded_at", UTCDateTime, nullable=False),
)

checkpoints = Table(
    "checkpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("size", Integer, nullable=False),  # records covered
    Column("root", String(64), nullable=False),  # Merkle root (hex) of those records' hashes
    Column("at", Text, nullable=False),
    Column("signer", Text, nullable=False),
    Column("public_key", Text, nullable=False),
    Column("signature", Text, nullable=False),  # Ed25519 over the canonical {size, root, at, signer}
    Column("previous_size", Integer),
    Column("proof", JSON),  # consistency proof (hex hashes) from the previous checkpoint
)

captures = Table(
    "captures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("final_url", Text, nullable=False),  # after redirects
    Column("status", Integer, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("raw", LargeBinary, nullable=False),  # the response body exactly as received
    Column("raw_sha256", String(64), nullable=False),
    Column("text_sha256", String(64)),  # of the extracted text; None when no article text was found
    Column("report_sha256", String(64)),  # the report ingested from it
    Column("captured_at", UTCDateTime, nullable=False),
)

observers = Table(
    "observers",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("public_key", Text, nullable=False),  # Ed25519, PEM
    Column("registered_at", UTCDateTime, nullable=False),
)

pack_signatures = Table(
    "pack_signatures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agreement_id", String(64), nullable=False),
    Column("pack_sha256", String(64), nullable=False),  # hash of the pack's text (canonical JSON)
    Column("party", String(64), nullable=False),
    Column("public_key", Text, nullable=False),
    Column("signature", Text, nullable=False),
    Column("signed_at", UTCDateTime, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),  # observer | analyst | admin
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("created_at", UTCDateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_sha256", String(64), primary_key=True),  # the token itself is shown once and never stored
    Column("user", String(64), ForeignKey("users.name"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_sha256", String(64), primary_key=True),  # the id itself lives only in the signed cookie
    Column("user", String(64), ForeignKey("users.name"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("report_sha256", String(64), nullable=False, index=True),
    Column("filename", Text, nullable=False),  # as the observer named it; never used as a path
    Column("content_type", String(128), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

archive_partitions = Table(
    "archive_partitions",
    metadata,
    Column("id", String(32), primary_key=True),  # scale.archive.Partition.id: what the slice holds
    Column("extractor", String(64), primary_key=True),  # claims of this extractor version were loaded
    Column("source", Text, nullable=False),
    Column("reports", Integer, nullable=False),
    Column("loaded_at", UTCDateTime, nullable=False),
)

# Sources `ceasefire watch` follows (0018): operator state, not evidence. What a poll brings in is
# kept as captures and reports, which are ledgered.
sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", String(8), nullable=False),  # rss | atom | page | jsonl
    Column("every_seconds", Integer, nullable=False),
    Column("pack_id", String(64)),  # the agreement pack it was added for
    Column("pack_source", String(64)),  # the pack's source id, given to the reports it brings
    Column("added_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False, index=True),
    Column("etag", Text),  # validators of the last full answer, for conditional GET
    Column("last_modified", Text),
    Column("last_fetch_at", UTCDateTime),
    Column("last_outcome", Text),  # "200: 3 new items", "304: not modified", "refused: ..."
    Column("consecutive_failures", Integer, nullable=False),
    Column("unhealthy_since", UTCDateTime),
)

source_items = Table(
    "source_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, nullable=False),
    Column("key", String(64), nullable=False),  # SHA-256 of the item's link (or of its bytes without one)
    Column("url", Text),  # the article page to capture
    Column("title", Text),
    Column("published", UTCDateTime),
    Column("payload", LargeBinary),  # the item as the source gave it (a feed entry's XML)
    Column("state", String(8), nullable=False),  # pending | done | refused
    Column("attempts", Integer, nullable=False),
    Column("tried_at", UTCDateTime),  # the last attempt that failed and may be tried again
    Column("capture_id", Integer),
    Column("report_sha256", String(64)),
    Column("reason", Text),  # why it was refused, or why no report came of it
    Column("seen_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
    UniqueConstraint("source_id", "key", name="uq_source_items_source_key"),
)

source_failures = Table(
    "source_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, nullable=False, index=True),
    Column("url", Text, nullable=False),  # the feed, page or item refused
    Column("reason", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

# -- live monitoring: subscriptions, the incident changes they are told of, schedules (0019) --

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("owner", String(64), index=True),  # the web user who made it; None when made with the CLI
    Column("area", Text),  # the user's words, given to store.incident_query.ask each time
    Column("party", Text),
    Column("clause", Text),
    Column("verdict", String(16)),
    Column("min_confidence", Float),
    Column("published_only", Boolean, nullable=False),
    Column("webhook_url", Text),
    Column("webhook_secret", Text),
    Column("email", Text),
    Column("feed_token", String(64), nullable=False, unique=True),
    Column("checked_seq", Integer, nullable=False),  # the changes up to this one were matched against it
    Column("created_at", UTCDateTime, nullable=False),
)

incident_states = Table(  # each incident's winning verdict and visibility when changes were last looked for
    "incident_states",
    metadata,
    Column("incident_id", String(64), primary_key=True),
    Column("verdict", String(16)),
    Column("public", Boolean, nullable=False),
)

incident_changes = Table(
    "incident_changes",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("incident_id", String(64), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # new, verdict, published
    Column("before", String(16)),
    Column("after", String(16)),
    Column("public", Boolean, nullable=False),  # whether the public may see the incident after the change
    Column("at", UTCDateTime, nullable=False, index=True),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscription_id", Integer, ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False),
    Column("change_seq", Integer, ForeignKey("incident_changes.seq"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("webhook_delivery", Integer),  # set when claimed for a delivery: never sent twice
    Column("email_delivery", Integer),
    UniqueConstraint("subscription_id", "change_seq"),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscription_id", Integer, ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("channel", String(16), nullable=False),  # webhook, email
    Column("alerts", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # sending, delivered, failed
    Column("attempts", Integer, nullable=False),
    Column("detail", Text),  # the last answer or error
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
)

schedules = Table(
    "schedules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),  # daily-report
    Column("at", String(5), nullable=False),  # HH:MM in tz
    Column("tz", String(64), nullable=False),
    Column("format", String(8), nullable=False),
    Column("publish", Boolean, nullable=False),
    Column("key_path", Text),
    Column("signer", Text, nullable=False),
    Column("out_dir", Text, nullable=False),
    Column("pack", Text),
    Column("created_at", UTCDateTime, nullable=False),
)

schedule_runs = Table(
    "schedule_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("schedule_id", Integer, ForeignKey("schedules.id", ondelete="CASCADE"), nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),  # running, done, failed
    Column("detail", Text),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    UniqueConstraint("schedule_id", "due_at"),
)

# For the map (bounding box, date range), the incident list and the ledger's reads by kind (0011).
Index("ix_incidents_latitude_longitude", incidents.c.latitude, incidents.c.longitude)
Index("ix_incidents_latest", incidents.c.latest)
Index("ix_incidents_area_id", incidents.c.area_id)
Index("ix_ledger_kind_seq", ledger.c.kind, ledger.c.seq)
# An incident's assessment under one agreement; led by the incident, because SQLite otherwise walks every
# assessment of the agreement for each incident (5,000 incidents: over 10 s instead of 0.06 s).
Index("ix_assessments_incident_agreement", assessments.c.incident_id, assessments.c.agreement_id,
      assessments.c.clause_id)
Index("ix_reports_received_at", reports.c.received_at)
Index("ix_incidents_map", incidents.c.earliest, incidents.c.latitude, incidents.c.longitude, incidents.c.latest)
Index("ix_source_items_url", source_items.c.url)
Index("ix_source_items_state", source_items.c.state)
