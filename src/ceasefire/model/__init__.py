"""Domain types of ceasefire (DESIGN.md §3). Pydantic models only: no I/O here.

An agreement pack is a folder of YAML files that these models validate:
``agreement.yaml`` (:class:`Agreement`), ``actors.yaml`` (:class:`Actor` list),
``sources.yaml`` (:class:`Source` list) and ``areas.yaml`` (:class:`Area` list).

The types live in one module per part of the pipeline; import them from here:

    sourced      PackModel, Sourced, TimeRange: what every pack record shares
    actors       Actor, Source and their enums (Side, Reliability, ...)
    places       Area, Control
    geometry     PackGeometry, Shape: a pack's lines, zones and area outlines
    agreement    Agreement, its clauses, rules and readings; AgreementPack; the ACLED acts
    reports      Report, StoredReport
    claims       Claim and its fields, each with its Evidence
    incidents    Incident, its ClaimRefs and Origins
    assessments  Assessment, Verdict, Reason and its Step, Responsibility
"""

from ceasefire.model.actors import (
    Actor,
    ActorKind,
    Affiliation,
    Designation,
    Reliability,
    Side,
    Source,
    SourceKind,
    Sponsorship,
)
from ceasefire.model.agreement import (
    ACLED_EVENT_TYPES,
    ACLED_SUB_EVENT_TYPES,
    ACTS,
    CEASEFIRE_TAGS,
    Agreement,
    AgreementPack,
    AgreementText,
    Clause,
    Guarantor,
    Instrument,
    MonitorRole,
    Party,
    Reading,
    Rule,
    RuleEffect,
    Scope,
    SignatureStatus,
    ZoneRule,
)
from ceasefire.model.assessments import Assessment, Reason, Responsibility, Step, Verdict
from ceasefire.model.claims import (
    Amount,
    Casualties,
    Claim,
    ClaimActor,
    ClaimDate,
    ClaimKind,
    ClaimPlace,
    Evidence,
    Justification,
    Role,
    Span,
    Tally,
    WeaponMention,
    acled_fatalities,
)
from ceasefire.model.geometry import GeometryKind, PackGeometry, Position, Shape
from ceasefire.model.incidents import ClaimRef, ClaimSource, Incident, Origin
from ceasefire.model.places import Area, Control
from ceasefire.model.reports import Report, ReportFormat, StoredReport
from ceasefire.model.sourced import PackModel, Sourced, TimeRange
from ceasefire.model.weapons import WeaponClass, WeaponSystem, WeaponTable

__all__ = [
    "ACLED_EVENT_TYPES",
    "ACLED_SUB_EVENT_TYPES",
    "ACTS",
    "CEASEFIRE_TAGS",
    "Actor",
    "ActorKind",
    "Affiliation",
    "Agreement",
    "AgreementPack",
    "AgreementText",
    "Amount",
    "Area",
    "Assessment",
    "Casualties",
    "acled_fatalities",
    "Claim",
    "ClaimActor",
    "ClaimDate",
    "ClaimKind",
    "ClaimPlace",
    "ClaimRef",
    "ClaimSource",
    "Clause",
    "Control",
    "Designation",
    "Evidence",
    "GeometryKind",
    "Guarantor",
    "Incident",
    "Instrument",
    "Justification",
    "MonitorRole",
    "Origin",
    "PackGeometry",
    "PackModel",
    "Party",
    "Position",
    "Reading",
    "Reason",
    "Reliability",
    "Report",
    "ReportFormat",
    "Responsibility",
    "Role",
    "Rule",
    "RuleEffect",
    "Scope",
    "Shape",
    "Side",
    "SignatureStatus",
    "Source",
    "SourceKind",
    "Span",
    "Sponsorship",
    "Sourced",
    "Step",
    "StoredReport",
    "Tally",
    "TimeRange",
    "Verdict",
    "WeaponClass",
    "WeaponMention",
    "WeaponSystem",
    "WeaponTable",
    "ZoneRule",
]
