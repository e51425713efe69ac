"""Terminal rendering for the CLI (Rich). Untrusted text is always escaped before printing."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape as _escape
from rich.table import Table
from rich.text import Text

from ceasefire.extract.evaluate import Scores
from ceasefire.extract.evaluate_sets import SetResult
from ceasefire.model import AgreementPack, Assessment, Claim, Evidence, RuleEffect, StoredReport, Verdict
from ceasefire.packs.signatures import SignatureStatus
from ceasefire.pipeline import ExtractResult, GazetteerImport, IngestResult, VerifyResult
from ceasefire.store import Review, Store, StoredIncident


def escape(text: Any) -> str:
    return _escape(str(text)) if text is not None else ""


def ingest_result(console: Console, result: IngestResult) -> None:
    table = Table(title="Ingest", show_header=True)
    table.add_column("outcome")
    table.add_column("count", justify="right")
    table.add_row("new", str(len(result.new)))
    table.add_row("duplicates", str(len(result.duplicates)))
    table.add_row("rejected", str(len(result.rejected)))
    console.print(table)
    if result.rejected:
        # One line per item, compiler style, so a path can be copied and the list grepped.
        console.print("Rejected (file:line: reason):")
        for error in result.rejected:
            console.print(f"  {escape(error)}", soft_wrap=True)


def pack_summary(console: Console, pack: AgreementPack, *, brief: bool = False) -> None:
    agreement = pack.agreement
    console.print(f"[bold]{escape(agreement.title)}[/bold] ({agreement.id})")
    console.print(f"announced {agreement.announced.isoformat()}  effective {agreement.effective.isoformat()}"
                  f"  expiry {agreement.expiry.isoformat() if agreement.expiry else 'none'}"
                  f"  scope {', '.join(agreement.scope.countries)}")
    counts = f"{len(pack.actors)} actors, {len(pack.sources)} sources, {len(pack.areas)} areas"
    if brief:
        console.print(f"{len(agreement.parties)} parties, {len(agreement.guarantors)} guarantors/monitors, "
                      f"{len(agreement.clauses)} clauses, {counts}")
        return

    def name(actor_id: str) -> str:
        return escape(pack.actors[actor_id].name)

    parties = Table("party", "signature", "date", title="Parties")
    for party in agreement.parties:
        parties.add_row(name(party.actor), party.signature.value, str(party.date or ""))
    guarantors = Table("actor", "role", "from", "to", title="Guarantors and monitors")
    for g in agreement.guarantors:
        guarantors.add_row(name(g.actor), g.role.value, str(g.valid_from or ""), str(g.valid_to or ""))
    clauses = Table("clause", "title", "rule", title="Clauses and readings")
    for clause in agreement.clauses:
        clauses.add_row(clause.id, escape(clause.title), _rule_text(pack, clause.rule) if clause.rule else "")
        for reading in clause.readings:
            holders = ", ".join(name(h) for h in reading.held_by)
            clauses.add_row(f"  {reading.id}", f"reading of {holders}", _rule_text(pack, reading.rule))
    for table in (parties, guarantors, clauses):
        console.print(table)
    console.print(f"Excluded under some reading: {', '.join(name(a) for a in excluded_actors(pack))}")
    console.print(counts)


def excluded_actors(pack: AgreementPack) -> list[str]:
    ids: list[str] = []
    for clause in pack.agreement.clauses:
        rules = [clause.rule] if clause.rule else []
        for rule in rules + [r.rule for r in clause.readings]:
            if rule.effect is RuleEffect.EXCLUDE:
                ids += [a for a in rule.actors if a not in ids]
    return ids


def _rule_text(pack: AgreementPack, rule: Any) -> str:
    if rule.effect is RuleEffect.EXCLUDE:
        return "excludes " + ", ".join(escape(pack.actors[a].name) for a in rule.actors)
    return f"{rule.effect.value}s {', '.join(rule.acts)} by {', '.join(rule.binds)} against {', '.join(rule.protects)}"


def report_detail(console: Console, report: StoredReport) -> None:
    fields = [("id", report.id), ("sha256", report.sha256), ("format", report.format.value),
              ("title", report.title), ("url", report.url), ("published", report.published),
              ("source", report.source), ("pack source", report.source_id), ("author", report.author),
              ("language", report.language), ("origin", report.origin), ("received", report.received_at)]
    for label, value in fields:
        if value is not None:
            console.print(f"[bold]{label:>12}[/bold]  {escape(value)}")
    if report.structured:
        console.print(f"[bold]{'coded event':>12}[/bold]  " + escape(
            ", ".join(f"{k}={v}" for k, v in report.structured.items() if v not in (None, ""))))
    console.print()
    console.print(escape(report.text))


def store_overview(console: Console, store: Store, db: str) -> None:
    console.print(f"\n[bold]{db}[/bold] holds {store.count_reports()} reports")
    formats = Table("format", "reports", title="By format")
    for value, count in store.report_counts("format"):
        formats.add_row(str(value), str(count))
    sources = Table("pack source", "reports", title="By source")
    for value, count in store.report_counts("source_id"):
        sources.add_row(escape(value or "(not in the pack)"), str(count))
    console.print(formats)
    console.print(sources)
    console.print(f"Rejected items kept for review: {len(store.rejections())} "
                  f"(see `ceasefire reports rejected --db {db}`)")
    claims = [c for c in store.claims(kind="event") if c.claim.trigger is not None]  # from text, not ACLED rows
    kinds = ", ".join(f"{n} {kind}" for kind, n in store.claim_counts())
    console.print(f"\n[bold]Claims[/bold]: {kinds}. Events read from text, with the words they rest on (first 8):")
    for stored in claims[:8]:
        console.print("  " + escape(claim_line(stored.report_id, stored.claim)), soft_wrap=True)
    if claims:
        console.print(f"See every field and span of a report's claims: `ceasefire explain {claims[0].report_id} "
                      f"--db {db}`")


SPAN_STYLES = {"trigger": "bold red", "perpetrator": "red underline", "target": "blue underline",
               "place": "green", "date": "magenta", "fatalities": "yellow", "injured": "yellow",
               "origin": "cyan", "justification": "italic", "amount": "yellow"}


def claim_fields(claim: Claim) -> list[tuple[str, str, Evidence | None]]:
    """(field, value, evidence) rows for one claim, in reading order."""
    rows: list[tuple[str, str, Evidence | None]] = [("kind", claim.kind.value, None)]
    if claim.sub_event_type:
        rows.append(("event", f"{claim.event_type} / {claim.sub_event_type}", claim.trigger))
    elif claim.trigger:
        rows.append(("trigger", claim.trigger.text, claim.trigger))
    if claim.tags:
        rows.append(("tags", ", ".join(claim.tags), None))
    if claim.date:
        rows.append(("date", f"{claim.date.earliest}..{claim.date.latest} (time_precision {claim.date.time_precision})"
                     + ("" if claim.date.evidence else " from the publication time"), claim.date.evidence))
    if claim.place:
        p = claim.place
        where = f"{p.name} ({p.latitude:.4f}, {p.longitude:.4f}) {p.admin1 or ''} geo_precision {p.geo_precision}"
        rows.append(("place", where + ("" if p.evidence else " (no place named: the agreement's country)"), p.evidence))
    for actor in claim.actors:
        rows.append((actor.role.value, f"{actor.actor_id or '(not in pack)'} [{actor.side.value}]", actor.evidence))
    for label, count in (("fatalities", claim.fatalities), ("injured", claim.injured)):
        if count:
            high = count.high if count.high is not None else "?"
            words = [f"low {count.low} best {count.best} high {high}", count.qualifier,
                     {True: "civilians", False: "fighters", None: ""}[count.civilians]]
            rows.append((label, ", ".join(w for w in words if w), count.evidence))
    if claim.origin:
        rows.append(("origin", claim.origin_source_id or "(not in pack)", claim.origin))
    if claim.amount:
        rows.append(("amount", f"{claim.amount.value:,.0f} {claim.amount.currency}", claim.amount.evidence))
    if claim.justification:
        j = claim.justification
        rows.append(("justification", f"excluded actor {j.excluded_actor_id or '?'}", j.evidence))
        if j.dispute:
            rows.append(("disputed by", "", j.dispute))
    return rows


def claim_line(report_id: int, claim: Claim) -> str:
    """One line: report, event, place, date, who, toll, each with the words it came from."""
    parts = [f"report {report_id}: {claim.sub_event_type} “{claim.trigger.text if claim.trigger else ''}”"]
    if claim.place:
        parts.append(f"at {claim.place.name}" + (f" “{claim.place.evidence.text}”" if claim.place.evidence else ""))
    if claim.date:
        parts.append(f"on {claim.date.earliest}" + (f" “{claim.date.evidence.text}”" if claim.date.evidence else ""))
    for actor in claim.actors[:2]:
        parts.append(f"{actor.role.value} {actor.actor_id or actor.side.value} “{actor.evidence.text}”")
    if claim.fatalities:
        parts.append(f"killed {claim.fatalities.best} “{claim.fatalities.evidence.text}”")
    return ", ".join(parts)


def explanation(console: Console, report: StoredReport, claims: list[Claim]) -> None:
    """The report's text with every claim's spans marked, then each claim's fields and spans."""
    console.print(f"[bold]Report {report.id}[/bold] {escape(report.title or '')} ({report.sha256[:12]}), "
                  f"{len(claims)} claim(s)")
    text = Text(report.text)
    for claim in claims:
        for label, _, evidence in claim_fields(claim):
            if evidence is not None and (evidence.start, evidence.end) != (0, len(report.text)):
                text.stylize(SPAN_STYLES.get(label, "underline"), evidence.start, evidence.end)
    console.print(text)
    for claim in claims:
        console.print(f"\n[bold]Claim {claim.index}[/bold]")
        for label, value, evidence in claim_fields(claim):
            if evidence is None:
                words = ""
            elif (evidence.start, evidence.end) == (0, len(report.text)):
                words = "  from the whole text"
            else:
                words = f"  from “{escape(evidence.text)}” [{evidence.start}:{evidence.end}]"
            console.print(f"  {label:<13} {escape(value)}{words}", soft_wrap=True)


def extract_result(console: Console, result: ExtractResult) -> None:
    counts = ", ".join(f"{n} {kind.value}" for kind, n in sorted(result.claims.items()))
    console.print(f"Extracted {sum(result.claims.values())} claims ({counts or 'none'}) "
                  f"from {result.reports} report(s).")
    if result.without_date:
        console.print(f"{result.without_date} report(s) have no publication time, so no claims: re-ingest them "
                      "with --published DATE.")


def evaluation(console: Console, scores: Scores, documents: int) -> None:
    table = Table("metric", "value", "over", title=f"Evaluation on {documents} documents "
                  f"({scores.gold} gold events, {scores.predicted} predicted)")
    for metric, value, count in scores.table():
        table.add_row(metric, value, str(count))
    console.print(table)


def evaluation_sets(console: Console, results: list[SetResult]) -> None:
    """One column per set and one for all of them; each cell "value (pairs it is over)"."""
    table = Table("metric", *(f"{r.label}\n{r.documents} docs" for r in results),
                  title="Evaluation per set (gold events / predicted: "
                  + ", ".join(f"{r.label} {r.scores.gold}/{r.scores.predicted}" for r in results) + ")")
    rows = [r.scores.table() for r in results]
    for i, (metric, _, _) in enumerate(rows[0]):
        table.add_row(metric, *(f"{row[i][1]} ({row[i][2]})" for row in rows))
    console.print(table)


def gazetteer_import(console: Console, result: GazetteerImport, total: int) -> None:
    console.print(f"Imported {result.places} places; the database now holds {total}.")
    if result.rejected:
        console.print(f"Rejected {len(result.rejected)} line(s) (file:line: reason):")
        for error in result.rejected[:50]:
            console.print(f"  {escape(error)}", soft_wrap=True)


def verify_result(console: Console, result: VerifyResult) -> None:
    console.print(f"Clustered {result.claims} claims into {result.incidents} incidents ({result.new} new).")


def verdict_counts(console: Console, counts: dict[Verdict, int]) -> None:
    parts = ", ".join(f"{counts[v]} {v.value}" for v in Verdict if v in counts)
    console.print(f"Assessed {sum(counts.values())} incidents: {parts or 'none'}.")


def incident_detail(console: Console, stored: StoredIncident, assessments: list[Assessment],
                    reviews: list[Review], claims: list[tuple[int, Claim]]) -> None:
    incident = stored.incident
    place = incident.place
    console.print(f"[bold]{incident.id}[/bold] {incident.event_type} / {incident.sub_event_type}, "
                  f"{incident.date.earliest}..{incident.date.latest}, "
                  f"{escape(place.name) if place else 'no place'}"
                  + (f" ({place.latitude:.4f}, {place.longitude:.4f}, geo_precision {place.geo_precision})"
                     if place else ""))
    verdict = stored.verdict or "not assessed"
    console.print(f"Verdict: [bold]{verdict}[/bold]" + (f" (analyst: {stored.review.reviewer}, "
                                                        f"{escape(stored.review.reason)}; automatic "
                                                        f"{stored.automatic})" if stored.review else "")
                  + (f", confidence {stored.confidence:.2f}" if stored.confidence is not None else ""))
    overall = next((a for a in assessments if a.clause_id is None), None)
    if overall:
        console.print("Reasons:")
        for reason in overall.reasons:
            console.print(f"  - {escape(reason.text)}", soft_wrap=True)
        r = overall.responsibility
        if r.perpetrator:
            console.print(f"Responsibility: {r.perpetrator} -> party {r.party or '(none)'} -> sponsors "
                          f"{', '.join(r.sponsors) or '(none)'} -> guarantor {r.guarantor or '(none)'}")
        for conflict in r.conflicts_of_interest:
            console.print(f"  [yellow]Conflict of interest[/yellow]: {escape(conflict)}", soft_wrap=True)
    for a in assessments:
        if a.clause_id:
            console.print(f"  {a.clause_id}{'/' + a.reading_id if a.reading_id else ''}: {a.verdict.value}")
    console.print(f"Claims ({len(claims)}) and origins ({incident.corroboration} independent):")
    for origin in incident.origins:
        console.print(f"  origin {escape(origin.label)} {escape('[' + origin.key + ']')} "
                      f"reliability {origin.reliability.value}")
    for report_id, claim in claims:
        console.print("  " + escape(claim_line(report_id, claim)), soft_wrap=True)
    for decision in reviews:
        console.print(f"  review {decision.created_at:%Y-%m-%d %H:%M} {decision.reviewer}: "
                      f"{decision.action} {decision.verdict} — {escape(decision.reason)}", soft_wrap=True)


def pack_signatures(console: Console, pack: AgreementPack, statuses: list[SignatureStatus]) -> None:
    signed = {s.party for s in statuses if s.valid and s.current}
    for party in pack.agreement.parties:
        name = escape(pack.actors[party.actor].name)
        mine = [s for s in statuses if s.party == party.actor]
        if party.actor in signed:
            state = "signed this text"
        elif any(s.valid for s in mine):
            state = "signed an earlier text of the pack, not this one"
        elif mine:
            state = "signature does not verify"
        else:
            state = "has not signed"
        console.print(f"  {name}: {state} (reported status: {party.signature.value})")
