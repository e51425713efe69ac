"""An incident's assessment in plain words, built from its typed reasons: who did what, where and
when, which clauses, the verdict, and what a dispute turns on; then the reasons per clause and
reading, each said once.

The words are for readers who will not read the numbered reasons: report offsets stay out of them
(the details view keeps them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ceasefire.model import AgreementPack, Assessment, ClaimActor, Incident, Role, Side, Step, Verdict

OFFSETS = re.compile(r"\s*\[[0-9a-f]{6,}:\d+:\d+\]")
CLAUSE_PREFIX = re.compile(r"^C[\w.]*( under reading [\w.]+)?: ")
VERDICT_WORDS = {Verdict.VIOLATION: "a violation", Verdict.NOT_A_VIOLATION: "not a violation",
                 Verdict.DISPUTED: "disputed", Verdict.UNVERIFIED: "unverified",
                 Verdict.OUT_OF_SCOPE: "outside the agreement"}
SIDE_READING = {Side.GOVERNMENT: "the government's", Side.PRO_GOVERNMENT: "the government side's",
                Side.OPPOSITION: "the opposition's", Side.FOREIGN_STATE: "the foreign states'"}


@dataclass(frozen=True)
class ReasonGroup:
    """Reasons that say the same for a clause under one or more readings."""

    heading: str
    verdict: str
    lines: list[str]


@dataclass(frozen=True)
class Summary:
    what: str  # who did what, where, when, to whom
    verdict: str  # the verdict in words, with the clauses
    dispute: str | None  # what a DISPUTED verdict turns on, in words
    shared: list[str] = field(default_factory=list)  # reasons about the incident as a whole, said once
    groups: list[ReasonGroup] = field(default_factory=list)  # per clause, readings that agree folded together


def without_offsets(text: str) -> str:
    """A reason's words without the [report:start:end] markers (they stay in the details view)."""
    return OFFSETS.sub("", text)


def summarise(incident: Incident, overall: Assessment | None, clauses: list[Assessment], pack: AgreementPack,
              verdict: str | None = None, override: tuple[str, str] | None = None) -> Summary:
    """The plain summary of an incident; ``verdict`` is the one that wins (an analyst's), if given,
    and ``override`` the (analyst, reason) of a review that replaced the automatic verdict."""
    final = Verdict(verdict) if verdict and verdict in Verdict.__members__ else overall.verdict if overall else None
    said = _verdict(final, overall, clauses, pack)
    shared = _shared(overall)
    if override and final is not None and overall is not None and final is not overall.verdict:
        analyst, reason = override
        said = (f"An analyst ({analyst}) decided this is {VERDICT_WORDS[final]}: {reason.strip().rstrip('.')}. "
                f"The automatic assessment had said {VERDICT_WORDS[overall.verdict]}.")
        shared = [f"The reasons below are the automatic assessment's, which led to {overall.verdict.value}; "
                  "the analyst's decision replaces its verdict and its confidence.", *shared]
    return Summary(what=_what(incident, pack), verdict=said,
                   dispute=_dispute(incident, overall, clauses, pack) if final is Verdict.DISPUTED else None,
                   shared=shared, groups=_groups(clauses, pack))


def _name(pack: AgreementPack, actor_id: str | None, words: str) -> str:
    return pack.actors[actor_id].name if actor_id in pack.actors else words


def _actor(pack: AgreementPack, actor: ClaimActor) -> str:
    """The pack's name, else the name coded data gave, else the words (when they are a name, not a paragraph)."""
    words = actor.evidence.text if len(actor.evidence.text) <= 60 else "an unnamed actor"
    return _name(pack, actor.actor_id, actor.name or words)


def _what(incident: Incident, pack: AgreementPack) -> str:
    perpetrators = [_actor(pack, a) for a in incident.actors_in(Role.PERPETRATOR)]
    targets = [_actor(pack, a) for a in incident.actors_in(Role.TARGET)]
    act = (incident.sub_event_type or incident.event_type or "an event").lower()
    who = " and ".join(dict.fromkeys(perpetrators)) or "An unnamed perpetrator"
    where = f" at {incident.place.name}" if incident.place else ""
    day = incident.date.earliest.isoformat() + (
        f" to {incident.date.latest.isoformat()}" if incident.date.latest != incident.date.earliest else "")
    sentence = f"{who[:1].upper()}{who[1:]}: {act}{where}, {day}"
    if targets:
        sentence += ", against " + " and ".join(dict.fromkeys(targets))
    if incident.fatalities and incident.fatalities.low:
        sentence += f"; at least {incident.fatalities.low} killed"
    return sentence + "."


def _clause_names(clause_ids: list[str], pack: AgreementPack) -> str:
    titles = {c.id: c.title for c in pack.agreement.clauses}
    return ", ".join(f"{c} ({titles.get(c, c)})" for c in clause_ids)


def _verdict(final: Verdict | None, overall: Assessment | None, clauses: list[Assessment],
             pack: AgreementPack) -> str:
    if final is None or overall is None:
        return "Not assessed yet."
    violated = sorted({a.clause_id for a in clauses if a.clause_id and a.verdict is Verdict.VIOLATION})
    if final is Verdict.VIOLATION and violated:
        return f"Assessed as a violation of {_clause_names(violated, pack)}."
    if final is Verdict.UNVERIFIED:
        origins = next((without_offsets(r.text) for r in overall.reasons if r.step is Step.CORROBORATION), "")
        base = "Not verified: fewer independent origins than needed report it so far" + (
            f" ({origins.removeprefix('Corroboration: ').rstrip('.')})" if origins else "")
        return base + (f"; if confirmed it would violate {_clause_names(violated, pack)}." if violated else ".")
    if final is Verdict.DISPUTED and _readings_differ(clauses):
        return f"Disputed: a violation of {_clause_names(violated, pack)} under some readings, not under others."
    if final is Verdict.DISPUTED:
        return f"Disputed: it would be a violation of {_clause_names(violated, pack)}, but a fact it turns on is " \
               "contested."
    if final is Verdict.OUT_OF_SCOPE:
        outside = [r.text for r in overall.reasons if r.step in (Step.TIME, Step.SCOPE)]
        return "Outside the agreement: " + " ".join(_plain(t) for t in outside[-1:]) if outside else \
            "Outside the agreement's time or territory."
    if final is Verdict.NOT_A_VIOLATION:
        why = [r.text for a in clauses[:1] for r in a.reasons if r.clause_id is not None]
        return "Assessed as not a violation" + (f": {_plain(why[-1])}" if why else ".")
    return f"Assessed as {VERDICT_WORDS[final]}."


def _plain(text: str) -> str:
    """A reason's words without offsets or the "C1 under reading C4.gov:" it starts with."""
    return CLAUSE_PREFIX.sub("", without_offsets(text))


def _readings_differ(clauses: list[Assessment]) -> bool:
    verdicts: dict[str, set[Verdict]] = {}
    for a in clauses:
        verdicts.setdefault(a.clause_id or "", set()).add(a.verdict)
    return any(len(v) > 1 for v in verdicts.values())


def _reading_holders(pack: AgreementPack, reading_id: str) -> str:
    """Whose reading it is, in words: "the government's reading" or "the reading of X and Y"."""
    reading = next((r for c in pack.agreement.clauses for r in c.readings if r.id == reading_id), None)
    if reading is None:
        return f"reading {reading_id}"
    sides = {pack.actors[a].side for a in reading.held_by if a in pack.actors}
    if len(sides) == 1 and next(iter(sides)) in SIDE_READING:
        return f"{SIDE_READING[next(iter(sides))]} reading ({reading_id})"
    names = [_name(pack, a, a) for a in reading.held_by]
    return f"the reading of {' and '.join(names[:2])}{' and others' if len(names) > 2 else ''} ({reading_id})"


def _dispute(incident: Incident, overall: Assessment | None, clauses: list[Assessment],
             pack: AgreementPack) -> str | None:
    by_reading: dict[str, set[Verdict]] = {}
    for a in clauses:
        if a.reading_id:
            by_reading.setdefault(a.reading_id, set()).add(a.verdict)
    violating = sorted(r for r, v in by_reading.items() if Verdict.VIOLATION in v)
    clear = sorted(r for r, v in by_reading.items() if Verdict.VIOLATION not in v)
    if violating and clear:
        excluded = _excluded_target(incident, clauses, clear[0], pack)
        because = f"{excluded} is excluded, so " if excluded else ""
        return (f"Under {_reading_holders(pack, clear[0])}, {because}this is not a violation; "
                f"under {_reading_holders(pack, violating[0])} it is.")
    if overall and overall.depends_on:
        fact = without_offsets(overall.depends_on.split(": claimed in")[0].split(";")[0])
        return (f"It turns on {fact}. If that is so, this is not a violation; if not, it is. "
                "The reports themselves differ on it.")
    return None


def _excluded_target(incident: Incident, clauses: list[Assessment], reading_id: str,
                     pack: AgreementPack) -> str | None:
    for a in clauses:
        if a.reading_id == reading_id and any(r.step is Step.TARGET and "excluded" in r.text for r in a.reasons):
            targets = incident.actors_in(Role.TARGET)
            return _name(pack, targets[0].actor_id, targets[0].evidence.text) if targets else "the target"
    return None


def _shared(overall: Assessment | None) -> list[str]:
    if overall is None:
        return []
    lines = [without_offsets(r.text) for r in overall.reasons if r.clause_id is None and r.step is not Step.DISPUTE]
    return list(dict.fromkeys(lines))


def _groups(clauses: list[Assessment], pack: AgreementPack) -> list[ReasonGroup]:
    """Per clause, the readings whose verdict and reasons agree, folded into one group."""
    folded: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
    for a in clauses:
        prefix = re.compile(rf"^{re.escape(a.clause_id or '')}( under reading {re.escape(a.reading_id or '')})?: ")
        lines = tuple(dict.fromkeys(prefix.sub("", without_offsets(r.text)) for r in a.reasons
                                    if r.clause_id is not None))
        folded.setdefault((a.clause_id or "", a.verdict.value, lines), []).append(a.reading_id or "")
    titles = {c.id: c.title for c in pack.agreement.clauses}
    groups = []
    for (clause_id, verdict, lines), readings in folded.items():
        named = [r for r in readings if r]
        under = f" under {' and '.join(named)}" if named else ""
        groups.append(ReasonGroup(f"{clause_id} {titles.get(clause_id, '')}{under}".strip(), verdict, list(lines)))
    return groups
