"""Printing an answer: what was asked as read, the readings it rests on, the date and the address, every market,
no form, on one page."""

from __future__ import annotations

from typing import Any

import pytest

from .browser_pages import BROWSER, ELIGIBLE, settled, shot, widget_url
from .conftest import Watched, live_policy

pytestmark = BROWSER


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_shows_the_answers_the_date_and_the_address_but_not_the_form(page: Watched, site_url: str,
                                                                           lang: str) -> None:
    url = widget_url(site_url, lang, "review-time", {"submitted_on": "2026-09-29"})
    page.page.goto(url)
    settled(page.page)
    page.page.emulate_media(media="print")
    printed = page.page.locator(".calc-print")
    assert printed.is_visible()
    text = printed.inner_text()
    assert "2026-09-29" in text and url in text and live_policy().version in text
    assert not page.page.locator(".calc-form").is_visible()
    assert not page.page.locator("h2#cli").is_visible()
    assert not page.page.locator(".md-content pre").first.is_visible()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("page_name", "params"), [("review-time", {"submitted_on": "2026-09-29"}),
                                                   ("fee-calculator", {"date": "2026-12-01", "amount": "100"})])
def test_a_printed_result_is_one_page(page: Watched, site_url: str, lang: str, page_name: str,
                                      params: dict[str, str]) -> None:
    import re

    page.page.goto(widget_url(site_url, lang, page_name, params))
    settled(page.page)
    pdf = page.page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # no blank last page


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_shows_every_market_answers_as_read_and_the_readings(browser: Any, site_url: str, lang: str,
                                                                  width: int) -> None:
    from calculators.messages import word

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(widget_url(site_url, lang, "self-check", {**ELIGIBLE, "team_size": "１８"}))
    settled(page)
    assert not page.locator(".calc-other-markets .calc-market").first.is_visible()  # folded on screen
    page.emulate_media(media="print")
    markets = page.locator(".calc-result .calc-market[data-market]")
    assert markets.count() == 6 and all(markets.nth(i).is_visible() for i in range(6))  # every market on paper
    printed = page.locator(".calc-print").inner_text()
    assert word("print_read_as", lang).format(value="18", typed="１８") in printed
    shot(page, f"print-self-check-{lang}-{width}")
    # the fee printout names the readings and assumptions its figures rest on, with their addresses
    page.emulate_media(media="screen")
    page.goto(widget_url(site_url, lang, "fee-calculator", {"onboarded_on": "2026-01-10", "date": "2026-12-01",
                                                             "amount": "1,280"}))
    settled(page)
    page.emulate_media(media="print")
    printed = page.locator(".calc-print")
    assert word("print_readings", lang) in printed.inner_text()
    readings = printed.locator(".calc-print-readings li")
    assert readings.count() >= 3 and "/assumptions/#waiver-start" in printed.inner_text()
    assert word("print_read_as", lang).format(value="1280", typed="1,280") in printed.inner_text()
    assert readings.first.is_visible()
    context.close()
