"""The agreement switch in Debian's Chromium: a database monitoring two agreements shows one at a
time, the reader switches between them, and the choice holds across pages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ceasefire.store import Store
from ceasefire.web.accounts import add_user
from tests.test_agreements import MINSK, SYRIA, both, minsk_pack  # noqa: F401 (fixtures)
from tests.web.conftest import PASSWORDS, ROLES, start_server
from tests.web.test_browser import CHROMIUM, browser, page, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def two_agreements(both: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: F811
    """`ceasefire serve` over a copy of the two-agreement database, with one account per role."""
    copy = tmp_path_factory.mktemp("switch") / "switch.db"
    shutil.copy(both, copy)
    store = Store.open(str(copy))
    for name, role in ROLES.items():
        add_user(store, name, role, PASSWORDS[name])
    store.close()
    process, url = start_server(str(copy), wait=240)  # two packs to load, on a shared machine
    yield url
    process.terminate()
    process.wait(10)


def places(shown: Page) -> set[str]:
    return {text.split(" · ", 1)[1] for text in shown.locator("#incident-list li[data-id] a").all_inner_texts()}


def test_the_agreement_switch_shows_one_agreement_at_a_time(page: Page, two_agreements: str) -> None:  # noqa: F811
    sign_in(page, two_agreements, "ana")
    page.goto(two_agreements + "/")
    switch = page.get_by_test_id("agreement-switch")
    expect(switch.locator("a")).to_have_text([SYRIA, MINSK])
    expect(switch.locator("a[aria-current=true]")).to_have_text(SYRIA)
    syrian = places(page)
    assert syrian and "Douma" in " ".join(syrian)
    switch.get_by_text(MINSK).click()
    expect(switch.locator("a[aria-current=true]")).to_have_text(MINSK)
    ukrainian = places(page)
    assert ukrainian and not ukrainian & syrian and "Shyrokyne" in " ".join(ukrainian)
    expect(page.locator("footer")).to_contain_text(MINSK)
    page.goto(two_agreements + "/agreement")  # the choice holds on the next page
    expect(page.locator("main")).to_contain_text("Minsk")
    expect(page.get_by_test_id("agreement-switch").locator("a[aria-current=true]")).to_have_text(MINSK)
