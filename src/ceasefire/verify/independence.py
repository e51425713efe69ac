"""Independence: how many different origins stand behind an incident.

Two reports are independent only if they trace to different origins: a wire story republished
by ten outlets (near-identical text) is one origin, and so are ten outlets each writing
"according to SOHR". An observer's signed report is its own origin.
"""

from __future__ import annotations

from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

from ceasefire.extract.names import plain
from ceasefire.model import AgreementPack, Claim, ClaimSource, Origin, Reliability, ReportFormat
from ceasefire.verify.cluster import shingles

STORY_SIMILARITY = 0.5  # Jaccard of word trigrams above which two texts are one story
GRADE_ORDER = "ABCDEF"
CODED_FORMATS = frozenset({ReportFormat.ACLED, ReportFormat.UCDP})


def origins(members: Sequence[tuple[Claim, ClaimSource]], pack: AgreementPack) -> list[Origin]:
    """The distinct origins of an incident's claims, in a stable order."""
    found: dict[str, Origin] = {}
    for each in origins_of(members, pack):
        for origin in each:
            found.setdefault(origin.key, origin)
    return sorted(found.values(), key=lambda o: o.key)


def origins_of(members: Sequence[tuple[Claim, ClaimSource]], pack: AgreementPack) -> list[list[Origin]]:
    """The origins behind each claim, in the members' order (a coded event may list several)."""
    stories = _stories([source for _, source in members])
    return [(_coded_origins(source, pack) if source.format in CODED_FORMATS else [])
            or [_origin(claim, source, stories, pack)] for claim, source in members]


def _coded_origins(source: ClaimSource, pack: AgreementPack) -> list[Origin]:
    """A coded event (ACLED row) lists the sources it was coded from ("Reuters; SOHR"): each is an
    origin, labelled as listed; a listed "residents via AFP" is AFP's origin."""
    found = []
    for name in (n.strip() for n in (source.source_name or "").split(";")):
        if not name:
            continue
        outlet = plain(name.rsplit(" via ", 1)[-1])
        known = next((s for s in pack.sources.values() if outlet in {plain(n) for n in (s.id, s.name, *s.aliases)}),
                     None)
        if known is None:
            found.append(Origin(key=f"outlet:{plain(name)}", label=name))
        else:
            found.append(Origin(key=f"source:{known.id}", label=name, source_id=known.id,
                                reliability=known.reliability))
    return found


def _origin(claim: Claim, source: ClaimSource, stories: dict[str, ClaimSource], pack: AgreementPack) -> Origin:
    if claim.origin_source_id:
        return _graded(f"source:{claim.origin_source_id}", claim.origin_source_id, pack)
    reported = _reported(source, stories, pack)
    if claim.origin is not None:  # "activists said": the outlet's own reporting, named as it names it
        return reported.model_copy(update={"label": f"{claim.origin.text} via {reported.label}"})
    return reported


def _reported(source: ClaimSource, stories: dict[str, ClaimSource], pack: AgreementPack) -> Origin:
    """The origin of a report's own words: its wire story, or its outlet (a source in the pack
    is the same origin whether it publishes or is cited: "source:sohr")."""
    if source.format is ReportFormat.OBSERVER:
        return Origin(key=f"observer:{source.source_name}", label=f"observer {source.source_name}",
                      reliability=Reliability.B)
    first = stories[source.report_sha256]
    if first.report_sha256 != source.report_sha256 or _story_size(stories, first) > 1:
        origin = _graded(f"story:{first.report_sha256[:12]}", first.source_id, pack)
        return origin.model_copy(update={"label": f"story first told by {first.source_name or 'an outlet'}"})
    if source.source_id:
        return _graded(f"source:{source.source_id}", source.source_id, pack)
    return Origin(key=f"outlet:{plain(source.source_name or source.report_sha256[:12])}",
                  label=source.source_name or "unnamed outlet")


def _graded(key: str, source_id: str | None, pack: AgreementPack) -> Origin:
    source = pack.sources.get(source_id or "")
    if source is None:
        return Origin(key=key, label=source_id or key)
    return Origin(key=key, label=source.name, source_id=source.id, reliability=source.reliability)


def _stories(sources: Sequence[ClaimSource]) -> dict[str, ClaimSource]:
    """Each report's story: the earliest report whose text is near-identical to it."""
    unique = {s.report_sha256: s for s in sources}
    ordered = sorted(unique.values(), key=lambda s: (s.published, s.report_sha256))
    lsh = MinHashLSH(threshold=STORY_SIMILARITY, num_perm=64)
    first_of: dict[str, ClaimSource] = {}
    for source in ordered:
        minhash = MinHash(num_perm=64, seed=17)
        for shingle in shingles(source.text):
            minhash.update(shingle.encode())
        earlier = sorted(lsh.query(minhash))
        first_of[source.report_sha256] = first_of[earlier[0]] if earlier else source
        lsh.insert(source.report_sha256, minhash)
    return first_of


def _story_size(stories: dict[str, ClaimSource], first: ClaimSource) -> int:
    return sum(1 for s in stories.values() if s.report_sha256 == first.report_sha256)
