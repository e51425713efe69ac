"""Component ``ceasefire.tallies.v1``: counts of violations, explosions or attacks for an area
and a period, attributed to whoever counted: "The centre recorded 15 violations by the rebels
in the past 24 hours", "the army said rebels attacked 60 times", "monitors heard 40 explosions".

A tally is one claim of its own kind (``ClaimKind.TALLY``): never split into individual events,
and the event words it counts ("attacked", "explosions") make no event claim
(:func:`counted_spans`).
"""

from __future__ import annotations

import datetime as dt
import math

from spacy.tokens import Doc, Token

from ceasefire.extract.attribution import ORIGIN
from ceasefire.extract.counting import speaker, subject_of
from ceasefire.extract.dates import DATE_SPANS, named_date
from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import ACTORS, Mention, as_actor, mention_in
from ceasefire.extract.places import PLACES, country_place
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT, ReportSentence
from ceasefire.extract.words import LEMMAS
from ceasefire.model import Claim, ClaimActor, ClaimDate, ClaimKind, ClaimPlace, Role, Tally

TALLIES: DocAttr[list[Claim]] = DocAttr("tallies")
NUMBER_GAP = 3  # words from a number to what it counts ("15 ceasefire violations")
AGENT_GAP = 5  # words from what is counted to "by" ("violations of the ceasefire by X")


@component("ceasefire.tallies.v1", requires=[REPORT, LEMMAS, ACTORS, PLACES, ORIGIN, DATE_SPANS, "token.lemma",
                                             "token.pos", "token.dep", "token.head"], assigns=[TALLIES])
def make_tallies(lexicon: Lexicon, gazetteer: Gazetteer) -> Tallies:
    return Tallies(lexicon, country_place(gazetteer))


class Tallies:
    def __init__(self, lexicon: Lexicon, country: ClaimPlace | None) -> None:
        self.lexicon, self.words, self.country = lexicon, lexicon.language.counts, country
        self.numbers = lexicon.language.numbers
        self.negatives = frozenset(lexicon.language.modality.negative_determiners)
        self.phrases = sorted(self.words.counted, key=len, reverse=True)

    def __call__(self, doc: Doc) -> Doc:
        lemmas = LEMMAS.get(doc)
        found = [c for c in (self._tally(doc, i) for i in range(len(doc))) if c is not None] \
            if set(lemmas) & ({p.split()[-1] for p in self.phrases} | set(self.words.times_words)) else []
        TALLIES.set(doc, found[:1])  # one count per sentence: a second is mostly the first restated
        return doc

    def _tally(self, doc: Doc, i: int) -> Claim | None:
        token = doc[i]
        first: Token | None
        if token.lower_ in self.words.times_words:
            counted_word = token.head
            counted = self.words.counted.get(counted_word.lemma_.lower())
            number = self._number_before(doc, i, 1)
            blamed_token = subject_of(counted_word)
            first = min(blamed_token.left_edge if blamed_token is not None else counted_word, counted_word)
        else:
            counted_word, counted = token, self._counted_at(doc, i)
            number = self._number_before(doc, i - len(self._phrase_at(doc, i).split()) + 1, NUMBER_GAP)
            blamed_token, first = self._agent(token), number
        if counted is None or number is None or first is None:
            return None
        count = self._value(number) or 0
        report, actors = REPORT.get(doc), ACTORS.get(doc)
        verb = next((a for a in counted_word.ancestors if a.pos_ in ("VERB", "AUX")
                     and a.lemma_.lower() in self.words.counting_verbs), None)
        counter, monitor = speaker(self.lexicon, doc, report, actors,
                                   subject_of(verb, passive=False) if verb is not None else None,
                                   ORIGIN.get(doc))
        blamed = self._blamed(actors, blamed_token, counter)
        end = max(token.idx + len(token), counted_word.idx + len(counted_word))
        start, finish = self._period(doc, report)
        return Claim(report_sha256=report.sha256, index=0, kind=ClaimKind.TALLY, sentence=report.whole(),
                     trigger=report.token_evidence(counted_word), date=self._date(doc, start, finish),
                     place=self._place(doc), origin=ORIGIN.get(doc).origin, origin_source_id=ORIGIN.get(doc).source_id,
                     tally=Tally(evidence=report.evidence(min(first.idx, token.idx), end), count=count, counted=counted,
                                 counted_by=counter, blamed=blamed, period_start=start, period_end=finish,
                                 by_monitor=monitor))

    def _phrase_at(self, doc: Doc, i: int) -> str:
        lemmas = LEMMAS.get(doc)
        for phrase in self.phrases:
            words = phrase.split()
            if i + 1 >= len(words) and lemmas[i + 1 - len(words): i + 1] == words:
                return phrase
        return ""

    def _counted_at(self, doc: Doc, i: int) -> str | None:
        phrase = self._phrase_at(doc, i)
        if not phrase or doc[i].pos_ not in ("NOUN", "PROPN"):
            return None
        return self.words.counted[phrase]

    def _number_before(self, doc: Doc, i: int, gap: int) -> Token | None:
        """The number within ``gap`` words before position ``i`` ("15 violations", "no violations")."""
        for token in reversed(doc[max(0, i - gap): i]):
            if token.lower_ in self.negatives or self._value(token) is not None:
                return token
            if token.pos_ not in ("NOUN", "ADJ", "PROPN", "NUM") or token.lower_ in self.numbers:
                return None
        return None

    def _value(self, token: Token) -> int | None:
        text = token.lower_.replace(",", "")
        if text.isdigit():
            return int(text)
        if text in self.numbers and text not in self.lexicon.language.uncounted_numbers:
            return int(self.numbers[text])
        return None

    def _agent(self, noun: Token) -> Token | None:
        """"violations by the rebels" (the object of an agent preposition right after the counted
        noun, wherever the parse hangs it), or "rebel violations"."""
        agents = self.lexicon.language.roles.agent_prepositions
        for word in noun.doc[noun.i + 1: noun.i + 1 + AGENT_GAP]:
            if word.lower_ in agents:
                return next((c for c in word.children if c.dep_ == "pobj"), None)
        return next((c for c in noun.children if c.dep_ in ("compound", "amod", "poss")), None)

    def _blamed(self, actors: list[Mention], token: Token | None, counter: ClaimActor | None) -> ClaimActor | None:
        found = mention_in(actors, token) if token is not None else None
        if found is None or (counter is not None and counter.evidence == found.evidence):
            return None
        return as_actor(found, Role.PERPETRATOR)

    def _period(self, doc: Doc, report: ReportSentence) -> tuple[dt.date, dt.date]:
        """"in the past 24 hours" ends at publication; a named date is its own period; else the publication day."""
        lowered = doc.text.lower()
        for phrase, hours in self.words.periods.items():
            if phrase in lowered:
                return report.published - dt.timedelta(days=math.ceil(hours / 24)), report.published
        named = named_date(doc, self.lexicon.language)
        if named is not None and named.evidence is not None:
            before = set(LEMMAS.get(doc)[:_token_at(doc, named.evidence.start - report.start)])
            return named.earliest, report.published if before & set(self.words.since_words) else named.latest
        return report.published, report.published

    def _date(self, doc: Doc, start: dt.date, end: dt.date) -> ClaimDate:
        named = named_date(doc, self.lexicon.language)
        precision = 1 if start == end else 2 if (end - start).days <= 7 else 3
        return ClaimDate(evidence=named.evidence if named else None, earliest=start, latest=end,
                         time_precision=precision)

    def _place(self, doc: Doc) -> ClaimPlace | None:
        return next((m.place for m in PLACES.get(doc) if m.place is not None), self.country)


def _token_at(doc: Doc, offset: int) -> int:
    return next((t.i for t in doc if t.idx >= offset), len(doc))


def counted_spans(claims: list[Claim]) -> list[tuple[int, int]]:
    """Where in the report the counts of these tallies are told: event words there make no event."""
    return [(c.tally.evidence.start, c.tally.evidence.end) for c in claims if c.tally is not None]
