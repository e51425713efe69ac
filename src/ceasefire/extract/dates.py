"""Component ``ceasefire.dates.v1``: dates of events, resolved against the report's publication
day ("on Sunday", "yesterday", "last week", "January 15"), with ACLED's time precision (1 day,
2 week, 3 month).

An event takes the first date named in its own clause, or in a clause governing it ("said on
Sunday that ..."); an event whose sentence names none gets none here, and the assembly takes
the date the report last gave, else the publication day.

A date told from the one before ("three days later", "the next day") is a :class:`DateShift`,
which the assembly counts from the date the report last gave an event. An act named only as
background, by a noun or gerund under a verb in the present tense, in a sentence naming no date
("This is similar to ... taking control over the city"), is not an act of the publication day:
its date is marked undated (``ClaimDate.undated``, precision 3, bounded by a year before
publication), so it is never judged inside an agreement's window on a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import dateparser
from spacy.tokens import Doc, Span, Token

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import DateWords, LanguageData
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.registry import DocAttr, TokenAttr, component
from ceasefire.extract.sentence import REPORT, governing_verb
from ceasefire.extract.triggers import EVENTS
from ceasefire.model import ClaimDate, Evidence

DateRange = tuple[dt.date, dt.date, int]
UNDATED_REACH = dt.timedelta(days=365)  # how far back an undated act's date range is bounded
PRESENT_TAGS = frozenset({"VBZ", "VBP"})
BACKGROUND_TAGS = frozenset({"NN", "NNS", "VBG"})
FINITE_TAGS = frozenset({"VBZ", "VBP", "VBD", "MD"})


@dataclass(frozen=True)
class DateShift:
    """A date told from the one the report last gave: "three days later", "the next day" (``days``
    after it), or a day without a year, "26 January" (``month_day``, in the year the narrative is in)."""

    evidence: Evidence
    days: int = 0
    month_day: tuple[int, int] | None = None

    def after(self, last: ClaimDate) -> ClaimDate | None:
        if self.month_day is None:
            step = dt.timedelta(days=self.days)
            return ClaimDate(evidence=self.evidence, earliest=last.earliest + step, latest=last.latest + step,
                             time_precision=last.time_precision)
        month, day = self.month_day
        for year in (last.latest.year, last.latest.year + 1):  # a narrative goes forward, or a little back
            try:
                found = dt.date(year, month, day)
            except ValueError:
                return None
            if found >= last.earliest - dt.timedelta(days=31):
                return ClaimDate(evidence=self.evidence, earliest=found, latest=found, time_precision=1)
        return None


@dataclass(frozen=True)
class NamedDate:
    """The first date a sentence names, whether or not it tells an event ("The army advanced on
    4 October."): the report's last date moves on with it."""

    date: ClaimDate | None
    shift: DateShift | None


DATE_SPANS: DocAttr[list[Span]] = DocAttr("date_spans")
SENTENCE_DATE: DocAttr[NamedDate | None] = DocAttr("sentence_date")
EVENT_DATE: TokenAttr[ClaimDate | None] = TokenAttr("event_date")
EVENT_SHIFT: TokenAttr[DateShift | None] = TokenAttr("event_date_shift")


@component("ceasefire.dates.v1", requires=[EVENTS, REPORT, "token.pos", "token.head", "doc.sents"],
           assigns=[DATE_SPANS, EVENT_DATE, EVENT_SHIFT, SENTENCE_DATE])
def make_dates(lexicon: Lexicon, gazetteer: Gazetteer) -> Dates:
    return Dates(lexicon.language)


class Dates:
    def __init__(self, language: LanguageData) -> None:
        self.language = language
        self.finder = finder(language)

    def __call__(self, doc: Doc) -> Doc:
        found = (doc.char_span(m.start(), m.end(), alignment_mode="expand")
                 for m in self.finder.finditer(REPORT.get(doc).text) if not self._lowercase_month(m.group()))
        spans = [span for span in found if span is not None]
        DATE_SPANS.set(doc, spans)
        SENTENCE_DATE.set(doc, self._named(doc, spans[:1]) if spans else None)
        for event in EVENTS.get(doc):
            trigger = event.trigger
            verb = trigger if trigger.pos_ in ("VERB", "AUX") else (governing_verb(trigger) or trigger)
            governing = [span for span in spans if _governs(_clause_verb(span.root), verb)]
            shift = self._shift(doc, governing[0]) if governing else None
            date = None if shift else _first_resolved(doc, governing, self.language)
            if date is not None and date.evidence is not None and shift is None:
                shift = self._yearless(date.evidence)
            if date is None and shift is None and not spans and _background(trigger):
                date = undated(REPORT.get(doc).published)
            EVENT_DATE.set(trigger, date)
            EVENT_SHIFT.set(trigger, shift)
        return doc

    def _lowercase_month(self, text: str) -> bool:
        """English writes months capitalised: "the envoy may be considered" names no month."""
        return any(word in self.language.date_words.months for word in re.findall(r"[a-z]+", text)
                   if not any(c.isdigit() for c in text))

    def _named(self, doc: Doc, spans: list[Span]) -> NamedDate:
        shift = self._shift(doc, spans[0])
        date = None if shift else _first_resolved(doc, spans, self.language)
        if date is not None and date.evidence is not None:
            shift = self._yearless(date.evidence)
        return NamedDate(date, shift)

    def _yearless(self, evidence: Evidence) -> DateShift | None:
        """"On 26 January": a day and month whose year the narrative's last date decides."""
        lowered = evidence.text.lower()
        explicit = _patterns(self.language.date_words).explicit.search(lowered)
        if explicit is None or re.search(r"\b(?:19|20)\d{2}\b", lowered):
            return None
        months = self.language.date_words.months
        month = months.index((explicit.group(2) or explicit.group(3)).lower()) + 1
        return DateShift(evidence, month_day=(month, int(explicit.group(1) or explicit.group(4))))

    def _shift(self, doc: Doc, span: Span) -> DateShift | None:
        days = shift_days(span.text, self.language)
        if days is None:
            return None
        return DateShift(REPORT.get(doc).evidence(span.start_char, span.end_char), days=days)


def shift_days(text: str, language: LanguageData) -> int | None:
    """Days after the date last given that a chained date names ("two days later": 2), or None."""
    lowered = " ".join(text.lower().split())
    for phrase, days in language.chain_days.items():
        if lowered.endswith(phrase):
            return days
    match = re.fullmatch(rf"(?:\w+ )?(\w+) (\w+) (?:{_alternatives(language.chain_later)})", lowered)
    if match is None or match.group(2) not in language.chain_units:
        return None
    count = match.group(1)
    number = int(count) if count.isdigit() else language.numbers.get(count)
    return None if number is None else number * language.chain_units[match.group(2)]


def undated(published: dt.date) -> ClaimDate:
    """The date of an act the report gives no date for: some time before publication."""
    return ClaimDate(earliest=published - UNDATED_REACH, latest=published, time_precision=3, undated=True)


def _background(trigger: Token) -> bool:
    """An act named by a noun or gerund inside a prepositional phrase of a clause in the present
    tense ("is similar to ... in taking control over", "since the takeover of ..., the army has"):
    told as background, not as the news of the day."""
    if trigger.tag_ in FINITE_TAGS or trigger.dep_ == "ROOT":
        return False
    in_phrase = False
    for token in (trigger, *trigger.ancestors):
        in_phrase = in_phrase or token.dep_ in ("pobj", "pcomp")
        tense = _finite_tag(token) if token.pos_ in ("VERB", "AUX") else None
        if tense is not None:
            return in_phrase and tense in PRESENT_TAGS
    return False


def _finite_tag(verb: Token) -> str | None:
    """The finite tag of a verb's clause, its auxiliaries first ("has" in "has shelled"); None
    for a participle or gerund without one."""
    tags = [c.tag_ for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i] + [verb.tag_]
    return next((tag for tag in tags if tag in FINITE_TAGS), None)


def named_date(doc: Doc, language: LanguageData) -> ClaimDate | None:
    """The first date the sentence names, wherever it is."""
    return _first_resolved(doc, DATE_SPANS.get(doc), language)


def _first_resolved(doc: Doc, spans: list[Span], language: LanguageData) -> ClaimDate | None:
    report = REPORT.get(doc)
    for span in spans:
        resolved = resolve(span.text, report.published, language)
        if resolved:
            earliest, latest, precision = resolved
            return ClaimDate(evidence=report.evidence(span.start_char, span.end_char), earliest=earliest,
                             latest=latest, time_precision=precision)
    return None


def _clause_verb(token: Token) -> Token:
    return next((t for t in (token, *token.ancestors) if t.pos_ in ("VERB", "AUX")), token.sent.root)


def _governs(clause: Token, verb: Token) -> bool:
    return clause == verb or clause in verb.ancestors


@dataclass(frozen=True)
class _Patterns:
    explicit: re.Pattern[str]  # "30 December", "January 5th"
    month_only: re.Pattern[str]  # "in January", "July last year"


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words)


@lru_cache(maxsize=8)
def _patterns(words: DateWords) -> _Patterns:
    months, suffix = _alternatives(words.months), f"(?:{_alternatives(words.ordinal_suffixes)})"
    before_month = _alternatives((*words.month_prepositions, *words.month_parts))
    explicit = rf"\b(\d{{1,2}}){suffix}?\s+({months})\b|\b({months})\s+(\d{{1,2}}){suffix}?\b"
    month_only = (rf"^(?:(?:{before_month}) |{re.escape(words.mid)}-?)?({months})"
                  rf"(?: ({re.escape(words.last_year)}|\d{{4}}))?$")
    return _Patterns(re.compile(explicit, re.IGNORECASE), re.compile(month_only, re.IGNORECASE))


def finder(language: LanguageData) -> re.Pattern[str]:
    """One pattern for every date expression the resolver understands, longest first."""
    words = language.date_words
    months, suffix = _alternatives(words.months), f"(?:{_alternatives(words.ordinal_suffixes)})"
    mid, last = re.escape(words.mid), re.escape(words.last)
    last_year = r"\s+".join(re.escape(w) for w in words.last_year.split())
    day_month = rf"\d{{1,2}}{suffix}?(?:\s+{re.escape(words.day_of)})?\s+(?:{months})(?:,?\s+\d{{4}})?"
    month_day = rf"(?:{months})\s+\d{{1,2}}{suffix}?(?:,?\s+\d{{4}})?"
    weekday = (rf"(?:{last}\s+)?(?:{_alternatives(language.weekdays)})"
               rf"(?:\s+(?:{_alternatives(words.times_of_day)}))?")
    month_year = rf"(?:(?:{_alternatives(words.month_parts)})\s+|{mid}-?)?(?:{months})(?:\s+(?:{last_year}|\d{{4}}))?"
    relative = [*language.relative_spans, *language.relative_days]
    counts = _alternatives(tuple(language.numbers))
    chained = [*(re.escape(w) for w in sorted(language.chain_days, key=len, reverse=True)),
               rf"(?:\d{{1,3}}|{counts})\s+(?:{_alternatives(tuple(language.chain_units))})\s+"
               rf"(?:{_alternatives(language.chain_later)})"]
    relatives = (re.escape(w) for w in sorted(relative, key=len, reverse=True))
    alternatives = [*chained, day_month, month_day, weekday, *relatives, month_year]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def resolve(text: str, published: dt.date, language: LanguageData) -> DateRange | None:
    """The date range a date expression names, or None when it names none.

    "on Sunday" is the most recent Sunday on or before publication; an explicit day without
    a year takes the year that puts it nearest before publication.
    """
    words, patterns = language.date_words, _patterns(language.date_words)
    lowered = text.lower().strip()
    for phrase, days_back in language.relative_days.items():
        if re.search(rf"\b{re.escape(phrase)}\b", lowered):
            day = published - dt.timedelta(days=days_back)
            return day, day, 1
    for phrase, span in language.relative_spans.items():
        if phrase in lowered:
            return published - dt.timedelta(days=span.days), published, span.precision
    for index, weekday in enumerate(language.weekdays):
        if re.search(rf"\b{weekday}\b", lowered):
            back = (published.weekday() - index) % 7
            if words.last in lowered.split() and back == 0:
                back = 7
            day = published - dt.timedelta(days=back)
            return day, day, 1
    explicit = patterns.explicit.search(lowered)
    if explicit:
        return _explicit_day(explicit, published, words)
    month = patterns.month_only.search(lowered)
    if month:
        year = month.group(2)
        return _month(words.months.index(month.group(1).lower()) + 1, published,
                      published.year - 1 if year == words.last_year else int(year) if year else None)
    return _parsed(text, published)


def _explicit_day(match: re.Match[str], published: dt.date, words: DateWords) -> DateRange | None:
    day_text = match.group(1) or match.group(4)
    month_text = match.group(2) or match.group(3)
    month = words.months.index(month_text.lower()) + 1
    year_match = re.search(r"\b(19|20)\d{2}\b", match.string[match.end():match.end() + 8])
    years = [int(year_match.group(0))] if year_match else [published.year, published.year - 1]
    for year in years:
        try:
            day = dt.date(year, month, int(day_text))
        except ValueError:
            return None
        if year_match or day <= published + dt.timedelta(days=1):
            return day, day, 1
    return None


def _month(month: int, published: dt.date, year: int | None = None) -> DateRange:
    if year is None:
        year = published.year if month <= published.month else published.year - 1
    first = dt.date(year, month, 1)
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    return first, min(last, published), 3


def _parsed(text: str, published: dt.date) -> DateRange | None:
    if not re.search(r"\d", text):
        return None
    base = dt.datetime(published.year, published.month, published.day, 12)
    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]})
    if parsed is None or parsed.date() > published + dt.timedelta(days=1):
        return None
    return parsed.date(), parsed.date(), 1
