"""spaCy component ``ceasefire_names``: finds the pack's actors and the gazetteer's places in
a Doc and merges each name into one token, so the parser sees "Ain al-Fijeh" as one word.

It runs first, before the parser. Matches land in ``doc.spans["actors"]`` (label
``actor_id|side``) and ``doc.spans["places"]`` (label: the folded name, a gazetteer key).
It stays a spaCy factory (not one of the sentence components of ``registry.py``) because it
must run inside the model's pipeline, before the parser.
"""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import LanguageData
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.names import ARTICLES, fold

MAX_NAME_TOKENS = 7
FUZZY_MIN_LENGTH = 5
FUZZY_CUTOFF = 90


@Language.factory("ceasefire_names", assigns=["doc.spans"])
def make_name_matcher(nlp: Language, name: str) -> NameMatcher:
    return NameMatcher()


class NameMatcher:
    """Longest match first, left to right; a place must start with a capital letter."""

    def __init__(self) -> None:
        self.lexicon: Lexicon | None = None
        self.gazetteer: Gazetteer | None = None

    def initialize(self, get_examples: Any = None, *, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.lexicon, self.gazetteer = lexicon, gazetteer
        self.words = NameWords(lexicon.language)
        # Words a name can start with (and their prefixes, for tokens split at an apostrophe):
        # most tokens start no name, and are skipped without trying the longer spans.
        first_words = {key.split()[0] for key in (*gazetteer.index, *lexicon.actors) if key}
        self.starts = {word[:n] for word in first_words for n in range(3, len(word) + 1)} | {
            w for w in first_words if len(w) < 3}
        self.starts |= {a.split()[0] for a in lexicon.acronyms}
        self.keys_by_initial: dict[str, list[str]] = {}
        for key in gazetteer.index:
            if len(key) >= FUZZY_MIN_LENGTH:
                self.keys_by_initial.setdefault(key[0], []).append(key)

    def __call__(self, doc: Doc) -> Doc:
        if self.lexicon is None or self.gazetteer is None:
            raise ValueError("ceasefire_names needs initialize(lexicon=..., gazetteer=...) before use")
        matches = self._matches(doc)
        offsets = [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), kind, label) for s, e, kind, label in matches]
        with doc.retokenize() as retokenizer:
            for start, end, _, _ in matches:
                if end - start > 1:
                    retokenizer.merge(doc[start:end])
        spans: dict[str, list[Span]] = {"actors": [], "places": []}
        for start_char, end_char, kind, label in offsets:
            span = doc.char_span(start_char, end_char, label=label)
            if span is not None:
                spans[kind].append(span)
        doc.spans["actors"], doc.spans["places"] = spans["actors"], spans["places"]
        return doc

    def _matches(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        assert self.lexicon is not None and self.gazetteer is not None
        pieces = [t.text_with_ws for t in doc]
        found, i = [], 0
        while i < len(doc):
            match = self._longest_at(doc, i, pieces) or self._near_miss(doc, i, pieces)
            if match:
                found.append(match)
                i = match[1]
            else:
                i += 1
        return found

    def _longest_at(self, doc: Doc, start: int, pieces: list[str]) -> tuple[int, int, str, str] | None:
        assert self.lexicon is not None and self.gazetteer is not None
        first = doc[start]
        if first.is_punct or first.is_space:
            return None
        if fold(first.text) not in self.starts and first.text not in self.starts and first.lower_ not in ARTICLES:
            return None
        for end in range(min(len(doc), start + MAX_NAME_TOKENS), start, -1):
            if not _clean_name(doc, start, end, self.words):
                continue
            text = "".join(pieces[start:end]).rstrip()
            key = fold(text)
            if _starts_a_name(doc, start, self.words) and key in self.gazetteer.index:
                if not (end - start == 1 and first.is_stop) and not _inside_longer_name(doc, start, end, self.words):
                    return start, end, "places", key
            actor = self.lexicon.actor(text)
            if actor is not None and not _loose_article(first, end - start):
                return start, end, "actors", f"{actor.actor_id or ''}|{actor.side.value}"
        return None


    def _near_miss(self, doc: Doc, start: int, pieces: list[str]) -> tuple[int, int, str, str] | None:
        """"in Saraqeb" for Saraqib: after a place preposition, a capitalised name the gazetteer
        lacks is matched to the closest known name (rapidfuzz ratio >= 90, same first two letters:
        "Saida" is not "Swaida"). The places component drops it when it lies far from the
        sentence's other places."""
        first = doc[start]
        if start == 0 or doc[start - 1].lower_ not in self.words.place_prepositions or not first.is_title \
                or not first.is_alpha:
            return None
        end = start + 1
        while end < len(doc) and end - start < 3 and doc[end].is_title and doc[end].is_alpha:
            end += 1
        key = fold("".join(pieces[start:end]).rstrip())
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        choices = self.keys_by_initial.get(key[0], [])
        choices = [c for c in choices if c[:2] == key[:2]]
        best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return (start, end, "places", best[0]) if best else None


class NameWords:
    """The English words the matcher reads around names (``lang/en.yaml``)."""

    def __init__(self, language: LanguageData) -> None:
        self.place_prepositions = frozenset(language.place_prepositions)
        self.glued_articles = frozenset(language.glued_articles)
        self.final_words = frozenset(language.name_final_words)
        self.heads = frozenset(language.name_heads)
        self.followers = frozenset((*language.name_followers, *language.weekdays, *language.date_words.months))


def _clean_name(doc: Doc, start: int, end: int, words: NameWords) -> bool:
    """A name does not end on punctuation or a bare article ("Jaysh al-Islam, the") and holds
    no punctuation but hyphens, apostrophes and full stops ("U.S.")."""
    last = doc[end - 1]
    if last.is_punct or (end - start > 1 and last.is_stop and last.lower_ not in words.final_words):
        return False
    if end - start == 2 and last.lower_ in words.glued_articles and doc[start].lower_ in words.heads:
        return False  # "Tal al" of "Tal al-Nhilah"
    return all(not doc[i].is_punct or doc[i].text in ("-", "'", "’", ".") for i in range(start, end - 1))


def _loose_article(first: Token, size: int) -> bool:
    """"as the national army": an English word that folds away like an article ("as", "at", "an")
    starts no actor's name unless glued to it ("as-Sham")."""
    return size > 1 and first.lower_ in ARTICLES and first.lower_ != "the" and bool(first.whitespace_)


def _starts_a_name(doc: Doc, start: int, words: NameWords) -> bool:
    """A capital, Arabic script, or a lowercase article glued to a name ("al-Bab")."""
    first = doc[start]
    if first.text[:1].isupper() or not first.text[:1].isascii():
        return True
    return first.lower_ in words.glued_articles and start + 2 < len(doc) and (
        doc[start + 1].text == "-" and doc[start + 2].text[:1].isupper())


def _inside_longer_name(doc: Doc, start: int, end: int, words: NameWords) -> bool:
    """"Sousa" in "Kafr Sousa", "Tell" in "Tell Tajrbeh", "Tal" in "Tal al-Nhilah": a capitalised word right before
    (mid-sentence) or right after makes this only part of a name the gazetteer does not know."""
    if start >= 2:
        before = doc[start - 1]
        if before.is_title and before.is_alpha and not before.is_stop and not doc[start - 2].is_punct:
            return True
    if end + 2 < len(doc) and end - start == 1 and doc[start].lower_ in words.heads and \
            doc[end].lower_ in words.glued_articles and doc[end + 1].text == "-" and doc[end + 2].text[:1].isupper():
        return True  # "Tal" in "Tal al-Nhilah": a name the gazetteer lacks, not the town "Tal"
    if end < len(doc):
        after = doc[end]
        return after.is_title and after.is_alpha and not after.is_stop and after.lower_ not in words.followers
    return False
