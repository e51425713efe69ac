"""The web app in Debian's Chromium, driven by Playwright, against `ceasefire serve` on loopback.

Each test saves a screenshot of its page under docs/screenshots/ (linked from the README)."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.web.conftest import PASSWORDS, REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = REPO / "docs" / "screenshots"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
                                reason="Debian's chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def sign_in(page: Page, server: str, name: str) -> None:
    page.goto(server + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("form.stack button")
    expect(page.get_by_test_id("signed-in")).to_contain_text(name)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def markers(page: Page) -> int:
    page.wait_for_function("document.getElementById('map').dataset.markers !== undefined")
    return int(page.get_attribute("#map", "data-markers") or "0")


def test_map_shows_the_incidents_and_filters_narrow_them(page: Page, server: str) -> None:
    page.goto(server + "/")
    shown = markers(page)
    listed = page.locator("#incident-list li[data-id]").count()
    assert shown == listed > 10
    expect(page.locator(".leaflet-interactive").first).to_be_visible()  # outline and markers drawn offline
    page.fill("input[name=since]", "2017-01-01")
    page.fill("input[name=until]", "2017-01-31")
    page.select_option("select[name=area]", "wadi-barada")  # choosing applies the filters
    expect(page).to_have_url(f"{server}/?since=2017-01-01&until=2017-01-31&event_type=&actor=&party=&verdict="
                             "&area=wadi-barada&agreement=")
    narrowed = markers(page)
    assert 0 < narrowed < shown
    assert page.locator("#incident-list li[data-id]").count() == narrowed
    shot(page, "map")


def test_wadi_barada_in_three_clicks(page: Page, server: str) -> None:
    """Who violated the ceasefire around Wadi Barada in January 2017, and on what evidence?"""
    page.goto(server + "/")  # what `make demo` prints
    page.select_option("select[name=area]", "wadi-barada")  # clicks 1 and 2: open the list, pick the area
    expect(page).to_have_url(re.compile(r"area=wadi-barada"))
    page.click("#incident-list a:has-text('2017-01-18 · Deir Qanun')")  # click 3
    expect(page.get_by_test_id("verdict")).to_have_text("DISPUTED")  # the other side denied it in the same sentence
    expect(page.get_by_test_id("chain")).to_contain_text("Syrian Arab Army")
    marks = page.locator("blockquote.evidence mark")
    assert marks.count() >= 4
    expect(page.locator("mark.span-place").first).to_have_text("Deir Qanun")
    expect(page.locator("mark.span-perpetrator").first).to_have_text("the army")
    shot(page, "incident")


def test_public_sees_neither_unpublished_items_nor_the_review_form(page: Page, server: str) -> None:
    found = httpx.get(server + "/api/v1/incidents").json()["incidents"]
    assert found and all(i["verdict"] != "UNVERIFIED" for i in found)
    page.goto(server + "/")
    expect(page.locator("#incident-list .badge.verdict-unverified")).to_have_count(0)
    page.goto(f"{server}/incidents/{found[0]['id']}")
    expect(page.get_by_test_id("review-form")).to_have_count(0)
    page.goto(server + "/timeline")
    expect(page.locator("svg.timeline rect").first).to_be_visible()
    shot(page, "timeline")
    page.goto(server + "/agreement")
    expect(page.get_by_test_id("party-syrian-government")).not_to_have_text("0")
    shot(page, "agreement")


def test_an_observer_submits_a_report_that_then_appears(page: Page, server: str) -> None:
    sign_in(page, server, "obs")
    page.goto(server + "/submit")
    page.fill("textarea[name=text]", "Regime helicopters dropped barrel bombs on Kafr al-Awamid this morning, "
                                     "killing four civilians. <script>window.pwned = 1</script>"
                                     "<img src=x onerror=\"window.pwned = 2\">")
    page.fill("input[name=observed_at]", "2017-01-20T09:30")
    page.fill("#tz", "+02:00")
    page.locator("#pick-map").click(position={"x": 200, "y": 150})
    assert page.input_value("#latitude") and page.input_value("#longitude")
    page.set_input_files("input[name=attachments]", files=[
        {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff not really a photo"}])
    shot(page, "submit")
    page.click("#submit-form button")
    expect(page.get_by_test_id("submitted")).to_contain_text("Stored as report")
    expect(page.get_by_test_id("submitted")).to_contain_text("photo.jpg")

    page.context.clear_cookies()
    sign_in(page, server, "ana")
    incident = wait_for_incident(page, server, "Kafr al-Awamid")
    page.goto(f"{server}/?since=2017-01-20&until=2017-01-20")
    expect(page.locator(f"#incident-list li[data-id='{incident}']")).to_be_visible()
    page.goto(f"{server}/incidents/{incident}")
    expect(page.locator("blockquote.evidence").first).to_contain_text("<script>window.pwned = 1</script>")
    assert page.evaluate("window.pwned") is None  # shown as text, never run
    expect(page.get_by_test_id("review-form")).to_be_visible()
    expect(page.get_by_test_id("attachment")).to_have_text("photo.jpg")
    shot(page, "incident-analyst")


def wait_for_incident(page: Page, server: str, place: str) -> str:
    """The observer's report is processed in the background; poll the API as the analyst's browser."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        found = page.request.get(server + "/api/v1/incidents?since=2017-01-20&until=2017-01-20").json()
        match = [i["id"] for i in found["incidents"] if i["place"] == place]
        if match:
            return str(match[0])
        time.sleep(1)
    raise AssertionError(f"no incident at {place} appeared within 90 s")


def test_every_page_loads_everything_from_the_server_itself(page: Page, server: str) -> None:
    """No CDN: scripts, styles, the outline basemap and the API reference all come from `ceasefire serve`."""
    elsewhere: list[str] = []
    page.on("request", lambda request: None if request.url.startswith((server, "data:"))
            else elsewhere.append(request.url))
    incident = httpx.get(server + "/api/v1/incidents?limit=1").json()["incidents"][0]["id"]
    for path in ("/", "/timeline", "/tallies", "/agreement", f"/incidents/{incident}", "/api/docs", "/login"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_be_visible()
    assert elsewhere == []
    page.goto(server + "/api/docs")
    expect(page.get_by_test_id("operation")).to_have_count(13)  # with /tallies and /incidents/{id}/geojson
    shot(page, "api")


def test_tallies_view_sets_each_counter_beside_verified_incidents(page: Page, server: str) -> None:
    page.goto(server + "/")
    page.click("nav >> text=Tallies")
    expect(page).to_have_url(server + "/tallies")
    page.fill("input[name=since]", "2017-02-20")
    page.fill("input[name=until]", "2017-02-20")
    page.click("form.filters button")
    expect(page).to_have_url(f"{server}/tallies?since=2017-02-20&until=2017-02-20")
    row = page.get_by_test_id("tally-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("tally-figure")).to_have_text([
        re.compile(r"^Russia: 10 violations, blaming opposition"),
        re.compile(r"^Turkish Armed Forces: 14 violations, blaming Syrian Arab Army")])
    expect(row.get_by_test_id("verified-count")).to_have_text("0")
    expect(row.get_by_test_id("monitor-count")).to_have_text("none given")
    shot(page, "tallies")
