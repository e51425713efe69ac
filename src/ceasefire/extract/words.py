"""Component ``ceasefire.words.v1``: the sentence's lemmas and lowercase words, read once for
the components after it (spaCy builds a Python object for each token on every pass over a Doc).

``doc._.cue_words`` adds the words of merged names ("the state's warplanes" gives "warplanes") and
each word without a final "s" ("warplane"), for cues that may be written inside a name.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.registry import DocAttr, component

LEMMAS: DocAttr[list[str]] = DocAttr("lemmas")  # lowercased, one per token
LOWERS: DocAttr[list[str]] = DocAttr("lowers")
CUE_WORDS: DocAttr[set[str]] = DocAttr("cue_words")


@component("ceasefire.words.v1", requires=["token.lemma"], assigns=[LEMMAS, LOWERS, CUE_WORDS])
def make_words(lexicon: Lexicon, gazetteer: Gazetteer) -> Words:
    return Words()


class Words:
    def __call__(self, doc: Doc) -> Doc:
        lemmas = [t.lemma_.lower() for t in doc]
        lowers = [t.lower_ for t in doc]
        LEMMAS.set(doc, lemmas)
        LOWERS.set(doc, lowers)
        CUE_WORDS.set(doc, cue_words(lemmas, lowers))
        return doc


def cue_words(lemmas: list[str], lowers: list[str]) -> set[str]:
    words = set(lemmas) | set(lowers)
    words |= {w for word in lowers if " " in word for w in word.split()}
    return words | {w[:-1] for w in words if w.endswith("s")}
