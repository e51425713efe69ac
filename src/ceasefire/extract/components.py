"""The sentence components of extraction, in the order they run (each registers itself).

Each reads what earlier ones assigned; :func:`ceasefire.extract.registry.check_order` checks
that before any text runs. The spaCy pipeline gives the parse (``token.dep``, ``token.lemma``,
...) and the name matches (``doc.spans``); the Extractor gives ``doc._.report``.
"""

from __future__ import annotations

from ceasefire.extract import (  # noqa: F401  (importing a component's module registers it)
    attribution,
    casualties,
    claims,
    control,
    dates,
    event_places,
    justification,
    mentions,
    modality,
    observations,  # issue 16: monitors' observations
    places,
    roles,
    statements,
    support,
    tallies,  # issue 16: counts of violations, explosions, attacks
    triggers,
    weapons,  # issue 16: weapons with calibre and count
    words,
)

SENTENCE_COMPONENTS = (
    "ceasefire.words.v1",  # lemmas and lowercase words, read once
    "ceasefire.mentions.v1",  # actor names on the parse; holders of places apart
    "ceasefire.places.v1",  # place names resolved in the gazetteer
    "ceasefire.casualties.v1",  # deaths and injuries
    "ceasefire.triggers.v1",  # events and their sub-events; tags
    "ceasefire.modality.v1",  # told as done, denied or threatened
    "ceasefire.control.v1",  # who holds a place
    "ceasefire.roles.v1",  # who did what to whom
    "ceasefire.event_places.v1",  # where each event happened
    "ceasefire.dates.v1",  # when each event happened
    "ceasefire.attribution.v1",  # whom the sentence cites
    "ceasefire.support.v1",  # who funds or backs whom
    "ceasefire.statements.v1",  # what is said about the agreement
    "ceasefire.justification.v1",  # a justification of the act just told, or its dispute
    "ceasefire.weapons.v1",  # weapons named, with calibre, count and the pack's class
    "ceasefire.tallies.v1",  # counts of violations or explosions, by whom, for which period
    "ceasefire.observations.v1",  # what a monitor saw itself; restrictions of its movement
    "ceasefire.claims.v1",  # the sentence's result, for the report's fold
)
