"""What every sentence component reads first: which report the sentence comes from, and how
its words become evidence (character offsets into the report, not into the sentence).

The Extractor sets ``doc._.report`` on each parsed sentence before the components run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ceasefire.extract.registry import DocAttr
from ceasefire.model import ClaimDate, Evidence


@dataclass(frozen=True)
class InReport:
    """The sentence's report (its hash and publication day) and where the sentence starts in its text."""

    sha256: str
    published: dt.date
    start: int


REPORT: DocAttr[InReport] = DocAttr("report")


def evidence(doc: Doc, start: int, end: int) -> Evidence:
    """The words between two character offsets of the sentence."""
    base = REPORT.get(doc).start
    return Evidence(start=base + start, end=base + end, text=doc.text[start:end])


def token_evidence(doc: Doc, token: Token) -> Evidence:
    return evidence(doc, token.idx, token.idx + len(token))


def whole(doc: Doc) -> Evidence:
    """The whole sentence."""
    return evidence(doc, 0, len(doc.text))


def publication_day(doc: Doc) -> ClaimDate:
    """The date of a claim whose sentence names none: the day the report was published."""
    published = REPORT.get(doc).published
    return ClaimDate(earliest=published, latest=published, time_precision=1)


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above a word in the parse."""
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            return ancestor
    return None
