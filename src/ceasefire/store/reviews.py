"""Reviewers and their reviews: an analyst's decision on an incident's automatic verdict."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ceasefire.errors import NotFound
from ceasefire.store import tables
from ceasefire.store.engine import Database
from ceasefire.store.ledger import append, append_change
from ceasefire.store.objects import review_object, reviewer_object


@dataclass(frozen=True)
class Reviewer:
    """Someone who may review incidents; one affiliated with a party may not review what it is
    responsible for unless an admin records why."""

    name: str
    affiliation: str | None  # an actor id
    admin: bool


@dataclass(frozen=True)
class Review:
    """An analyst's decision on an incident: confirm the automatic verdict or override it."""

    id: int
    incident_id: str
    action: str  # confirm | override
    verdict: str
    reason: str
    reviewer: str
    justification: str | None  # an admin's reason for letting a conflicted reviewer decide
    justified_by: str | None
    created_at: dt.datetime


def review_of(row: Any) -> Review:
    return Review(row.id, row.incident_id, row.action, row.verdict, row.reason, row.reviewer, row.justification,
                  row.justified_by, row.created_at)


class Reviews(Database):
    def add_reviewer(self, name: str, affiliation: str | None, admin: bool) -> None:
        row = {"name": name, "affiliation": affiliation, "admin": admin}
        stmt = self._insert(tables.reviewers).values(**row)
        with self._connect("register a reviewer", lock=True) as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=row))
            append_change(conn, "reviewer", name, reviewer_object(row))

    def reviewer(self, name: str) -> Reviewer:
        """Raises:
            NotFound: no reviewer of that name.
        """
        with self._connect("read a reviewer") as conn:
            row = conn.execute(select(tables.reviewers).where(tables.reviewers.c.name == name)).first()
        if row is None:
            raise NotFound(f"No reviewer {name!r}. Register them with `ceasefire reviewer add {name} "
                           "--affiliation ACTOR_ID` (or without an affiliation).")
        return Reviewer(row.name, row.affiliation, bool(row.admin))

    def add_review(self, review: dict[str, Any]) -> None:
        """Store a review (``ceasefire.adjudicate.review.review`` makes one) with its ledger record."""
        with self._connect("store a review", lock=True) as conn:
            new_id = conn.execute(tables.reviews.insert().values(**review, created_at=dt.datetime.now(dt.UTC))
                                  .returning(tables.reviews.c.id)).scalar_one()
            row = conn.execute(select(tables.reviews).where(tables.reviews.c.id == new_id)).one()
            append(conn, "review", str(new_id), review_object(row._mapping))

    def reviews(self, incident_id: str) -> list[Review]:
        """An incident's reviews, oldest first (the last one decides)."""
        r = tables.reviews
        with self._connect("read reviews") as conn:
            return [review_of(row) for row in conn.execute(select(r).where(r.c.incident_id == incident_id)
                                                           .order_by(r.c.id))]
