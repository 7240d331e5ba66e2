"""The fee calculator's one order in a real browser: a shared link answered as the CLI answers, a changed input
never leaving the old answer standing (late answers included), the free period named."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from .browser_pages import BROWSER, HOLD_ANSWERS, LOAD_TIMEOUT, cli, settled, shot, widget_url
from .conftest import Watched

pytestmark = BROWSER


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fees_from_a_shared_link_matches_the_cli(page: Watched, site_url: str, lang: str) -> None:
    params = {"onboarded_on": "2026-01-10", "date": "2027-01-11", "amount": "1.15", "refunded": "0.05"}
    page.page.goto(widget_url(site_url, lang, "fee-calculator", params))
    root = settled(page.page)
    expected = cli("fees", {"onboarded_on": "2026-01-10",
                            "orders": [{"id": "1", "date": "2027-01-11", "amount": "1.15", "refunded": "0.05"}]}, lang)
    assert json.loads(root.get_attribute("data-result")) == expected
    assert page.page.locator(".calc-result tbody tr").count() == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_changed_input_never_leaves_the_old_result_as_the_answer(page: Watched, site_url: str, lang: str) -> None:
    params = {"onboarded_on": "2026-01-10", "date": "2026-12-01", "amount": "100"}
    page.page.goto(widget_url(site_url, lang, "fee-calculator", params))
    root = settled(page.page)
    assert json.loads(root.get_attribute("data-result"))["orders"][0]["waived"] is True
    page.page.fill("#fees-onboarded_on", "2025-01-10")
    for _ in range(200):  # the old answer is withdrawn, then the new one arrives
        shown = root.get_attribute("data-result")
        if shown and json.loads(shown)["orders"][0]["waived"] is False:
            break
        assert shown is None or json.loads(shown)["orders"][0]["waived"] is True
        page.page.wait_for_timeout(50)
    expected = cli("fees", {"onboarded_on": "2025-01-10",
                            "orders": [{"id": "1", "date": "2026-12-01", "amount": "100"}]}, lang)
    assert json.loads(root.get_attribute("data-result")) == expected


def test_an_answer_arriving_after_a_required_field_was_cleared_is_not_drawn(page: Watched, site_url: str) -> None:
    page.page.add_init_script(HOLD_ANSWERS)
    page.page.goto(widget_url(site_url, "en", "fee-calculator", {"date": "2026-12-01", "amount": "100"}))
    root = settled(page.page)
    page.page.evaluate("window.__holdAnswers = 1000")
    page.page.fill("#fees-amount", "200")  # its answer is on its way …
    page.page.fill("#fees-amount", "")  # … when the field it needs is cleared
    page.page.wait_for_timeout(2000)
    assert root.get_attribute("data-state") == "ready"
    assert root.get_attribute("data-result") is None
    assert page.page.locator(".calc-result table").count() == 0


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fee_result_names_the_free_period(browser: Any, site_url: str, lang: str, width: int,
                                              tmp_path: Path) -> None:
    from calculators.messages import word

    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(widget_url(site_url, lang, "fee-calculator", {"onboarded_on": "2026-01-10", "date": "2026-03-01",
                                                             "amount": "9"}))
    settled(page)
    free = page.locator(".calc-result .calc-free-period")
    span = word("free_period_span", lang, first="2026-01-10", last="2027-01-10")
    assert span in free.inner_text()
    assert word("free_period_orders_day", lang, count=1, first="2026-03-01", last="2026-03-01",
                       waived="0.90") in free.inner_text()
    shot(page, f"free-period-{lang}-{width}", ".calc-result")
    # a CSV: which of its orders fall in the period, and the result CSV says the period on each row
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\nA,2026-03-01,100\nB,2027-01-10,9\nC,2027-01-11,50\n", encoding="utf-8")
    page.set_input_files("#fees-csv", str(orders))
    which = word("free_period_orders", lang, count=2, first="2026-03-01", last="2027-01-10", waived="10.90")
    page.locator(".calc-result .calc-free-period", has_text=which).wait_for(timeout=LOAD_TIMEOUT)
    settled(page)
    with page.expect_download() as download:
        page.locator(".calc-result .calc-actions button").first.click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][-1] == "free_period" and {r[-1] for r in rows[1:]} == {"2026-01-10/2027-01-10"}
    context.close()
