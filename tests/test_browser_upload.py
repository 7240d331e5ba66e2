"""A CSV of orders in the fee calculator: read in each encoding Excel saves, counted, its bad rows summed up
by problem with a report, a large batch paged, too many orders refused, copying the link."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from scripts.paths import ROOT

from .browser_pages import BROWSER, HOLD_ANSWERS, LOAD_TIMEOUT, clipboard_context, orders_csv, settled, shot, upload
from .conftest import Watched, live_env

pytestmark = BROWSER


def test_a_csv_upload_yields_the_per_order_table(page: Watched, site_url: str, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount,refunded\r\nA-1,2026-01-10,1280.00,\r\nA-2,2027-01-11,4500,500\r\n"
                      "A-3,2027-02-01,99.90,9.90\r\n", encoding="utf-8")
    upload(page.page, site_url, "en", orders, {"onboarded_on": "2026-01-10"})
    root = settled(page.page)
    assert page.page.locator(".calc-result tbody tr").count() == 3
    expected = json.loads(subprocess.run(
        [sys.executable, "-m", "calculators", "fees", "--csv", str(orders), "--onboarded-on", "2026-01-10",
         "--json", "--lang", "en"], capture_output=True, text=True, cwd=ROOT, timeout=60, env=live_env()).stdout)
    assert json.loads(root.get_attribute("data-result")) == expected


def test_bad_csv_rows_are_reported_by_row(page: Watched, site_url: str, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\nA,2026-01-10,1\nB,2026-02-30,1\nC,2026-01-10,-4\n", encoding="utf-8")
    upload(page.page, site_url, "en", orders)
    settled(page.page, "error")
    summary = page.page.locator(".calc-summary").inner_text()
    assert "2 rows of the CSV have problems" in summary
    assert "(row 3)" in summary and "(row 4)" in summary  # one line per kind of problem, with its rows (one: "row")
    # the good row is kept and computed
    assert page.page.locator(".calc-result tbody tr").all_inner_texts()[0].startswith("A")


def test_a_csv_in_no_known_encoding_is_refused_with_a_message(page: Watched, site_url: str, tmp_path: Path) -> None:
    from calculators.messages import word

    orders = tmp_path / "orders-unknown.csv"
    orders.write_bytes(b"id,date,amount\n\xff\xfe\xfe,2026-01-10,10\n")  # neither UTF-8 nor GB18030
    upload(page.page, site_url, "zh", orders)
    settled(page.page, "error")
    assert word("csv_not_read", "zh") in page.page.locator(".calc-summary").inner_text()
    assert page.page.get_attribute("#fees-csv", "aria-invalid") == "true"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_failed_second_upload_leaves_nothing_of_the_first(page: Watched, site_url: str, lang: str,
                                                           tmp_path: Path) -> None:
    good = tmp_path / "k10.csv"
    good.write_text("id,date,amount\nA,2026-12-01,100\n", encoding="utf-8")
    bad = tmp_path / "unreadable.csv"
    bad.write_bytes(b"id,date,amount\n\xff\xfe\xfe,2026-12-01,10\n")
    upload(page.page, site_url, lang, good)
    root = settled(page.page)
    assert "k10.csv" in page.page.locator("#fees-csv-hint").inner_text()
    page.page.set_input_files("#fees-csv", str(bad))
    settled(page.page, "error")
    assert root.get_attribute("data-result") is None
    assert page.page.locator(".calc-result table").count() == 0
    assert "k10.csv" not in page.page.locator("#fees-csv-hint").inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hundreds_of_bad_rows_give_a_short_summary_an_error_report_and_a_result_that_names_them(
        page: Watched, site_url: str, lang: str, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    rows = ["id,date,amount"] + [f"E{i},2025-12-{i % 28 + 1:02d},10" for i in range(693)] + ["OK,2026-02-01,100"]
    orders.write_text("\n".join(rows) + "\n", encoding="utf-8")
    upload(page.page, site_url, lang, orders, {"onboarded_on": "2026-01-10"})
    settled(page.page, "error")
    summary = page.page.locator(".calc-summary")
    assert summary.locator(".calc-row-groups > li").count() == 1
    assert "693" in summary.inner_text() and len(summary.inner_text()) < 600
    assert len(page.page.locator("#fees-csv-error").inner_text()) < 100
    with page.page.expect_download() as download:
        summary.get_by_role("button").click()
    report = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert report[0] == ["row", "id", "field", "problem"] and len(report) == 694 and report[1][:2] == ["2", "E0"]
    with page.page.expect_download() as download:
        page.page.locator(".calc-result .calc-actions button").click()
    result = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert result[0][-1] == "status" and result[1][0] == "OK" and result[1][-1] == "ok"
    assert len(result) == 1 + 1 + 693 and result[2][0] == "E0" and "2" in result[2][-1]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_large_csv_gives_totals_first_and_a_paged_table(page: Watched, site_url: str, lang: str,
                                                         tmp_path: Path) -> None:
    orders = orders_csv(tmp_path / "orders.csv", 30_000)
    upload(page.page, site_url, lang, orders, {"onboarded_on": "2026-01-01"})
    root = settled(page.page)
    expected = json.loads(subprocess.run(
        [sys.executable, "-m", "calculators", "fees", "--csv", str(orders), "--onboarded-on", "2026-01-01", "--json",
         "--lang", lang], capture_output=True, text=True, cwd=ROOT, timeout=120, env=live_env()).stdout)
    assert json.loads(root.get_attribute("data-result")) == expected
    totals = page.page.locator(".calc-totals").inner_text()
    assert "30,000" in totals and expected["totals"]["fee"] in totals
    assert page.page.locator(".calc-result tbody tr").count() == 100  # a page, not thirty thousand rows
    page.page.locator(".calc-pager button").nth(1).click()
    for _ in range(100):
        if page.page.locator(".calc-result tbody tr").first.inner_text().startswith("o100"):
            break
        page.page.wait_for_timeout(50)
    assert page.page.locator(".calc-result tbody tr").first.inner_text().startswith("o100")
    with page.page.expect_download() as download:
        page.page.locator(".calc-result .calc-actions button", has_text="CSV").last.click()
    assert len(Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()) == 30_001


def test_two_tabs_on_the_shared_runtime_keep_their_own_paged_tables(page: Watched, site_url: str,
                                                                    tmp_path: Path) -> None:
    """Two tabs, one runtime (the site's shared worker): each keeps its own long fee table, so paging
    in the first after the second has computed still shows the first's orders."""
    first = orders_csv(tmp_path / "first.csv", 2_000)
    second = tmp_path / "second.csv"
    second.write_text(first.read_text(encoding="utf-8").replace("\no", "\np"), encoding="utf-8")
    upload(page.page, site_url, "en", first, {"onboarded_on": "2026-01-01"})
    settled(page.page)
    other = page.page.context.new_page()
    upload(other, site_url, "en", second, {"onboarded_on": "2026-01-01"})
    settled(other)
    assert other.get_attribute("[data-calculator]", "data-runtime-start") == "running"
    for tab, prefix in ((page.page, "o100"), (other, "p100")):
        tab.locator(".calc-pager button").nth(1).click()
        for _ in range(100):
            if tab.locator(".calc-result tbody tr").first.inner_text().startswith(prefix):
                break
            tab.wait_for_timeout(50)
        assert tab.locator(".calc-result tbody tr").first.inner_text().startswith(prefix)


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "said"), [("zh", "200,001 笔订单"), ("en", "200,001 orders")])
def test_more_orders_than_the_page_computes_are_refused_up_front_with_the_command(page: Watched, site_url: str,
                                                                                 tmp_path: Path, lang: str,
                                                                                 said: str) -> None:
    orders = orders_csv(tmp_path / "orders.csv", 200_001)
    upload(page.page, site_url, lang, orders)
    settled(page.page, "error")
    message = page.page.locator(".calc-unavailable-top").inner_text()
    assert said in message and "python -m calculators fees --csv" in message


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_newer_input_cancels_a_large_computation(page: Watched, site_url: str, tmp_path: Path, lang: str) -> None:
    orders = orders_csv(tmp_path / "orders.csv", 60_000)
    upload(page.page, site_url, lang, orders, {"onboarded_on": "2026-01-01"})
    page.page.wait_for_timeout(300)
    page.page.fill("#fees-onboarded_on", "2025-01-01")  # while the first is computing
    root = page.page.locator("[data-calculator]")
    shown: dict[str, Any] = {}
    for _ in range(1200):  # until an answer stands: it must be the newer input's
        text = root.get_attribute("data-result")
        if text and root.get_attribute("data-state") == "done":
            shown = json.loads(text)
            break
        page.page.wait_for_timeout(100)
    assert len(shown["orders"]) == 60_000
    # approved 2025-01-01: its free year ends on 2026-01-01 (the old input freed every order of 2026)
    assert all(order["waived"] == (order["date"] <= "2026-01-01") for order in shown["orders"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_order_count_of_a_csv_ignores_line_ends_inside_quoted_cells(page: Watched, site_url: str,
                                                                      tmp_path: Path, lang: str) -> None:
    from calculators.messages import word

    orders = tmp_path / "orders.csv"
    orders.write_text('id,date,amount\n"A\nsecond line",2026-12-01,10\nB,2026-12-01,20\n\n', encoding="utf-8")
    upload(page.page, site_url, lang, orders)
    settled(page.page)
    said = word("csv_loaded_as", lang, name="orders.csv", count=2, encoding="UTF-8")
    assert said in page.page.locator("#fees-csv-hint").inner_text()


def test_a_stale_paged_table_offers_no_pages_or_files(page: Watched, site_url: str, tmp_path: Path) -> None:
    page.page.add_init_script(HOLD_ANSWERS)
    upload(page.page, site_url, "en", orders_csv(tmp_path / "orders.csv", 2_000), {"onboarded_on": "2026-01-01"})
    settled(page.page)
    buttons = page.page.locator(".calc-result button")
    assert buttons.count() >= 3 and not page.page.locator(".calc-pager button").nth(1).is_disabled()
    page.page.evaluate("window.__holdAnswers = 1500")
    page.page.fill("#fees-onboarded_on", "2025-01-01")  # the newer answer is on its way
    assert all(buttons.nth(i).is_disabled() for i in range(buttons.count()))
    page.page.wait_for_selector("[data-calculator][data-result]", state="attached", timeout=30_000)  # then it stands,
    assert not page.page.locator(".calc-pager button").nth(1).is_disabled()  # with its own pages and files


def test_a_csv_of_one_order_is_counted_in_the_singular(page: Watched, site_url: str, tmp_path: Path) -> None:
    orders = tmp_path / "one.csv"
    orders.write_text("id,date,amount\nA,2026-12-01,100\n", encoding="utf-8")
    upload(page.page, site_url, "en", orders)
    settled(page.page)
    assert "Loaded one.csv (1 order, read as UTF-8)" in page.page.locator("#fees-csv-hint").inner_text()


def test_a_csv_row_with_two_problems_counts_as_one_row(page: Watched, site_url: str, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\nA,2026-01-10,1\nB,2026-02-30,-4\n", encoding="utf-8")
    upload(page.page, site_url, "en", orders)
    settled(page.page, "error")
    said = "1 row of the CSV has problems and was left out"
    assert said in page.page.locator(".calc-summary").inner_text()
    assert said in page.page.locator("#fees-csv-error").inner_text()
    # beside the field a whole sentence: nothing follows it there, so it does not end on a colon
    assert page.page.locator("#fees-csv-error").inner_text().endswith(said + ".")


# files as Excel saves them: a Chinese locale's 逗号分隔 export is GBK with CRLF; "CSV UTF-8" has a BOM;
# "Unicode text" is UTF-16 with a BOM; dates as Excel writes them
EXCEL_ROWS = "id,date,amount\r\n订单1,2026/8/15,\"1,280.00\"\r\n订单2,2026年8月16日,￥50\r\nC,2026-8-17,10\r\n"


EXCEL_FILES = {"GB18030/GBK": EXCEL_ROWS.encode("gbk"), "UTF-8 (BOM)": EXCEL_ROWS.encode("utf-8-sig"),
               "UTF-16": EXCEL_ROWS.encode("utf-16"), "UTF-8": EXCEL_ROWS.encode("utf-8")}


@pytest.mark.parametrize("encoding", list(EXCEL_FILES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_csv_as_excel_saves_it_is_read_with_its_encoding_and_dates_shown_as_read(
        browser: Any, site_url: str, lang: str, encoding: str, tmp_path: Path) -> None:
    from calculators.messages import word

    orders = tmp_path / "orders.csv"
    orders.write_bytes(EXCEL_FILES[encoding])
    width = 390 if encoding == "GB18030/GBK" else 1366
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    upload(page, site_url, lang, orders, {"onboarded_on": "2026-01-10"})
    root = settled(page)
    hint = page.locator("#fees-csv-hint").inner_text()
    assert word("csv_loaded_as", lang, name="orders.csv", count=3, encoding=encoding) in hint
    # the same answer as the command line gives for the same bytes
    expected = subprocess.run([sys.executable, "-m", "calculators", "fees", "--csv", str(orders), "--onboarded-on",
                               "2026-01-10", "--json", "--lang", lang], capture_output=True, text=True, cwd=ROOT,
                              timeout=60, env=live_env())
    assert expected.returncode == 0, expected.stderr
    shown = json.loads(root.get_attribute("data-result"))
    assert shown == json.loads(expected.stdout)
    assert [o["date"] for o in shown["orders"]] == ["2026-08-15", "2026-08-16", "2026-08-17"]
    # each form read is shown as read
    read = page.locator(".calc-result .calc-csv-read").inner_text()
    assert '"2026/8/15"' in read and "2026-08-15" in read and '"2026年8月16日"' in read
    if encoding == "GB18030/GBK":
        shot(page, f"csv-gbk-{lang}-{width}", ".calculator")
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_date_whose_day_and_month_cannot_be_told_apart_is_refused_by_row_and_column(
        page: Watched, site_url: str, lang: str, tmp_path: Path) -> None:
    from calculators.messages import word

    orders = tmp_path / "orders.csv"
    orders.write_bytes("id,date,amount\r\nA,2026/8/15,10\r\nB,8/15/2026,10\r\n".encode("gbk"))
    upload(page.page, site_url, lang, orders)
    settled(page.page, "error")
    summary = page.page.locator(".calc-summary").inner_text()
    assert word("date_ambiguous", lang, value='"8/15/2026"') in summary and "3" in summary
    report = subprocess.run([sys.executable, "-m", "calculators", "fees", "--csv", str(orders), "--lang", lang],
                            capture_output=True, text=True, cwd=ROOT, timeout=60, env=live_env())
    assert report.returncode == 2
    assert word("csv_row", lang, row=3) in report.stderr and "date" in report.stderr
    assert word("date_ambiguous", lang, value='"8/15/2026"') in report.stderr


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_summary_of_bad_rows_quotes_only_what_its_rows_hold(browser: Any, site_url: str, lang: str, width: int,
                                                             tmp_path: Path) -> None:
    from calculators.messages import word

    rows = ["id,date,amount"] + [f"G{i},2026-03-01,10" for i in range(2, 800)]
    for number, amount in ((301, "-50.00"), (501, "abc"), (701, "10.005")):
        rows[number - 1] = f"B{number},2026-03-01,{amount}"
    for number in range(10, 15):  # dates from 01-05 to 01-09, before onboarding on 01-10
        rows[number - 1] = f"D{number},2026-01-{number - 5:02d},10"
    rows[19] = "S20,2026-02-30,10"  # one row alone: its own value
    orders = tmp_path / "orders.csv"
    orders.write_text("\n".join(rows) + "\n", encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    upload(page, site_url, lang, orders, {"onboarded_on": "2026-01-10"})
    settled(page, "error")
    groups = page.locator(".calc-summary .calc-row-groups > li")
    texts = [groups.nth(i).inner_text() for i in range(groups.count())]
    sep = word("list_separator", lang)
    money = next(t for t in texts if "301" in t)
    assert word("money", lang, value=sep.join(['"-50.00"', '"abc"', '"10.005"'])) in money
    before = next(t for t in texts if "10" in t and "2026-01-05" in t)
    five = sep.join(f'"2026-01-{d:02d}"' for d in (5, 6, 7))
    assert five in before and "2026-01-09" not in before  # three quoted, the others counted
    assert word("values_more", lang, values="", more=2).strip() in before
    alone = next(t for t in texts if "2026-02-30" in t)
    assert word("no_such_date", lang, value='"2026-02-30"') in alone and len(texts) == 3
    shot(page, f"row-summary-{lang}-{width}", ".calc-summary")
    context.close()


def _near(page: Any, a: str, b: str, distance: float = 250) -> bool:
    """Whether the elements `a` and `b` stand within `distance` px of each other, down the page."""
    one, two = page.locator(a).first.bounding_box(), page.locator(b).first.bounding_box()
    return abs(one["y"] - two["y"]) < distance


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_copy_link_after_an_upload_says_the_orders_stay_and_offers_the_csv(browser: Any, site_url: str, lang: str,
                                                                           width: int, tmp_path: Path) -> None:
    from calculators.messages import word

    orders = tmp_path / "orders.csv"
    orders.write_bytes("id,date,amount\r\n订单1,2026/8/15,100\r\n".encode("gbk"))
    context = clipboard_context(browser, width, lang)
    page = context.new_page()
    upload(page, site_url, lang, orders, {"onboarded_on": "2026-01-10"})
    settled(page)
    page.click('[data-action="copy-link"]')
    status = page.locator(".calc-action-status")
    status.locator("p").wait_for()
    assert status.locator("p").inner_text() == word("copied_no_csv", lang)
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    assert _near(page, ".calc-action-status", '[data-action="copy-link"]')  # beside the button, not 2,000 px up
    assert status.get_attribute("aria-live") == "polite"
    with page.expect_download() as download:
        status.get_by_role("button").click()
    saved = Path(download.value.path()).read_bytes().decode("utf-8-sig")  # as read: its line ends kept
    assert download.value.suggested_filename == "orders.csv" and saved == "id,date,amount\r\n订单1,2026/8/15,100\r\n"
    shot(page, f"copy-link-csv-{lang}-{width}")
    context.close()


# Two fee calculators on one page, as one page may hold the same form twice: the first one's widget
# repeated after it, ids and all.
def _twice(route: Any) -> None:
    response = route.fetch()
    html = response.text()
    start = html.index('<div class="calculator"')
    end = html.index("</noscript>\n</div>", start) + len("</noscript>\n</div>")
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-encoding", "content-length")}
    route.fulfill(status=response.status, headers=headers, body=html[:end] + "\n" + html[start:end] + html[end:])


def _state(root: Any, state: str) -> None:
    """Wait until the widget `root` reaches `state`."""
    for _ in range(LOAD_TIMEOUT // 100):
        if root.get_attribute("data-state") == state:
            return
        root.page.wait_for_timeout(100)
    raise AssertionError(f"the widget never reached {state}")


def test_two_widgets_on_a_page_each_name_their_own_csv_and_errors(page: Watched, site_url: str,
                                                                  tmp_path: Path) -> None:
    page.page.route(lambda url: urlparse(url).path.endswith("/en/fee-calculator/"), _twice)
    page.page.goto(f"{site_url}en/fee-calculator/")
    roots = page.page.locator("[data-calculator]")
    assert roots.count() == 2
    first, second = roots.nth(0), roots.nth(1)
    _state(first, "ready")
    _state(second, "ready")
    # every id once on the page; each widget's labels and field notes point inside that widget
    ids = page.page.evaluate("[...document.querySelectorAll('[id]')].map((e) => e.id)")
    assert len(ids) == len(set(ids))
    for root in (first, second):
        outside = root.evaluate("""(root) => [...root.querySelectorAll('label[for], [aria-describedby]')]
          .flatMap((e) => (e.getAttribute('for') || e.getAttribute('aria-describedby')).split(/\\s+/))
          .filter((id) => !root.contains(document.getElementById(id)))""")
        assert outside == []
    # a CSV chosen in the second: named in the second's hint, computed there, the first left as it was
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\nA,2026-12-01,100\n", encoding="utf-8")
    second.locator('input[type="file"]').set_input_files(str(orders))
    _state(second, "done")
    assert "orders.csv" in second.locator(".calc-drop .calc-hint").inner_text()
    assert "orders.csv" not in first.locator(".calc-drop .calc-hint").inner_text()
    assert first.get_attribute("data-state") == "ready" and first.get_attribute("data-result") is None
    expected = subprocess.run([sys.executable, "-m", "calculators", "fees", "--csv", str(orders), "--json", "--lang",
                               "en"], capture_output=True, text=True, cwd=ROOT, timeout=60, env=live_env())
    assert json.loads(second.get_attribute("data-result")) == json.loads(expected.stdout)
    # the second's CSV removed and a bad amount typed there: the problem stands under the second's field
    second.locator(".calc-drop .calc-hint button").click()
    second.locator('[name="date"]').fill("2026-12-01")
    second.locator('[name="amount"]').fill("abc")
    _state(second, "error")
    note = second.locator(".calc-field", has=page.page.locator('[name="amount"]')).locator(".calc-field-error")
    assert note.is_visible() and "abc" in note.inner_text()
    assert first.locator(".calc-field-error:visible").count() == 0
    assert first.locator(".calc-summary").is_hidden() and second.locator(".calc-summary").is_visible()


def test_a_csv_is_computed_though_the_single_orders_date_is_typed_in_part(page: Watched, site_url: str,
                                                                        tmp_path: Path) -> None:
    # while a file gives the orders, the one order's fields are not read: a date left in part there
    # holds nothing back (it is named when the file is removed)
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\r\nA-1,2026-02-10,1280.00\r\n", encoding="utf-8")
    page.page.goto(f"{site_url}en/fee-calculator/?onboarded_on=2026-01-10&date=2026-03-01")
    settled(page.page, "ready")
    page.page.focus("#fees-date")
    page.page.keyboard.press("Backspace")
    settled(page.page, "error")
    page.page.set_input_files("#fees-csv", str(orders))
    root = settled(page.page)
    assert [o["id"] for o in json.loads(root.get_attribute("data-result"))["orders"]] == ["A-1"]
    from calculators.messages import word

    page.page.get_by_role("button", name=word("csv_remove", "en")).click()
    settled(page.page, "error")
    assert page.page.locator("#fees-date-error").is_visible()
