"""Analyst decisions: confirm or override the automatic verdict. A reviewer affiliated with the
responsible party, or with anyone in its sponsor chain, may not decide unless an admin records
why they may."""

from __future__ import annotations

from typing import Any, Protocol

from ceasefire.errors import CeasefireError
from ceasefire.model import AgreementPack, Assessment, Verdict


class Reviewer(Protocol):
    """Who reviews (``Store.reviewer`` returns one): an affiliated reviewer may be conflicted."""

    @property
    def name(self) -> str: ...
    @property
    def affiliation(self) -> str | None: ...  # an actor id
    @property
    def admin(self) -> bool: ...


class ReviewRefused(CeasefireError):
    """The reviewer has a conflict of interest and no admin justification was recorded."""

    status = 403


def review(overall: Assessment, pack: AgreementPack, reviewer: Reviewer, *, verdict: Verdict | None,
           reason: str, justification: str | None = None, admin: Reviewer | None = None) -> dict[str, Any]:
    """The review record to store: ``verdict`` None confirms the automatic verdict.

    Raises:
        ReviewRefused: the reviewer is affiliated with the responsible side and no admin justified it.
        CeasefireError: an override without a reason, or a justification from a non-admin.
    """
    if not reason.strip():
        raise CeasefireError("A review needs --reason TEXT: say why, so readers can follow the decision.")
    conflict = conflict_of(overall, pack, reviewer)
    if conflict and not justification:
        raise ReviewRefused(f"Reviewer {reviewer.name} may not review {overall.incident_id}: {conflict}. "
                            "An admin can allow it with --justification TEXT --admin NAME.")
    if justification and not (admin and admin.admin):
        raise CeasefireError("Only an admin may record a justification: pass --admin with a reviewer registered "
                             "as admin (`ceasefire reviewer add NAME --admin`).")
    action = "confirm" if verdict is None else "override"
    return {"incident_id": overall.incident_id, "action": action, "verdict": (verdict or overall.verdict).value,
            "reason": reason, "reviewer": reviewer.name, "justification": justification if conflict else None,
            "justified_by": admin.name if conflict and admin else None}


def conflict_of(overall: Assessment, pack: AgreementPack, reviewer: Reviewer) -> str | None:
    """Why this reviewer is conflicted on this incident, or None."""
    affiliation = reviewer.affiliation
    chain = [overall.responsibility.perpetrator, overall.responsibility.party, *overall.responsibility.sponsors]
    if affiliation and affiliation in chain:
        name = pack.actors[affiliation].name if affiliation in pack.actors else affiliation
        role = "is the responsible party" if affiliation in chain[:2] else "sponsors the responsible party"
        return f"they are affiliated with {name}, which {role}"
    return None
