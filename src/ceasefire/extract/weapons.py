"""Component ``ceasefire.weapons.v1``: the weapons a sentence names, with calibre and count:
"four 122mm howitzers", "a Grad multiple rocket launcher", "T-64 tanks", "mortar rounds".

Generic kinds come from the language data (``weapons.kinds``), named systems from the pack's
``weapons.yaml``; a named system followed by a kind word ("Grad multiple rocket launcher") is
one weapon. The pack's table gives the weapon class when the system or the calibre decides it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import LanguageData
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT, ReportSentence
from ceasefire.model import WeaponMention, WeaponSystem, WeaponTable

WEAPONS: DocAttr[list[WeaponMention]] = DocAttr("weapons")
LEFT_WORDS = 4  # words before a weapon that may give its count and calibre ("four 122 mm self-propelled")
BRACKET = re.compile(r"\s*\(\s*")  # "howitzers (2S1 Gvozdika, 122mm)": the system named in brackets
MAX_BRACKET = 20  # characters after the system's name to the closing bracket


@dataclass(frozen=True)
class _Named:
    start: int  # character offsets in the sentence
    end: int
    kind: str
    system: WeaponSystem | None
    bracket: str = ""  # what follows a system named in brackets ("122mm)")


@component("ceasefire.weapons.v1", requires=[REPORT, "token.pos", "token.dep"], assigns=[WEAPONS])
def make_weapons(lexicon: Lexicon, gazetteer: Gazetteer) -> Weapons:
    return Weapons(lexicon.language, lexicon.weapons)


class Weapons:
    def __init__(self, language: LanguageData, table: WeaponTable) -> None:
        self.words, self.numbers, self.table = language.weapons, language.numbers, table
        kinds = sorted(self.words.kinds, key=len, reverse=True)
        self.kinds = re.compile(r"(?<![\w-])(" + "|".join(_phrase(k) for k in kinds) + r")(?:e?s)?(?![\w-])",
                                re.IGNORECASE)
        names = sorted({n for s in table.systems for n in s.names}, key=len, reverse=True)
        self.systems = re.compile(r"(?<![\w-])(" + "|".join(_phrase(n) for n in names) + r")(?![\w-])",
                                  re.IGNORECASE) if names else None
        units = "|".join(re.escape(u) for u in sorted(self.words.calibre_units, key=len, reverse=True))
        self.calibre = re.compile(r"(\d+(?:\.\d+)?)\s*-?\s*(" + units + r")\b", re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        report = REPORT.get(doc)
        WEAPONS.set(doc, [self._mention(doc, report, n) for n in self._named(report.text)])
        return doc

    def _named(self, text: str) -> list[_Named]:
        """Kinds and systems in the text. A system right before a kind word ("Grad multiple rocket
        launcher") or in brackets right after it ("howitzers (2S1 Gvozdika, 122mm)") is one weapon."""
        systems = [_Named(m.start(), m.end(), s.kind, s) for m in (self.systems.finditer(text) if self.systems else ())
                   if (s := self.table.system_named(m.group(1))) is not None]
        found: list[_Named] = []
        for match in self.kinds.finditer(text):
            start, end = match.span()
            if any(n.start <= start < n.end for n in systems):
                continue  # the kind word is part of a system's name
            before = next((n for n in systems if n.end <= start and text[n.end:start].strip(" -") == ""), None)
            after = next((n for n in systems if n.start >= end and BRACKET.fullmatch(text[end:n.start])), None)
            if before is not None:
                systems.remove(before)
                found.append(_Named(before.start, end, before.kind, before.system))
            elif after is not None:
                systems.remove(after)
                close = text.find(")", after.end)
                bracket_end = close + 1 if 0 <= close - after.end <= MAX_BRACKET else after.end
                found.append(_Named(start, bracket_end, after.kind, after.system, text[after.end:bracket_end]))
            else:
                found.append(_Named(start, end, self._kind(match.group(1)), None))
        return sorted(found + systems, key=lambda n: n.start)

    def _kind(self, words: str) -> str:
        wanted = words.casefold()
        return next(kind for phrase, kind in self.words.kinds.items() if phrase.casefold() == wanted)

    def _mention(self, doc: Doc, report: ReportSentence, named: _Named) -> WeaponMention:
        first = next((t for t in doc if t.idx + len(t) > named.start), doc[0])
        start, count, calibre = named.start, None, None
        for token in reversed(doc[max(0, first.i - LEFT_WORDS): first.i]):
            match = self.calibre.fullmatch(doc.text[token.idx: named.start].strip(" -"))
            value = self._number(token)
            if match:
                calibre, start = float(match.group(1)) * self.words.calibre_units[match.group(2).lower()], token.idx
            elif value is not None:
                count, start = value, token.idx
                break
            elif token.pos_ not in ("ADJ", "NOUN", "PROPN", "PUNCT", "NUM") and token.dep_ != "amod":
                break  # "three towed howitzers": a participle modifying the weapon goes on
        end = named.end
        after = doc.text[end:].split(maxsplit=1)
        ammunition = bool(after) and after[0].strip(".,;").lower() in self.words.ammunition_words
        if ammunition:
            count = None
        system = named.system
        stated = self.calibre.search(named.bracket)
        if stated is not None:
            calibre = float(stated.group(1)) * self.words.calibre_units[stated.group(2).lower()]
        if calibre is None and system is not None:
            calibre = system.calibre_mm
        return WeaponMention(evidence=report.evidence(start, end), kind=named.kind,
                             name=system.name if system else None, calibre_mm=calibre, count=count,
                             weapon_class=self.table.classify(named.kind, calibre, system.name if system else None))

    def _number(self, token: Token) -> int | None:
        text = token.lower_.replace(",", "")
        if text.isdigit():
            value = int(text)
            return value if 0 < value <= self.words.max_count else None
        return self.numbers.get(text)


def _phrase(words: str) -> str:
    """A phrase's words, matched with any spacing or a hyphen between them."""
    return r"[\s-]+".join(re.escape(w) for w in words.split())
