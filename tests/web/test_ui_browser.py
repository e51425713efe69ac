"""What a monitor, an analyst and a journalist see (issue 18), in Debian's Chromium.

Each test saves a screenshot of its page under docs/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.web.test_browser import CHROMIUM, markers, pytestmark, shot, sign_in  # noqa: F401 (the same skip)


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


VIOLATION_COLOUR = "#D55E00"


def test_a_cluster_holding_a_violation_is_drawn_as_one_and_the_legend_explains_it(page: Page, server: str) -> None:
    page.goto(server + "/?area=wadi-barada")
    assert markers(page) > 1
    violation_cluster = page.locator(".verdict-cluster.verdict-violation").first
    expect(violation_cluster).to_be_visible()
    expect(violation_cluster.locator("svg.shape")).to_have_attribute("fill", VIOLATION_COLOUR)
    expect(violation_cluster.locator(".cluster-count")).to_have_text(re.compile(r"^\d+$"))
    legend = page.get_by_test_id("legend")
    for words in ("violation", "disputed", "not a violation", "unverified", "precision 3", "completely reliable"):
        expect(legend).to_contain_text(words)
    expect(legend.locator("li[data-verdict=VIOLATION] svg.shape")).to_have_attribute("fill", VIOLATION_COLOUR)
    badge = page.locator("#incident-list .badge.verdict-violation").first
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(213, 94, 0)"
    shot(page, "map-legend")


def test_places_known_only_roughly_are_hollow_areas_listed_apart(page: Page, server: str) -> None:
    sign_in(page, server, "ana")
    page.goto(server + "/")
    markers(page)
    areas = int(page.get_attribute("#map", "data-areas") or "0")
    coarse = page.locator("#coarse-list li[data-id]")
    assert areas == coarse.count() > 0
    expect(page.get_by_test_id("coarse-heading")).to_contain_text(str(areas))
    assert page.locator("#incident-list li[data-precision='3'], #incident-list li[data-precision='2']").count() == 0
    syria = page.locator("#coarse-list li", has_text="· Syria").first
    expect(syria).to_contain_text("place known to about 450 km")
    circle = page.locator("path.coarse-place").first
    expect(circle).to_have_attribute("stroke-dasharray", "6 4")
    assert page.locator("path.coarse-place").count() == areas
    shot(page, "map-coarse-places")


def _incident(server: str, page: Page, verdict: str, place: str, day: str) -> str:
    found = page.request.get(f"{server}/api/v1/incidents?verdict={verdict}").json()["incidents"]
    return str(next(i["id"] for i in found if i["place"] == place and i["date"] == day))


def test_the_incident_page_says_first_in_words_what_a_dispute_turns_on(page: Page, server: str) -> None:
    incident = _incident(server, page, "DISPUTED", "Basimah", "2017-01-15")
    page.goto(f"{server}/incidents/{incident}")
    expect(page.get_by_test_id("summary-what")).to_contain_text("armed clash at Basimah, 2017-01-15, against ")
    expect(page.get_by_test_id("summary-dispute")).to_have_text(re.compile(
        r"^It turns on the contested fact whether it happened: denied in “.+”\. If that is so, this is not a "
        r"violation; if not, it is\."))
    expect(page.get_by_test_id("review-badge")).to_have_text("automatic: not reviewed by an analyst")
    summary_top = page.get_by_test_id("summary").bounding_box()
    evidence_top = page.locator("article.claim").first.bounding_box()
    assert summary_top and evidence_top and summary_top["y"] < evidence_top["y"]
    reasoning = page.get_by_test_id("reasoning")
    expect(reasoning.locator(".reason-group").first).not_to_be_visible()  # folded until asked for
    reasoning.locator("summary").click()
    groups = reasoning.locator(".reason-group h3")
    expect(groups.first).to_be_visible()
    assert not re.search(r"\[[0-9a-f]{8}:\d+:\d+\]", reasoning.inner_text())  # offsets only in the details view
    expect(page.get_by_test_id("offsets")).to_contain_text("[")
    shot(page, "incident-summary")


def test_an_incident_can_be_cited_with_its_ledger_record_and_downloaded(page: Page, server: str) -> None:
    incident = _incident(server, page, "VIOLATION", "Basimah", "2017-01-04")
    page.goto(f"{server}/incidents/{incident}")
    cite = page.get_by_test_id("cite").inner_text()
    history = page.locator("table.history tbody tr").last.locator("td").first.inner_text()
    assert f"{server}/incidents/{incident}" in cite and "Verdict: VIOLATION" in cite and "(as of 20" in cite
    assert f"Ledger record #{history}, SHA-256 " in cite and "2017-01-04" in cite
    record = re.search(r"SHA-256 ([0-9a-f]{64})", cite)
    assert record and page.locator("table.history code").last.inner_text() == record.group(1)[:16]
    geojson = page.request.get(server + page.get_by_test_id("geojson-link").get_attribute("href"))
    feature = geojson.json()["features"][0]
    assert feature["id"] == incident and feature["properties"]["verdict"] == "VIOLATION"
    detail = page.request.get(server + page.get_by_test_id("json-link").get_attribute("href")).json()
    assert detail["incident"]["id"] == incident
    shot(page, "incident-cite")


def test_an_analyst_works_through_the_review_queue_and_an_override_shows_everywhere(page: Page,
                                                                                    server: str) -> None:
    sign_in(page, server, "ana")
    page.goto(server + "/review")
    queue = page.locator("#review-queue li[data-id]")
    waiting = queue.count()
    assert waiting > 10
    dates = [d.split(" · ")[0] for d in queue.locator("a").all_inner_texts()]
    assert dates == sorted(dates)  # oldest first
    page.select_option("select[name=verdict]", "UNVERIFIED")
    page.click("#queue-filters button")
    expect(page).to_have_url(re.compile(r"verdict=UNVERIFIED"))
    assert 0 < queue.count() < waiting and queue.locator(".badge.verdict-unverified").count() == queue.count()
    shot(page, "review-queue")
    incident = queue.first.get_attribute("data-id")
    queue.first.locator("a").click()
    page.get_by_label("Override it with").check()  # the label is next to its radio, and names it
    page.get_by_label("Verdict", exact=True).select_option("VIOLATION")
    page.get_by_label("Reason (shown to every reader)").fill("Two monitors confirmed the shelling by phone.")
    page.click(".review-form button")
    expect(page.get_by_test_id("review-recorded")).to_contain_text("Your decision was recorded: VIOLATION")
    expect(page.get_by_test_id("verdict")).to_have_text("VIOLATION")
    expect(page.get_by_test_id("confidence")).to_contain_text("set by an analyst's review")
    expect(page.get_by_test_id("summary-verdict")).to_contain_text(
        "An analyst (ana) decided this is a violation: Two monitors confirmed the shelling by phone.")
    expect(page.get_by_test_id("review-badge")).to_contain_text("reviewed by an analyst (ana, 20")
    expect(page.get_by_test_id("audit-trail")).to_contain_text("ana set VIOLATION — Two monitors confirmed")
    expect(page.locator("label", has_text="Confirm the automatic verdict")).to_have_count(0)
    expect(page.get_by_label("Change the verdict to")).to_be_checked()
    shot(page, "review-override")
    page.goto(server + "/review")
    expect(page.locator(f"#review-queue li[data-id='{incident}']")).to_have_count(0)
