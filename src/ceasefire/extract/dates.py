"""Dates of events, resolved against the report's publication time ("on Sunday", "yesterday",
"last week", "January 15"), with ACLED's time precision (1 day, 2 week, 3 month)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import dateparser

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_EXPLICIT = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")\b|\b(" + "|".join(MONTHS)
                       + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_MONTH_ONLY = re.compile(r"^(?:in |since |during |early |late |mid-?)?(" + "|".join(MONTHS)
                         + r")(?: (last year|\d{4}))?$", re.IGNORECASE)

DateRange = tuple[dt.date, dt.date, int]
_MONTHS = "|".join(MONTHS)
_DAY_MONTH = rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{_MONTHS})(?:,?\s+\d{{4}})?"
_MONTH_DAY = rf"(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
_MONTH_YEAR = rf"(?:early\s+|late\s+|mid-?)?(?:{_MONTHS})(?:\s+(?:last\s+year|\d{{4}}))?"


def finder(language: dict[str, Any]) -> re.Pattern[str]:
    """One pattern for every date expression the resolver understands, longest first."""
    words = [*language["relative_spans"], *language["relative_days"]]
    weekdays = "|".join(language["weekdays"])
    alternatives = [_DAY_MONTH, _MONTH_DAY, rf"(?:last\s+)?(?:{weekdays})(?:\s+(?:night|morning|evening|afternoon))?",
                    *(re.escape(w) for w in sorted(words, key=len, reverse=True)), _MONTH_YEAR]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def resolve(text: str, published: dt.date, language: dict[str, Any]) -> DateRange | None:
    """The date range a date expression names, or None when it names none.

    "on Sunday" is the most recent Sunday on or before publication; an explicit day without
    a year takes the year that puts it nearest before publication.
    """
    lowered = text.lower().strip()
    for phrase, days_back in language["relative_days"].items():
        if re.search(rf"\b{re.escape(phrase)}\b", lowered):
            day = published - dt.timedelta(days=days_back)
            return day, day, 1
    for phrase, span in language["relative_spans"].items():
        if phrase in lowered:
            return published - dt.timedelta(days=span["days"]), published, span["precision"]
    for index, weekday in enumerate(language["weekdays"]):
        if re.search(rf"\b{weekday}\b", lowered):
            back = (published.weekday() - index) % 7
            if "last" in lowered.split() and back == 0:
                back = 7
            day = published - dt.timedelta(days=back)
            return day, day, 1
    explicit = _EXPLICIT.search(lowered)
    if explicit:
        return _explicit_day(explicit, published)
    month = _MONTH_ONLY.search(lowered)
    if month:
        year = month.group(2)
        return _month(MONTHS.index(month.group(1).lower()) + 1, published,
                      published.year - 1 if year == "last year" else int(year) if year else None)
    return _parsed(text, published)


def _explicit_day(match: re.Match[str], published: dt.date) -> DateRange | None:
    day_text = match.group(1) or match.group(4)
    month_text = match.group(2) or match.group(3)
    month = MONTHS.index(month_text.lower()) + 1
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
