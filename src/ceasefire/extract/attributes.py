"""spaCy component ``ceasefire_tag_attributes``: the model's attribute ruler as dictionaries.

en_core_web_sm maps fine-grained tags (and a few words) to POS, morphology and lemmas with a
Matcher, which costs about as much as its parser on short sentences. The same single-token
rules, looked up in dicts, give the same annotations for a fraction of the cost.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("ceasefire_tag_attributes", assigns=["token.pos", "token.morph", "token.lemma"])
def make_tag_attributes(nlp: Language, name: str) -> TagAttributes:
    return TagAttributes()


class TagAttributes:
    def __init__(self) -> None:
        self.by_tag: dict[str, dict[str, Any]] = {}
        self.by_word_tag: dict[tuple[str, str], dict[str, Any]] = {}
        self.by_word: dict[str, dict[str, Any]] = {}

    def initialize(self, get_examples: Any = None, *, patterns: list[dict[str, Any]]) -> None:
        """Take the single-token rules of an attribute ruler (``AttributeRuler.patterns``)."""
        for rule in patterns:
            for pattern in rule["patterns"]:
                if len(pattern) != 1:
                    continue
                token, attrs = pattern[0], rule["attrs"]
                if set(token) == {"TAG"}:
                    for tag in _values(token["TAG"]):
                        self.by_tag.setdefault(tag, {}).update(attrs)
                elif set(token) == {"LOWER", "TAG"}:
                    for word in _values(token["LOWER"]):
                        for tag in _values(token["TAG"]):
                            self.by_word_tag.setdefault((word, tag), {}).update(attrs)
                elif set(token) == {"LOWER"}:
                    for word in _values(token["LOWER"]):
                        self.by_word.setdefault(word, {}).update(attrs)

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            for attrs in (self.by_tag.get(token.tag_), self.by_word.get(token.lower_),
                          self.by_word_tag.get((token.lower_, token.tag_))):
                if attrs:
                    if "POS" in attrs:
                        token.pos_ = attrs["POS"]
                    if "MORPH" in attrs:
                        token.set_morph(attrs["MORPH"])  # type: ignore[attr-defined]  # missing from spaCy's stubs
                    if "LEMMA" in attrs:
                        token.lemma_ = attrs["LEMMA"]
        return doc


def _values(value: Any) -> list[str]:
    """A pattern value: one string, or {"IN": [...]}; other operators (regexes) are left out."""
    if isinstance(value, dict):
        return list(value.get("IN", []))
    return [value]
