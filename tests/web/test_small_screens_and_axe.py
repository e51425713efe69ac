"""Every page at 400 px wide (nothing cut off, controls big enough to touch) and checked by axe-core
(axe-playwright-python) with no serious or critical findings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from tests.web.test_browser import CHROMIUM, pytestmark, shot, sign_in  # noqa: F401 (the same skip)

SMALL = {"width": 400, "height": 800}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=SMALL)
    opened = context.new_page()
    yield opened
    context.close()


def _pages(phone: Page, server: str) -> list[tuple[str, str]]:
    incident = phone.request.get(server + "/api/v1/incidents?verdict=DISPUTED").json()["incidents"][0]["id"]
    return [("map", "/"), ("timeline", "/timeline"), ("agreement", "/agreement"),
            ("incident", f"/incidents/{incident}"), ("review-queue", "/review"), ("submit", "/submit"),
            ("api", "/api/docs")]


def _too_small(page: Page) -> list[str]:
    """Form controls and buttons under 24 px high (the WCAG 2.2 target size)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        'main input:not([type=hidden]), main select, main button, main summary, header button'))
      .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 24)
      .map(e => e.outerHTML.slice(0, 80))""")


def test_every_page_fits_400_px_with_touchable_controls_and_passes_axe(phone: Page, server: str) -> None:
    sign_in(phone, server, "adm")
    axe = Axe()
    problems: dict[str, list[str]] = {}
    for name, path in _pages(phone, server):
        phone.goto(server + path)
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        found = [f"page is {width} px wide"] if width > SMALL["width"] else []
        found += [f"small control: {c}" for c in _too_small(phone)]
        results = axe.run(phone)
        found += [f"axe {v['impact']}: {v['id']} ({len(v['nodes'])}x) {v['nodes'][0]['target']}"
                  for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        if found:
            problems[name] = found
        shot(phone, f"small-{name}")
    assert problems == {}
