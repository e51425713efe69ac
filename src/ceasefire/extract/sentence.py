"""What every sentence component reads first: which report the sentence comes from, and how
its words become evidence (character offsets into the report, not into the sentence).

The Extractor sets ``doc._.report`` on each parsed sentence before the components run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Token

from ceasefire.extract.registry import DocAttr
from ceasefire.model import ClaimDate, Evidence


@dataclass(frozen=True)
class ReportSentence:
    """A sentence of a report: the report's hash and publication day, where the sentence starts
    in the report's text, and its text (kept: ``Doc.text`` joins the tokens on every access)."""

    sha256: str
    published: dt.date
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def evidence(self, start: int, end: int) -> Evidence:
        """The words between two character offsets of the sentence."""
        return Evidence(start=self.start + start, end=self.start + end, text=self.text[start:end])

    def token_evidence(self, token: Token) -> Evidence:
        return self.evidence(token.idx, token.idx + len(token))

    def whole(self) -> Evidence:
        return self.evidence(0, len(self.text))

    def publication_day(self) -> ClaimDate:
        """The date of a claim whose sentence names none: the day the report was published."""
        return ClaimDate(earliest=self.published, latest=self.published, time_precision=1)


REPORT: DocAttr[ReportSentence] = DocAttr("report")


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above a word in the parse."""
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            return ancestor
    return None
