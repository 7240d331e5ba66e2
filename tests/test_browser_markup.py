"""Markup from a link's address or a CSV's cells stays text: no element made, none carried across the language
switch, and a spreadsheet formula neutralised in the downloaded CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from .browser_pages import BROWSER, settled, upload, widget_url
from .conftest import Watched

pytestmark = BROWSER


@pytest.mark.parametrize("payload", ['<img src=x onerror="window.__xss=1">', '"><script>window.__xss=1</script>'])
def test_markup_in_the_url_renders_as_text(page: Watched, site_url: str, payload: str) -> None:
    page.page.goto(widget_url(site_url, "en", "review-time", {"submitted_on": payload}))
    settled(page.page, "error")
    assert page.page.evaluate("window.__xss") is None
    assert page.page.locator(".calculator img, .calculator script").count() == 0
    assert payload[:20] in page.page.locator(".calc-summary").inner_text()


def test_markup_in_a_csv_renders_as_text_and_is_neutralised_in_the_download(page: Watched, site_url: str,
                                                                             tmp_path: Path) -> None:
    payload = "<img src=x onerror=window.__xss=1>"
    orders = tmp_path / "orders.csv"
    orders.write_text(f'id,date,amount\n"{payload}",2026-01-10,10\n"=HYPERLINK(""http://x"")",2026-01-10,5\n',
                      encoding="utf-8")
    upload(page.page, site_url, "en", orders)
    settled(page.page)
    assert page.page.locator(".calc-result img").count() == 0
    assert page.page.evaluate("window.__xss") is None
    assert page.page.locator(".calc-result tbody td").first.inner_text() == payload
    with page.page.expect_download() as download:
        page.page.get_by_role("button", name="Download result CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == payload
    assert rows[2][0] == "'" + '=HYPERLINK("http://x")'  # a spreadsheet shows it as text, not a formula


def test_the_language_switch_carries_no_markup_from_the_url(page: Watched, site_url: str) -> None:
    payload = '"><img src=x onerror="window.__xss=1">'
    page.page.goto(widget_url(site_url, "zh", "review-time", {"submitted_on": "2026-09-29", "x": payload}) +
                   "#" + payload)
    settled(page.page)
    english = page.page.locator(".md-select a[hreflang=en]").first
    assert "<" not in (english.get_attribute("href") or "")
    page.page.hover(".md-header__option .md-select")  # the language menu opens on hover or focus
    english.click()
    page.page.wait_for_url("**/en/review-time/**")
    settled(page.page, "ready done")
    assert page.page.evaluate("window.__xss") is None
    assert page.page.locator("img[src=x]").count() == 0
