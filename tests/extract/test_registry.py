"""The sentence pipeline is checked when it is built: a component placed before the one that
assigns what it reads fails with the names of both, before any text runs."""

from __future__ import annotations

import re

import pytest

from ceasefire.errors import ExtractError
from ceasefire.extract.components import SENTENCE_COMPONENTS
from ceasefire.extract.extractor import Extractor
from ceasefire.extract.registry import REGISTERED, check_order
from ceasefire.model import AgreementPack

# What the spaCy pipeline and the Extractor give before the first component.
GIVEN = {"doc.spans", "doc.sents", "token.dep", "token.head", "token.pos", "token.lemma", "doc._.report"}


def test_a_misordered_pipeline_fails_when_the_extractor_is_built(syria_pack: AgreementPack) -> None:
    misordered = list(SENTENCE_COMPONENTS)
    misordered.remove("ceasefire.control.v1")
    misordered.insert(misordered.index("ceasefire.roles.v1") + 1, "ceasefire.control.v1")
    with pytest.raises(ExtractError) as raised:
        Extractor(syria_pack, components=misordered)
    assert str(raised.value) == (
        "The sentence component ceasefire.roles.v1 (position 7) reads doc._.controls, which no earlier component "
        "assigns. Put ceasefire.control.v1 before ceasefire.roles.v1.")


def test_a_missing_component_is_named_with_the_one_to_add() -> None:
    without_words = [name for name in SENTENCE_COMPONENTS if name != "ceasefire.words.v1"]
    with pytest.raises(ExtractError, match=re.escape(
            "ceasefire.triggers.v1 (position 4) reads doc._.lemmas, which no earlier component assigns. "
            "Add ceasefire.words.v1 before ceasefire.triggers.v1.")):
        check_order(without_words, GIVEN)


def test_a_requirement_of_the_parse_must_come_from_the_spacy_pipeline() -> None:
    with pytest.raises(ExtractError, match=r"ceasefire.mentions.v1 \(position 2\) reads token.dep, .* from the spaCy "
                                           r"pipeline or the Extractor"):
        check_order(SENTENCE_COMPONENTS, GIVEN - {"token.dep"})


def test_an_unknown_component_lists_the_registered_ones() -> None:
    with pytest.raises(ExtractError, match=r"No sentence component is registered as 'ceasefire.sentiment.v1'. "
                                           r"Registered: ceasefire.attribution.v1, "):
        check_order(["ceasefire.sentiment.v1"], GIVEN)


def test_the_bundled_order_passes_and_runs_every_registered_component() -> None:
    check_order(SENTENCE_COMPONENTS, GIVEN)
    assert sorted(SENTENCE_COMPONENTS) == sorted(REGISTERED)


def test_registered_names_are_versioned() -> None:
    assert [name for name in REGISTERED if not re.fullmatch(r"ceasefire\.[a-z_]+\.v[0-9]+", name)] == []
