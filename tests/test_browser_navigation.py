"""Moving between pages: the language switch keeps the answers, the place and a loaded CSV (or says it must be
uploaded again), and the site opened as files says how to serve it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scripts.paths import ROOT

from .browser_pages import BROWSER, PREFIX, cli, settled, upload, widget_url
from .conftest import IN_PYODIDE, Watched, live_env

if not IN_PYODIDE:
    from .built_site import SITE

pytestmark = BROWSER


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_language_switch_keeps_the_answers_and_the_place(page: Watched, site_url: str, lang: str) -> None:
    other = "en" if lang == "zh" else "zh"
    page.page.goto(widget_url(site_url, lang, "review-time", {"submitted_on": "2026-09-29"}) + "#cli")
    settled(page.page)
    page.page.hover(".md-header__option .md-select")
    page.page.locator(f".md-select a[hreflang={other}]").first.click()
    page.page.wait_for_url(f"**/{PREFIX[other]}review-time/?submitted_on=2026-09-29#cli")
    root = settled(page.page)
    assert json.loads(root.get_attribute("data-result")) == cli("review", {"submitted_on": "2026-09-29"}, other)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_language_switch_keeps_a_csv_result(page: Watched, site_url: str, lang: str, tmp_path: Path) -> None:
    other = "en" if lang == "zh" else "zh"
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\nA,2026-03-01,100\nB,2027-02-01,50\n", encoding="utf-8")
    upload(page.page, site_url, lang, orders, {"onboarded_on": "2026-01-10"})
    settled(page.page)
    page.page.hover(".md-header__option .md-select")
    page.page.locator(f".md-select a[hreflang={other}]").first.click()
    page.page.wait_for_url(f"**/{PREFIX[other]}fee-calculator/?onboarded_on=2026-01-10")
    root = settled(page.page)
    expected = subprocess.run([sys.executable, "-m", "calculators", "fees", "--csv", str(orders), "--onboarded-on",
                               "2026-01-10", "--json", "--lang", other], capture_output=True, text=True, cwd=ROOT,
                              timeout=60, env=live_env())
    assert json.loads(root.get_attribute("data-result")) == json.loads(expected.stdout)
    assert "orders.csv" in page.page.locator("#fees-csv-hint").inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_csv_too_large_to_carry_across_the_language_switch_is_named_to_upload_again(
        page: Watched, site_url: str, lang: str, tmp_path: Path) -> None:
    from calculators.messages import word

    other = "en" if lang == "zh" else "zh"
    orders = tmp_path / "big.csv"
    orders.write_text("id,date,amount\nA,2026-03-01,100\n", encoding="utf-8")
    upload(page.page, site_url, lang, orders)
    settled(page.page)
    # a tab whose storage is full, as with a CSV of many megabytes
    page.page.evaluate("""() => { const set = Storage.prototype.setItem;
        Storage.prototype.setItem = function (k, v) {
          if (v.length > 100) throw new DOMException('full', 'QuotaExceededError');
          return set.call(this, k, v); }; }""")
    page.page.hover(".md-header__option .md-select")
    page.page.locator(f".md-select a[hreflang={other}]").first.click()
    page.page.wait_for_url(f"**/{PREFIX[other]}fee-calculator/**")
    settled(page.page, "ready")
    said = page.page.locator(".calc-action-status").inner_text()
    assert said == word("csv_dropped", other).format(name="big.csv")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_opened_as_a_file_the_site_says_how_to_serve_it_and_its_links_work(browser: Any, lang: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto((SITE / PREFIX[lang] / "index.html").as_uri())
    banner = page.locator(".file-banner")
    assert banner.is_visible() and "python3 -m http.server" in banner.inner_text()
    page.locator(".md-tabs__link").nth(1).click()
    page.wait_for_load_state()
    assert page.url.endswith("/index.html") and page.locator("h1").count() == 1
    context.close()
