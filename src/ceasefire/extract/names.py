"""Name folding: one key for the many ways a transliterated name is written.

"Ain al-Fijeh", "‘Ayn al Fījah", "Ain Figeh" and "Ein Elfijeh" all fold to ``ain fija``.
The same folding is applied to the gazetteer and to the text, so the rules only need to be
consistent, not linguistically exact.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ARTICLES = frozenset({"al", "el", "as", "ad", "ar", "ash", "at", "az", "an", "es", "ed", "er", "ez", "en", "ul", "the"})
APOSTROPHES = "'’‘`´ʿʾʼ"
# Applied in order to each word. Arabic letters have several Latin spellings; fold them together.
WORD_RULES: tuple[tuple[str, str], ...] = (
    (r"^(?:al|el)(?=[^aeiou\W]{1})(?=\w{4,})", ""),  # glued article: "elfijeh" -> "fijeh"
    (r"gh", "G"),
    (r"kh", "K"),
    (r"sh", "S"),
    (r"dh", "D"),
    (r"th", "T"),
    (r"g", "j"),
    (r"q", "k"),
    (r"(ey|ei|ay|ai)", "ai"),
    (r"(ou|oo|o)", "u"),
    (r"(ee|ie)", "i"),
    (r"(ah|eh|a|e|h)$", "a"),
    (r"e", "a"),
    (r"(.)\1+", r"\1"),  # doubled letters
    (r"w$", "u"),
)
_COMPILED = tuple((re.compile(pattern), repl) for pattern, repl in WORD_RULES)
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat and tatweel


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """The comparison key of a place or actor name."""
    text = unicodedata.normalize("NFKD", name)
    if any("\u0600" <= ch <= "\u06ff" for ch in text):
        return " ".join(_ARABIC_MARKS.sub("", text).replace("ال", "").split())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(f"[{APOSTROPHES}]", "", text)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in ARTICLES]
    return " ".join(_fold_word(w) for w in words)


def _fold_word(word: str) -> str:
    if word.isdigit():
        return word
    for pattern, repl in _COMPILED:
        word = pattern.sub(repl, word)
    return word.lower()


def plain(name: str) -> str:
    """Lowercase without diacritics or punctuation, for exact phrase matching of actor names."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(f"[{APOSTROPHES}]", "", text)
    return " ".join(re.split(r"[^\w]+", text)).strip()
