"""Component ``ceasefire.attribution.v1``: whom a sentence cites for what it tells: "according to
X", "X said", "state media reported". A pack outlet is named by its source id; a generic origin
("activists", "state media") keeps its words without an id."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import LanguageData
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.names import plain
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT, ReportSentence
from ceasefire.extract.words import LEMMAS, LOWERS
from ceasefire.model import Evidence

MAX_CITED_WORDS = 12


@dataclass(frozen=True)
class Attribution:
    """The words naming who the sentence cites, and the pack source they name (if any)."""

    origin: Evidence | None = None
    source_id: str | None = None


ORIGIN: DocAttr[Attribution] = DocAttr("origin")


@component("ceasefire.attribution.v1", requires=[LEMMAS, LOWERS, "token.pos", "token.dep", "token.head", REPORT],
           assigns=[ORIGIN])
def make_attribution(lexicon: Lexicon, gazetteer: Gazetteer) -> Attributions:
    return Attributions(lexicon.language, lexicon.sources)


class Attributions:
    def __init__(self, language: LanguageData, sources: dict[str, str]) -> None:
        self.language = language
        self.verbs = frozenset(language.origin_verbs)
        self.sources = sorted(sources.items(), key=lambda kv: -len(kv[0]))  # longest alias first

    def __call__(self, doc: Doc) -> Doc:
        ORIGIN.set(doc, self._origin(doc))
        return doc

    def _origin(self, doc: Doc) -> Attribution:
        report, according = REPORT.get(doc), self.language.according_words
        for i, (lemma, lower) in enumerate(zip(LEMMAS.get(doc), LOWERS.get(doc), strict=True)):
            if lower in according and i + 1 < len(doc):
                phrase = [t for t in doc[i + 2:] if not t.is_punct or t.text == "-"]
                found = self._cited(report, doc[i + 2: i + 2 + max(1, min(MAX_CITED_WORDS, len(phrase)))])
                if found:
                    return found
            if lemma in self.verbs and (token := doc[i]).pos_ == "VERB":
                for child in token.children:
                    if child.dep_ in ("nsubj", "nsubjpass"):
                        found = self._cited(report, doc[child.left_edge.i: child.right_edge.i + 1])
                        if found:
                            return found
        return Attribution()

    def _cited(self, report: ReportSentence, span: Span) -> Attribution | None:
        padded = f" {plain(span.text)} "
        for alias, source_id in self.sources:
            if padded.find(f" {alias} ") >= 0:
                return Attribution(_span_of(report, span, alias) or _whole(report, span), source_id)
        for phrase in self.language.origin_generic:
            if f" {phrase} " in padded:
                return Attribution(_span_of(report, span, phrase) or _whole(report, span))
        return None


def _whole(report: ReportSentence, span: Span) -> Evidence:
    return report.evidence(span.start_char, span.end_char)


def _span_of(report: ReportSentence, span: Span, words: str) -> Evidence | None:
    pattern = r"\W+".join(re.escape(w) for w in words.split())
    match = re.search(pattern, span.text, re.IGNORECASE)
    if match is None:
        return None
    return report.evidence(span.start_char + match.start(), span.start_char + match.end())
