"""The widgets on laptops and phones: no serious accessibility issue (axe-core), a shared link's answer in view,
tables that fit with ids, figures and dates unbroken, feedback where the eye is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scripts.paths import ROOT

from .browser_pages import BROWSER, ELIGIBLE, PREFIX, clipboard_context, settled, shot, upload, widget_url

pytestmark = BROWSER


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page_name", ["self-check", "fee-calculator", "review-time"])
def test_no_serious_accessibility_violations(browser: Any, site_url: str, lang: str, page_name: str) -> None:
    """axe-core (from npm) on each calculator page after a computation: no serious or critical issue."""
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script for the check only
    page = context.new_page()
    params = {"self-check": ELIGIBLE, "fee-calculator": {"date": "2026-12-01", "amount": "100"},
              "review-time": {"submitted_on": "2026-09-29"}}[page_name]
    page.goto(widget_url(site_url, lang, page_name, params))
    settled(page)
    page.add_script_tag(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], len(v["nodes"])) for v in results["violations"]
               if v["impact"] in ("serious", "critical")]
    context.close()
    assert serious == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_shared_link_on_a_phone_shows_the_answer(browser: Any, site_url: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(widget_url(site_url, lang, "self-check", ELIGIBLE))
    settled(page)
    page.wait_for_timeout(300)
    top = page.locator(".calc-result").bounding_box()["y"]
    assert -1 < top < 844, top  # scrolled into view, not two screens down (less than a pixel of rounding)
    assert page.evaluate("document.activeElement.classList.contains('calc-result')")
    context.close()


def _fits(page: Any, selector: str) -> bool:
    """Whether the element shows all its content across (no column hidden behind a scrollbar)."""
    return page.locator(selector).first.evaluate("e => e.scrollWidth <= e.clientWidth + 1")


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fee_table_and_the_markets_matrix_fit(browser: Any, site_url: str, lang: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    params = {"onboarded_on": "2026-01-10", "date": "2027-12-01", "amount": "1280000.00", "refunded": "0.05"}
    page.goto(widget_url(site_url, lang, "fee-calculator", params))
    settled(page)
    assert _fits(page, ".calc-result .md-typeset__scrollwrap")
    if width > 1000:  # on a laptop every market is in view; on a phone the conditions column stays put
        page.goto(f"{site_url}{PREFIX[lang]}markets/")
        assert _fits(page, ".policy-matrix .md-typeset__scrollwrap")
        # the fees page's example is the calculator's fee table, beside the page's table of contents
        page.goto(f"{site_url}{PREFIX[lang]}fees/")
        assert _fits(page, ".fee-example .md-typeset__scrollwrap")
        assert page.evaluate(ONE_LINE, ".fee-example td") == []  # no date or figure broken over two lines
    context.close()


ONE_LINE = """(selector) => [...document.querySelectorAll(selector)].filter((cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
  return tops.size > 1;
}).map((cell) => cell.textContent)"""


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_and_dates_fit_ids_and_headers_whole_dates_unsplit(browser: Any, site_url: str, lang: str,
                                                                 width: int, tmp_path: Path) -> None:
    rows = ["id,date,amount,refunded"] + [f"KSM-20260815-{i:06d},2026-08-{i % 28 + 1:02d},99999999.99,1234567.89"
                                          for i in range(1, 13)]
    orders = tmp_path / "orders.csv"
    orders.write_text("\n".join(rows) + "\n", encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    upload(page, site_url, lang, orders, {"onboarded_on": "2026-01-10"})
    settled(page)
    assert _fits(page, ".calc-result .md-typeset__scrollwrap")
    # no id, heading, figure or date broken over lines
    assert page.evaluate(ONE_LINE, ".calc-fees-table td, .calc-fees-table thead th") == []
    assert page.evaluate(ONE_LINE, ".calc-result .calc-nowrap") == []
    assert page.locator(".calc-result .calc-nowrap").count() >= 4  # the free period and its orders: first, last day
    shot(page, f"fee-table-{lang}-{width}", ".calc-result .md-typeset__scrollwrap")
    # the review's dates on a phone: never "2026-/10-02"
    page.goto(widget_url(site_url, lang, "review-time", {"submitted_on": "2026-09-29"}))
    settled(page)
    assert page.locator(".calc-result .calc-nowrap").count() > 5
    assert page.evaluate(ONE_LINE, ".calc-result .calc-nowrap") == []
    shot(page, f"review-{lang}-{width}", ".calc-result")
    context.close()


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feedback_stands_where_the_eye_is(browser: Any, site_url: str, lang: str, width: int) -> None:
    from calculators.messages import word

    context = clipboard_context(browser, width, lang)
    page = context.new_page()
    page.goto(widget_url(site_url, lang, "fee-calculator", {"onboarded_on": "2026-01-10", "date": "2026-03-01"}))
    settled(page, "ready")
    # the last required field typed: the result appears below the screen; the foot of the screen says so
    page.fill("#fees-amount", "100")
    settled(page)
    jump = page.locator(".calc-jump")
    below = page.locator(".calc-result").bounding_box()["y"] > 844
    if below:
        assert jump.is_visible() and jump.inner_text().startswith(word("result_below", lang))
        box = jump.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 844 + 1  # on the screen, not under the result
        shot(page, f"jump-{lang}-{width}")
        jump.get_by_role("link").click()
        page.wait_for_timeout(300)
        assert -1 < page.locator(".calc-result").bounding_box()["y"] < 844 and not jump.is_visible()
    else:  # a laptop shows it at once
        assert not jump.is_visible()
    # Calculate brings the answer into view
    page.evaluate("window.scrollTo(0, 0)")
    page.fill("#fees-amount", "200")
    settled(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".calc-form button[type=submit]").click()
    page.wait_for_timeout(500)
    settled(page)
    assert -1 < page.locator(".calc-result").bounding_box()["y"] < 844
    # a required field emptied: the result goes, and the place where it stood names the field
    page.fill("#fees-amount", "")
    withdrawn = page.locator(".calc-result .calc-withdrawn")
    withdrawn.wait_for()
    label = page.locator('label[for="fees-amount"]').inner_text().strip()
    assert withdrawn.inner_text() == word("withdrawn", lang).format(fields=label)
    assert page.locator("[data-calculator]").get_attribute("data-result") is None
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_figure_typed_on_a_phone_never_widens_the_page(browser: Any, site_url: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(widget_url(site_url, lang, "fee-calculator", {"onboarded_on": "2026-01-10", "date": "2026-03-01"}))
    settled(page, "ready")
    page.fill("#fees-amount", "9" * 40)  # the message under the field quotes it, unbroken
    settled(page, "error")
    assert "9" * 30 in page.locator("#fees-amount-error").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"long-figure-{lang}")
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_long_order_id_on_a_phone_wraps_beside_a_whole_label(browser: Any, site_url: str, lang: str,
                                                               tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\nORDER-" + "X" * 150 + ",2026-08-01,100.00\nB,2026-08-02,100.00\n",
                      encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    upload(page, site_url, lang, orders, {"onboarded_on": "2026-01-10"})
    settled(page)
    cell = page.locator(".calc-fees-table tbody td").first
    # the label (the cell's ::before) is as wide as its words on one line; the id takes the rest
    widths = cell.evaluate("""td => {
        const probe = document.createElement('span');
        probe.textContent = td.dataset.label;
        probe.style.whiteSpace = 'nowrap';
        td.append(probe);
        const whole = probe.getBoundingClientRect().width;
        probe.remove();
        return [parseFloat(getComputedStyle(td, '::before').width), whole];
    }""")
    assert widths[0] >= widths[1] - 1, widths
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"long-id-{lang}", ".calc-result")
    context.close()
