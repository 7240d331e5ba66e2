"""The page against CSV files built to exhaust it: many bad rows, a file too large to read, rows
hidden from the row counter. The tab must answer (or refuse, naming the command line) and live on."""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser_pages import settled, upload
from .conftest import IN_PYODIDE, Watched

pytestmark = [pytest.mark.browser, pytest.mark.skipif(IN_PYODIDE, reason="drives Chromium from CPython")]


def _alive(page: Watched) -> None:
    """The tab still runs script and the form still answers."""
    assert page.page.evaluate("1 + 1") == 2
    assert page.page.locator("#fees-csv").is_enabled()


@pytest.mark.slow
def test_two_hundred_thousand_bad_rows_are_summed_up_and_the_tab_lives(page: Watched, site_url: str,
                                                                      tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount,refunded\n" + "x,y,z,w\n" * 200_000, encoding="utf-8")  # 1.6 MB
    upload(page.page, site_url, "en", orders)
    settled(page.page, "error")
    summary = page.page.locator(".calc-summary").inner_text()
    assert "200000 rows of the CSV have problems and were left out" in summary
    assert "\n200000 rows: must be a date" in summary
    assert "\n199999 rows: duplicate order id" in summary  # the ids given again, counted, not listed
    assert len(summary) < 2_000
    memory = page.page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
    assert memory < 200_000_000
    _alive(page)


@pytest.mark.parametrize(("lang", "said"), [("en", "This file is 16.5 MB, more than the page reads (16 MB)"),
                                            ("zh", "此文件有 16.5 MB，超过页面能读取的 16 MB")])
def test_a_file_too_large_to_read_is_refused_up_front_with_the_command_line(page: Watched, site_url: str,
                                                                           tmp_path: Path, lang: str,
                                                                           said: str) -> None:
    orders = tmp_path / "orders.csv"
    cell = "x" * (16 * 1024 * 1024 + 512 * 1024)
    orders.write_text("id,date,amount\n" + cell, encoding="utf-8")
    upload(page.page, site_url, lang, orders)
    top = page.page.locator(".calc-unavailable-top")
    top.wait_for(timeout=10_000)
    assert said in top.inner_text()
    assert "python -m calculators fees --csv orders.csv" in top.inner_text()
    _alive(page)


def test_rows_hidden_by_quotes_inside_cells_are_counted_and_refused(page: Watched, site_url: str,
                                                                    tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\n" + 'a"b,2026-01-01,1\n' * 200_001, encoding="utf-8")
    upload(page.page, site_url, "en", orders)
    top = page.page.locator(".calc-unavailable-top")
    top.wait_for(timeout=20_000)
    assert "This file has 200,001 orders, more than the page computes (200,000)" in top.inner_text()
    _alive(page)
