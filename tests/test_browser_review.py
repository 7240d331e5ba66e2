"""The review time in a real browser: holidays and make-up working days named, the keyboard alone, a day that
does not exist."""

from __future__ import annotations

import json

import pytest

from .browser_pages import BROWSER, cli, settled, widget_url
from .conftest import Watched

pytestmark = BROWSER


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_from_a_shared_link_names_the_holidays(page: Watched, site_url: str, lang: str) -> None:
    page.page.goto(widget_url(site_url, lang, "review-time", {"submitted_on": "2026-09-29"}))
    root = settled(page.page)
    assert json.loads(root.get_attribute("data-result")) == cli("review", {"submitted_on": "2026-09-29"}, lang)
    text = page.page.locator(".calc-result").inner_text()
    assert ("国庆节" if lang == "zh" else "National Day") in text and "2026-10-09" in text


def test_keyboard_only_use_computes_on_enter(page: Watched, site_url: str) -> None:
    page.page.goto(f"{site_url}en/review-time/")
    page.page.focus("#review-submitted_on")
    page.page.keyboard.type("09292026")
    page.page.keyboard.press("Enter")
    root = settled(page.page)
    assert json.loads(root.get_attribute("data-result"))["earliest"] == "2026-09-30"


@pytest.mark.parametrize(("lang", "holiday"), [("zh", "元旦"), ("en", "New Year's Day")])
def test_review_in_a_year_without_a_published_schedule_skips_new_years_day(page: Watched, site_url: str,
                                                                           lang: str, holiday: str) -> None:
    page.page.goto(widget_url(site_url, lang, "review-time", {"submitted_on": "2026-12-31"}))
    root = settled(page.page)
    result = json.loads(root.get_attribute("data-result"))
    assert result == cli("review", {"submitted_on": "2026-12-31"}, lang)
    assert result["earliest"] == "2027-01-04" and result["calendar_complete"] is False
    text = page.page.locator(".calc-result").inner_text()
    from calculators.messages import parenthesised

    assert parenthesised("2027-01-01", holiday, lang) in text  # as the CLI's report says it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_make_up_working_days_are_labelled(page: Watched, site_url: str, lang: str) -> None:
    page.page.goto(widget_url(site_url, lang, "review-time", {"submitted_on": "2026-09-18"}))
    settled(page.page)
    label = page.page.locator(".calc-makeup").inner_text()
    assert "2026-09-20" in label and ("国庆节" if lang == "zh" else "National Day") in label


@pytest.mark.parametrize(("lang", "said"), [("zh", "该日期不存在"), ("en", "there is no such date")])
def test_a_day_that_does_not_exist_from_a_link_is_shown_and_named(page: Watched, site_url: str, lang: str,
                                                                  said: str) -> None:
    page.page.goto(widget_url(site_url, lang, "review-time", {"submitted_on": "2024-02-30"}))
    settled(page.page, "error")
    assert page.page.input_value("#review-submitted_on") == "2024-02-30"  # not an empty-looking field
    message = page.page.locator("#review-submitted_on-error").inner_text()
    assert said in message and "YYYY" not in message


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_date_typed_in_part_is_named_on_enter(page: Watched, site_url: str, lang: str) -> None:
    from calculators.messages import word

    page.page.goto(f"{site_url}{'' if lang == 'zh' else 'en/'}review-time/")
    settled(page.page, "ready")
    page.page.focus("#review-submitted_on")
    page.page.keyboard.type("0929")  # two of a date's three parts: no value yet, and no input event
    page.page.keyboard.press("Enter")
    settled(page.page, "error")
    assert page.page.locator("#review-submitted_on-error").inner_text() == word("date_incomplete", lang)
    assert page.page.evaluate("document.activeElement.classList.contains('calc-summary')")  # the summary says it
    page.page.focus("#review-submitted_on")
    page.page.keyboard.press("End")
    page.page.fill("#review-submitted_on", "2026-09-29")
    root = settled(page.page)
    assert json.loads(root.get_attribute("data-result"))["earliest"] == "2026-09-30"
