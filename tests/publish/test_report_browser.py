"""The HTML report opened as a reader opens it: in a browser (Debian's chromium through Playwright),
from a file, with no network: every section shows and both images load."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from ceasefire.publish.documents import ReportFormat, report_file
from ceasefire.store import Store
from tests.publish.test_report import JANUARY

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
                                reason="Debian's chromium is not installed (apt-get install chromium)")


def test_html_report_shows_its_sections_and_images_in_a_browser(monitored: Store, syria_pack, tmp_path: Path) -> None:
    (html,) = report_file(monitored, syria_pack, *JANUARY, ReportFormat.HTML, tmp_path / "report.html")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            context = browser.new_context(offline=True)
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(html.as_uri())
            for heading in ("Headline counts", "Map and daily chart", "By clause", "By party", "By area",
                            "Notable incidents", "Disputed", "Coverage", "Ledger checkpoint"):
                expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
            widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
            assert len(widths) == 2 and min(widths) > 300
            assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
        finally:
            browser.close()
