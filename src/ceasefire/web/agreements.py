"""The agreements a database monitors, as the web app offers them: one pack per agreement, the
one a reader chose (``?agreement=ID``, kept in the session), and the app's own pack by default."""

from __future__ import annotations

from fastapi import Request

from ceasefire.errors import PackError
from ceasefire.model import AgreementPack
from ceasefire.packs import load_pack
from ceasefire.store import Store

CHOICE = "agreement"  # the query parameter and the session key


def monitored_packs(store: Store, pack: AgreementPack) -> dict[str, AgreementPack]:
    """The given pack first, then the pack of every other agreement the database monitors (a pack
    that no longer loads is left out: the app serves the others)."""
    packs = {pack.agreement.id: pack}
    for agreement in store.agreements():
        if agreement.id in packs:
            continue
        for ref in (agreement.id, agreement.pack_path):
            try:
                packs[agreement.id] = load_pack(ref)
                break
            except PackError:
                continue
    return packs


def pack_of(request: Request) -> AgreementPack:
    """The pack of the agreement this request reads under: the one asked for, else the one chosen
    earlier in this session, else the app's own."""
    packs: dict[str, AgreementPack] = request.app.state.packs
    asked = request.query_params.get(CHOICE)
    if asked in packs:
        request.session[CHOICE] = asked
        return packs[asked]
    chosen = request.session.get(CHOICE)
    return packs[chosen] if chosen in packs else request.app.state.pack
