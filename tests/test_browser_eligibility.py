"""The self-check in a real browser: shared links answered as the CLI answers, editing, invalid input named by field,
figures read as typed, the markets of interest and the first line that decides."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .browser_pages import BROWSER, ELIGIBLE, PREFIX, as_json_input, cli, clipboard_context, settled, shot, widget_url
from .conftest import Watched, live_policy

pytestmark = BROWSER


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_eligibility_from_a_shared_link_matches_the_cli(page: Watched, site_url: str, lang: str) -> None:
    page.page.goto(widget_url(site_url, lang, "self-check", ELIGIBLE))
    root = settled(page.page)
    shown = json.loads(root.get_attribute("data-result"))
    expected = cli("eligibility", as_json_input(ELIGIBLE), lang)
    assert shown == expected
    verdicts = page.page.locator(".calc-verdict").all_text_contents()
    # the provider, the conditions every market shares, each market
    assert len(verdicts) == 2 + len(live_policy().markets)
    first = next(iter(expected["categories"].values()))  # the example's first market: eligible from a date
    assert first["eligible_from"] and first["eligible_from"] in verdicts[1] and first["eligible_from"] in verdicts[2]
    # the licence age every market asks is stated once, under the shared conditions, with its clause
    link = page.page.locator(".calc-result .calc-market").nth(1).locator("a").first.get_attribute("href")
    assert link.endswith(f"/{PREFIX[lang]}conditions/#licence-age-market")


def test_editing_a_field_updates_the_result_and_the_url(page: Watched, site_url: str) -> None:
    page.page.goto(widget_url(site_url, "zh", "self-check", ELIGIBLE))
    root = settled(page.page)
    before = json.loads(root.get_attribute("data-result"))
    assert before["provider"]["eligible"] is True
    page.page.fill("#eligibility-team_size", "3")
    for _ in range(100):  # poll the attribute: the CSP forbids the eval that wait_for_function uses
        after = json.loads(root.get_attribute("data-result") or "{}")
        if after.get("provider", {}).get("eligible") is False:
            break
        page.page.wait_for_timeout(100)
    assert after["provider"]["eligible"] is False
    assert "team_size=3" in page.page.url
    assert after == cli("eligibility", {**as_json_input(ELIGIBLE), "team_size": 3}, "zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_invalid_input_shows_messages_and_keeps_what_was_typed(page: Watched, site_url: str, lang: str) -> None:
    page.page.goto(widget_url(site_url, lang, "self-check", {**ELIGIBLE, "team_size": "fifteen",
                                                              "support_days_per_week": "9"}))
    root = settled(page.page, "error")
    assert root.get_attribute("data-result") is None
    assert page.page.input_value("#eligibility-team_size") == "fifteen"
    team_error = page.page.locator("#eligibility-team_size-error")
    assert team_error.is_visible() and "fifteen" in team_error.inner_text()
    assert page.page.get_attribute("#eligibility-team_size", "aria-invalid") == "true"
    summary = page.page.locator(".calc-summary")
    assert summary.is_visible()
    assert summary.locator("li").count() == 2
    word = "应为整数" if lang == "zh" else "must be a whole number"
    assert word in summary.inner_text()
    assert page.page.evaluate("document.activeElement.classList.contains('calc-summary')")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_markets_of_interest_come_first_and_general_conditions_are_stated_once(page: Watched, site_url: str,
                                                                                   lang: str) -> None:
    young = {**ELIGIBLE, "team_size": "3"}
    page.page.goto(widget_url(site_url, lang, "self-check", young))
    root = settled(page.page)
    first = page.page.locator(".calc-result > div > .calc-market[data-market]")
    assert [first.nth(i).get_attribute("data-market") for i in range(first.count())] == ["basic_software"]
    assert page.page.locator(".calc-other-markets .calc-market").count() == 5
    team = [c for c in json.loads(root.get_attribute("data-result"))["provider"]["criteria"] if c["id"] == "team-size"]
    assert page.page.locator(".calc-result li", has_text=team[0]["text"]).count() == 1  # once, not under 7 headings
    # a display choice: ticking markets lists them first, keeps them in the address, changes no verdict
    before = root.get_attribute("data-result")
    page.page.check("input[data-market=api]")
    page.page.check("input[data-market=services]")
    assert "markets=api%2Cservices" in page.page.url or "markets=api,services" in page.page.url
    assert [first.nth(i).get_attribute("data-market") for i in range(first.count())] == ["api", "services"]
    assert root.get_attribute("data-result") == before
    page.page.goto(page.page.url)  # the shared link lists the same markets first
    settled(page.page)
    assert [first.nth(i).get_attribute("data-market") for i in range(first.count())] == ["api", "services"]


@pytest.mark.parametrize(("lang", "read"), [("zh", "按 20 计算"), ("en", "read as 20")])
def test_full_width_digits_from_an_input_method_are_read_and_shown_as_read(page: Watched, site_url: str,
                                                                          lang: str, read: str) -> None:
    page.page.goto(widget_url(site_url, lang, "self-check", {**ELIGIBLE, "team_size": "２０"}))
    root = settled(page.page)
    assert json.loads(root.get_attribute("data-result")) == cli("eligibility", {**as_json_input(ELIGIBLE),
                                                                                "team_size": 20}, lang)
    assert page.page.locator("#eligibility-team_size-read").inner_text() == read
    assert page.page.input_value("#eligibility-team_size") == "２０"  # what was typed stays


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_first_line_of_a_self_check_decides(browser: Any, site_url: str, lang: str, width: int) -> None:
    from calculators.api import compute
    from calculators.display import display

    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(widget_url(site_url, lang, "self-check", ELIGIBLE))
    settled(page)
    model = display("eligibility", compute("eligibility", as_json_input(ELIGIBLE), lang), lang)
    first = model["blocks"][0]
    box = page.locator(".calc-result .calc-decision")
    assert box.locator("strong").inner_text() == first["today"]["text"]
    # the shared wait once, and the open market of interest; the closed ones under their sections
    lines = {line["key"]: line["text"] for line in first["markets"]}
    shown = box.locator("li")
    assert [shown.nth(i).inner_text() for i in range(shown.count())] == [lines["markets_common"],
                                                                        lines["basic_software"]]
    # it stands first, above the sections, and the shared licence age is listed once
    assert page.evaluate("document.querySelector('.calc-result .calc-decision').compareDocumentPosition("
                         "document.querySelector('.calc-result .calc-market')) & 4")
    common = next(b for b in model["blocks"] if b["kind"] == "section" and b["key"] == "markets_common")
    assert page.locator(".calc-result .calc-criteria li", has_text=common["criteria"][0]["text"]).count() == 1
    shot(page, f"decision-{lang}-{width}", ".calc-result")
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_self_check_link_keeps_the_evaluation_date_or_says_it_fixes_none(browser: Any, site_url: str,
                                                                          lang: str) -> None:
    from calculators.messages import word

    context = clipboard_context(browser, 1366, lang)
    page = context.new_page()
    page.goto(widget_url(site_url, lang, "self-check", {**ELIGIBLE, "as_of": "2026-12-01"}))
    root = settled(page)
    assert json.loads(root.get_attribute("data-result"))["as_of"] == "2026-12-01"
    page.fill("#eligibility-team_size", "19")
    settled(page)
    assert "as_of=2026-12-01" in page.url  # an edit keeps the date the link set
    page.click('[data-action="copy-link"]')
    page.locator(".calc-action-status").filter(has_text=word("copied", lang)).wait_for()
    assert "as_of=2026-12-01" in page.evaluate("navigator.clipboard.readText()")
    # no date set: the copied link is evaluated on the day it is opened; the page says so and offers to fix it
    without = {k: v for k, v in ELIGIBLE.items() if k != "as_of"}
    page.goto(widget_url(site_url, lang, "self-check", without))
    root = settled(page)
    day = json.loads(root.get_attribute("data-result"))["as_of"]
    assert day in page.locator(".calc-result").inner_text()  # the result says the day it was evaluated for
    page.click('[data-action="copy-link"]')
    status = page.locator(".calc-action-status")
    status.locator("p").wait_for()
    assert status.locator("p").inner_text() == word("copied_no_as_of", lang).format(as_of=day)
    status.get_by_role("button").click()
    page.wait_for_function(f"navigator.clipboard.readText().then(t => t.includes('as_of={day}'))")
    assert f"as_of={day}" in page.url
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_evaluation_date_typed_in_part_is_named_not_taken_for_today(page: Watched, site_url: str,
                                                                      lang: str) -> None:
    from calculators.messages import word

    page.page.goto(widget_url(site_url, lang, "self-check", {**ELIGIBLE, "as_of": "2026-12-01"}))
    root = settled(page.page)
    # one part of a whole date erased (the field's first, as the locale orders them): the browser's
    # date field then holds no value at all
    page.page.focus("#eligibility-as_of")
    page.page.keyboard.press("Backspace")
    settled(page.page, "error")
    assert root.get_attribute("data-result") is None  # no answer as if the date were empty (today)
    note = page.page.locator("#eligibility-as_of-error")
    assert note.inner_text() == word("date_incomplete", lang)
    label = page.page.locator('label[for="eligibility-as_of"]').inner_text().strip()
    assert label in page.page.locator(".calc-summary").inner_text()
    assert page.page.evaluate("document.querySelector('#eligibility-as_of').validity.badInput")  # still typed in part
    # every part erased (no input event comes then), and the field left: no date, so the self-check
    # answers for today
    for _ in range(2):
        page.page.keyboard.press("Tab")
        page.page.keyboard.press("Backspace")
    page.page.locator("#eligibility-as_of").blur()
    root = settled(page.page)
    assert page.page.input_value("#eligibility-as_of") == ""
    assert not page.page.evaluate("document.querySelector('#eligibility-as_of').validity.badInput")
    assert not note.is_visible() and json.loads(root.get_attribute("data-result"))["as_of"]
    # a whole date again: answered for that day
    day = "2026-11-30" if json.loads(root.get_attribute("data-result"))["as_of"] != "2026-11-30" else "2026-11-29"
    page.page.fill("#eligibility-as_of", day)
    # (the state stays "done" from today's answer until the new one: wait for the new answer itself)
    page.page.locator(f'[data-calculator][data-result*=\'"as_of": "{day}"\']').wait_for(state="attached")
    root = settled(page.page)
    assert json.loads(root.get_attribute("data-result"))["as_of"] == day
    assert not note.is_visible()
