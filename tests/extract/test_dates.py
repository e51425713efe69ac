import datetime as dt

import pytest

from ceasefire.extract.dates import resolve
from ceasefire.extract.lexicon import language_data

PUBLISHED = dt.date(2017, 1, 10)  # a Tuesday
EN = language_data("en")


@pytest.mark.parametrize(("text", "earliest", "latest", "precision"), [
    ("yesterday", "2017-01-09", "2017-01-09", 1),
    ("on Sunday", "2017-01-08", "2017-01-08", 1),
    ("Tuesday night", "2017-01-10", "2017-01-10", 1),
    ("last week", "2017-01-03", "2017-01-10", 2),
    ("earlier this month", "2016-12-10", "2017-01-10", 3),
    ("January 5", "2017-01-05", "2017-01-05", 1),
    ("December 30th", "2016-12-30", "2016-12-30", 1),
    ("28 May 2013", "2013-05-28", "2013-05-28", 1),
    ("July last year", "2016-07-01", "2016-07-31", 3),
])
def test_relative_and_explicit_dates_resolve_against_publication(text: str, earliest: str, latest: str,
                                                                  precision: int) -> None:
    assert resolve(text, PUBLISHED, EN) == (dt.date.fromisoformat(earliest), dt.date.fromisoformat(latest),
                                             precision)


def test_words_without_a_date_give_none() -> None:
    assert resolve("the six-year war", PUBLISHED, EN) is None
