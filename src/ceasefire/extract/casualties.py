"""Component ``ceasefire.casualties.v1``: deaths and injuries in a sentence, from numbers and
number words with their qualifiers ("at least 12", "dozens" = 12 as ACLED codes it, "no
casualties" = 0)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import LanguageData
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT, ReportSentence
from ceasefire.model import Casualties


@dataclass(frozen=True)
class Count:
    low: int
    best: int
    high: int | None
    qualifier: str
    start: int  # character offsets within the sentence doc
    end: int
    civilians: bool | None


RANGE = re.compile(r"(\d+)[–-](\d+)")
RANGE_WORDS = frozenset({"-", "–", "to", "and"})

KILLED: DocAttr[Casualties | None] = DocAttr("killed")
INJURED: DocAttr[Casualties | None] = DocAttr("injured")


@component("ceasefire.casualties.v1", requires=["token.lemma", "token.dep", "token.head", REPORT],
           assigns=[KILLED, INJURED])
def make_casualties(lexicon: Lexicon, gazetteer: Gazetteer) -> CasualtyCounter:
    return CasualtyCounter(lexicon.language)


class CasualtyCounter:
    def __init__(self, language: LanguageData) -> None:
        self.language = language

    def __call__(self, doc: Doc) -> Doc:
        killed, injured = counts(doc[:], self.language)
        report = REPORT.get(doc)
        KILLED.set(doc, _casualties(report, killed))
        INJURED.set(doc, _casualties(report, injured))
        return doc


def _casualties(report: ReportSentence, count: Count | None) -> Casualties | None:
    if count is None:
        return None
    return Casualties(evidence=report.evidence(count.start, count.end), low=count.low, best=count.best,
                      high=count.high, qualifier=count.qualifier, civilians=count.civilians)


def counts(sentence: Span, language: LanguageData) -> tuple[Count | None, Count | None]:
    """(killed, injured) in one sentence; numbers under "including" are parts, not added."""
    lowered = sentence.text.lower()
    for phrase in language.no_casualty_phrases:
        at = lowered.find(phrase)
        if at >= 0:
            start = sentence.start_char + at
            return Count(0, 0, 0, "none", start, start + len(phrase), None), None
    killed: list[Count] = []
    injured: list[Count] = []
    for token in sentence:
        value = _number(token, language)
        if value is None or _is_part(token, language) or _range_end(token):
            continue
        kind = _counted(token, language)
        if kind is not None:
            count = _count(token, value, language)
            (killed if kind == "killed" else injured).append(count)
    return _total(killed), _total(injured)


def _number(token: Token, language: LanguageData) -> int | None:
    text = token.lower_.replace(",", "")
    if _in_date_or_money(token, language):
        return None
    if text.isdigit():
        return int(text) if int(text) < 100_000 else None
    span = RANGE.fullmatch(text)
    if span:  # "46–48 civilians": the lower figure, as ACLED keeps the most conservative
        return int(span.group(1)) if int(span.group(1)) < 100_000 else None
    if text in language.vague_numbers:
        return int(language.vague_numbers[text])
    phrase = _vague_phrase(token, language)
    if phrase:
        return int(language.vague_numbers[phrase])
    if text in language.uncounted_numbers and _one_person(token, language):
        return 1
    if text in language.numbers and text not in language.uncounted_numbers:
        value = int(language.numbers[text])
        nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
        if nxt is not None and nxt.lower_ in language.multipliers:
            value *= int(language.numbers[nxt.lower_])
        prev = token.nbor(-1) if token.i > 0 else None
        if text in language.multipliers and prev is not None and prev.lower_ in language.numbers:
            return None  # counted with the word before it
        return value
    return None


def _range_end(token: Token) -> bool:
    """The upper figure of a range ("15-21", "6 to 31", "between 135 and 300"): not a count of its own."""
    doc, i = token.doc, token.i
    if i < 2 or not doc[i - 2].like_num or doc[i - 1].lower_ not in RANGE_WORDS:
        return False
    return doc[i - 1].lower_ != "and" or (i >= 3 and doc[i - 3].lower_ == "between")


def _vague_phrase(token: Token, language: LanguageData) -> str | None:
    """The phrase of ``vague_numbers`` this word counts for ("number" in "a number of", "dozen"
    in "a dozen"): the word before a closing partitive, else the last word."""
    doc = token.doc
    for phrase in language.vague_numbers:
        words = phrase.split()
        if len(words) < 2:
            continue
        at = len(words) - 2 if words[-1] == language.partitive else len(words) - 1
        start = token.i - at
        if words[at] == token.lower_ and start >= 0 and [t.lower_ for t in doc[start:start + len(words)]] == words:
            return phrase
    return None


def _one_person(token: Token, language: LanguageData) -> bool:
    """"A militant was killed", "an officer died": the article counts one person."""
    noun = token.head
    return token.dep_ == "det" and noun.lemma_.lower() in (*language.fighter_words, *language.civilian_words) \
        and noun.tag_ in ("NN", "NNP") and noun.dep_ in ("nsubj", "nsubjpass", "dobj")


def _in_date_or_money(token: Token, language: LanguageData) -> bool:
    """"30 December", "$4 billion", "six years", "20 km": numbers that count no one."""
    doc = token.doc
    neighbours = [doc[i].lower_ for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc)]
    return any(n in language.uncounted_neighbours for n in neighbours) or (
        token.text.isdigit() and len(token.text) == 4 and token.text.startswith(("19", "20")))


def _is_part(token: Token, language: LanguageData) -> bool:
    """A number inside "including five children" or "among them" is a part of another count."""
    for ancestor in list(token.ancestors)[:3]:
        word = ancestor.lower_
        if (word in language.part_markers or word == language.partitive) and ancestor.i < token.i:
            return word != language.partitive
    return False


def _counted(token: Token, language: LanguageData) -> str | None:
    death, injury = set(language.death_words), set(language.injury_words)
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if after is not None and after.pos_ == "VERB":  # "250 injured", "400 kidnapped": the word after says
        lemma = after.lemma_.lower()
        return "killed" if lemma in death else "injured" if lemma in injury else None
    related = [token, token.head, token.head.head, *token.head.children]
    if token.head.lower_ == language.partitive:  # "dozens of people were killed"
        related += [token.head.head, token.head.head.head]
    if token.head.head.lower_ == language.partitive:  # "the death of three soldiers"
        related += [token.head.head.head]
    lemmas = [t.lemma_.lower() for t in related]
    if any(lemma in death for lemma in lemmas):
        return "killed"
    if any(lemma in injury for lemma in lemmas):
        return "injured"
    window = [t.lemma_.lower() for t in token.doc[token.i + 1: token.i + 4]]
    if any(lemma in death for lemma in window):
        return "killed"
    if any(lemma in injury for lemma in window):
        return "injured"
    return None


def _count(token: Token, value: int, language: LanguageData) -> Count:
    before = token.doc[max(0, token.i - 3): token.i].text.lower()
    qualifier = next((q for q in language.qualifiers if before.endswith(q)), "")
    phrase = _vague_phrase(token, language)
    if token.lower_ in language.vague_numbers or phrase:
        qualifier = phrase or token.lower_
    start_token = token.doc[token.i - len(qualifier.split())] if qualifier and qualifier != token.lower_ else token
    if phrase:
        start_token = token.doc[token.i - phrase.split().index(token.lower_)]
    noun = token.head if token.dep_ in ("nummod", "quantmod", "compound") else token
    if token.head.lower_ == language.partitive:
        noun = token.head.head
    civilian = set(language.civilian_words)
    fighter = set(language.fighter_words)
    civilians = True if noun.lemma_.lower() in civilian else False if noun.lemma_.lower() in fighter else None
    end = max(token.idx + len(token), noun.idx + len(noun)) if noun.i >= token.i else token.idx + len(token)
    high = None if qualifier in language.open_qualifiers else value
    return Count(value, value, high, qualifier, start_token.idx, end, civilians)


def _total(found: list[Count]) -> Count | None:
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    best = sum(c.best for c in found)
    civilians = found[0].civilians if all(c.civilians == found[0].civilians for c in found) else None
    return Count(sum(c.low for c in found), best, None, "sum", min(c.start for c in found),
                 max(c.end for c in found), civilians)
