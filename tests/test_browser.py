"""The calculators in a real browser: Debian Chromium driven by Playwright, the built site served
on 127.0.0.1 with the site's Content-Security-Policy. Every page is watched for requests to any
other host and for console errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest

from scripts.paths import ROOT

from .conftest import IN_PYODIDE, Watched, live_env, live_policy

pytestmark = [pytest.mark.browser, pytest.mark.skipif(IN_PYODIDE, reason="drives Chromium from CPython")]

LOAD_TIMEOUT = 90_000
PREFIX = {"zh": "", "en": "en/"}
if not IN_PYODIDE:
    from scripts.examples import example, link_parameters

    from .built_site import SITE

    ELIGIBLE = link_parameters(example("eligibility"))  # examples/eligibility.json as a shared link


def widget_url(site_url: str, lang: str, page_name: str, params: dict[str, str]) -> str:
    return f"{site_url}{PREFIX[lang]}{page_name}/?{urlencode(params)}"


def settled(page: Any, states: str = "done") -> Any:
    """Wait until the widget reaches one of `states` (space separated); returns its root."""
    selector = ", ".join(f"[data-calculator][data-state={state}]" for state in states.split())
    page.wait_for_selector(selector, timeout=LOAD_TIMEOUT)
    return page.locator("[data-calculator]")


def upload(page: Any, site_url: str, lang: str, orders: Path, params: dict[str, str] | None = None) -> None:
    """Open the fee calculator (with `params` in its link), wait until it is ready, and choose `orders` as its CSV."""
    page.goto(widget_url(site_url, lang, "fee-calculator", params or {}))
    settled(page, "ready")
    page.set_input_files("#fees-csv", str(orders))


def cli(name: str, data: dict[str, Any], lang: str, *extra: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, "-m", "calculators", name, "-", "--json", "--lang", lang, *extra],
                            input=json.dumps(data), capture_output=True, text=True, cwd=ROOT, timeout=60,
                            env=live_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def as_json_input(params: dict[str, str]) -> dict[str, Any]:
    """What the widget sends for URL parameters: booleans and numbers typed, the rest as text."""
    data: dict[str, Any] = {}
    for key, value in params.items():
        data[key] = {"true": True, "false": False}.get(value, int(value) if value.isdigit() else value)
    return data


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
def test_review_from_a_shared_link_names_the_holidays(page: Watched, site_url: str, lang: str) -> None:
    page.page.goto(widget_url(site_url, lang, "review-time", {"submitted_on": "2026-09-29"}))
    root = settled(page.page)
    assert json.loads(root.get_attribute("data-result")) == cli("review", {"submitted_on": "2026-09-29"}, lang)
    text = page.page.locator(".calc-result").inner_text()
    assert ("国庆节" if lang == "zh" else "National Day") in text and "2026-10-09" in text


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


def test_keyboard_only_use_computes_on_enter(page: Watched, site_url: str) -> None:
    page.page.goto(f"{site_url}en/review-time/")
    page.page.focus("#review-submitted_on")
    page.page.keyboard.type("09292026")
    page.page.keyboard.press("Enter")
    root = settled(page.page)
    assert json.loads(root.get_attribute("data-result"))["earliest"] == "2026-09-30"


def test_a_page_without_a_widget_fetches_no_webassembly(page: Watched, site_url: str) -> None:
    page.page.goto(f"{site_url}conditions/")
    page.page.wait_for_load_state("networkidle")
    fetched = " ".join(page.requests)
    assert ".wasm" not in fetched and "pyodide" not in fetched and ".whl" not in fetched
    assert "calc-loader.js" in fetched and "/calc/" not in fetched  # only the tiny loader


def test_the_runtime_failing_to_load_points_to_the_cli(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.route("**/*.wasm", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(widget_url(site_url, "en", "review-time", {"submitted_on": "2026-09-29"}))
    settled(page, "error")
    message = page.locator(".calc-unavailable").inner_text()
    assert "python -m calculators review" in message
    # the rest of the page still works: the form keeps its input and the navigation leads on
    assert page.input_value("#review-submitted_on") == "2026-09-29"
    page.locator("a[href$='api/#review']").first.click()
    page.wait_for_selector("#review")
    assert page.url.endswith("/en/api/#review")
    context.close()


def _real_file(url: str) -> bytes:
    return (SITE / urlparse(url).path.lstrip("/")).read_bytes()


@pytest.mark.parametrize("pattern, content_type, body, says", [
    ("**/pyodide.asm.wasm", "application/octet-stream", None,
     'pyodide.asm.wasm is served as "application/octet-stream"; it must be application/wasm'),
    ("**/pyodide.mjs", "text/plain", None, 'pyodide.mjs is served as "text/plain"; it must be text/javascript'),
    ("**/pyodide.asm.wasm", "application/wasm", b"<!doctype html><title>Not found</title>",
     "pyodide.asm.wasm is not a WebAssembly file"),
], ids=["wasm as octet-stream", "a module as text/plain", "an HTML page in place of the wasm file"])
def test_a_host_that_serves_the_runtime_wrongly_is_named_within_seconds(browser: Any, site_url: str, pattern: str,
                                                                       content_type: str, body: bytes | None,
                                                                       says: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.route(pattern, lambda route: route.fulfill(status=200, content_type=content_type,
                                                    body=body if body is not None else _real_file(route.request.url)))
    page.goto(widget_url(site_url, "en", "review-time", {"submitted_on": "2026-09-29"}))
    page.wait_for_selector("[data-calculator][data-state=error]", timeout=20_000)  # not the 180 s of a stuck load
    assert says in page.locator(".calc-unavailable .calc-detail").inner_text()
    assert "python -m calculators review" in page.locator(".calc-unavailable").inner_text()
    context.close()


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


@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("zh", "保证金", "fees/"), ("zh", "营业执照", "conditions/"), ("zh", "工作日", "process/"),
    ("en", "deposit", "en/fees/"), ("en", "licence", "en/conditions/"), ("en", "fees", "en/fees/"),
    ("en", "working days", "en/process/"),
])
def test_search_finds_the_right_page(page: Watched, site_url: str, lang: str, query: str, expected: str) -> None:
    page.page.goto(f"{site_url}{PREFIX[lang]}")
    page.page.click(".md-search__input")
    meta = page.page.locator(".md-search-result__meta")
    for _ in range(300):  # the index loads in a worker; the theme says so until it is ready
        if meta.inner_text().strip() not in ("Initializing search", "正在初始化搜索引擎"):
            break
        page.page.wait_for_timeout(100)
    # the theme searches on key events: enter the text (as an input method would), then a key press
    page.page.fill(".md-search__input", query)
    page.page.keyboard.press("End")
    page.page.wait_for_selector(".md-search-result__item", timeout=30_000)
    links = page.page.locator(".md-search-result__item > a").evaluate_all("items => items.map(a => a.href)")
    paths = {urlparse(link).path for link in links}
    assert "/" + expected in paths, sorted(paths)


def test_a_csv_in_no_known_encoding_is_refused_with_a_message(page: Watched, site_url: str, tmp_path: Path) -> None:
    from calculators.messages import word

    orders = tmp_path / "orders-unknown.csv"
    orders.write_bytes(b"id,date,amount\n\xff\xfe\xfe,2026-01-10,10\n")  # neither UTF-8 nor GB18030
    upload(page.page, site_url, "zh", orders)
    settled(page.page, "error")
    assert word("csv_not_read", "zh") in page.page.locator(".calc-summary").inner_text()
    assert page.page.get_attribute("#fees-csv", "aria-invalid") == "true"


# --- the calculators as providers use them: stale results, phones, print, files, language switch ---

def _fits(page: Any, selector: str) -> bool:
    """Whether the element shows all its content across (no column hidden behind a scrollbar)."""
    return page.locator(selector).first.evaluate("e => e.scrollWidth <= e.clientWidth + 1")


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
    context.close()


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


@pytest.mark.parametrize(("lang", "read"), [("zh", "按 20 计算"), ("en", "read as 20")])
def test_full_width_digits_from_an_input_method_are_read_and_shown_as_read(page: Watched, site_url: str,
                                                                          lang: str, read: str) -> None:
    page.page.goto(widget_url(site_url, lang, "self-check", {**ELIGIBLE, "team_size": "２０"}))
    root = settled(page.page)
    assert json.loads(root.get_attribute("data-result")) == cli("eligibility", {**as_json_input(ELIGIBLE),
                                                                                "team_size": 20}, lang)
    assert page.page.locator("#eligibility-team_size-read").inner_text() == read
    assert page.page.input_value("#eligibility-team_size") == "２０"  # what was typed stays


@pytest.mark.parametrize(("lang", "said"), [("zh", "该日期不存在"), ("en", "there is no such date")])
def test_a_day_that_does_not_exist_from_a_link_is_shown_and_named(page: Watched, site_url: str, lang: str,
                                                                  said: str) -> None:
    page.page.goto(widget_url(site_url, lang, "review-time", {"submitted_on": "2024-02-30"}))
    settled(page.page, "error")
    assert page.page.input_value("#review-submitted_on") == "2024-02-30"  # not an empty-looking field
    message = page.page.locator("#review-submitted_on-error").inner_text()
    assert said in message and "YYYY" not in message


def _search(page: Any, site_url: str, lang: str, query: str) -> list[str]:
    page.goto(f"{site_url}{PREFIX[lang]}")
    page.click(".md-search__input")
    meta = page.locator(".md-search-result__meta")
    for _ in range(300):
        if meta.inner_text().strip() not in ("Initializing search", "正在初始化搜索引擎"):
            break
        page.wait_for_timeout(100)
    page.fill(".md-search__input", query)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    links = page.locator(".md-search-result__item > a").evaluate_all("items => items.map(a => a.href)")
    return [urlparse(link).path for link in links]


@pytest.mark.parametrize(("lang", "query"), [("en", "license"), ("en", "deposit"), ("zh", "保证金"), ("zh", "API")])
def test_search_lists_pages_of_the_readers_language_only(page: Watched, site_url: str, lang: str, query: str) -> None:
    paths = _search(page.page, site_url, lang, query)
    assert paths
    assert all(path.startswith("/en/") == (lang == "en") for path in paths), paths


@pytest.mark.parametrize(("lang", "query"), [("en", "service fee"), ("en", "review time"), ("zh", "服务费"),
                                             ("zh", "营业执照")])
def test_search_ranks_whole_phrase_matches_first(page: Watched, site_url: str, lang: str, query: str) -> None:
    _search(page.page, site_url, lang, query)
    page.page.wait_for_timeout(300)
    # each result with its sections (folded ones included): does it hold the whole query?
    texts = page.page.locator(".md-search-result__item").evaluate_all("items => items.map(i => i.textContent)")
    has = [" ".join(query.lower().split()) in " ".join(t.lower().split()) for t in texts]
    assert any(has) and has == sorted(has, reverse=True), list(zip(has, [t[:40] for t in texts], strict=True))


def _orders_csv(path: Path, count: int) -> Path:
    rows = ["id,date,amount,refunded"] + [f"o{i},2026-{i % 12 + 1:02d}-{i % 28 + 1:02d},{i % 9973}.{i % 100:02d},0"
                                          for i in range(count)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_large_csv_gives_totals_first_and_a_paged_table(page: Watched, site_url: str, lang: str,
                                                         tmp_path: Path) -> None:
    orders = _orders_csv(tmp_path / "orders.csv", 30_000)
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


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "said"), [("zh", "200,001 笔订单"), ("en", "200,001 orders")])
def test_more_orders_than_the_page_computes_are_refused_up_front_with_the_command(page: Watched, site_url: str,
                                                                                 tmp_path: Path, lang: str,
                                                                                 said: str) -> None:
    orders = _orders_csv(tmp_path / "orders.csv", 200_001)
    upload(page.page, site_url, lang, orders)
    settled(page.page, "error")
    message = page.page.locator(".calc-unavailable-top").inner_text()
    assert said in message and "python -m calculators fees --csv" in message


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_newer_input_cancels_a_large_computation(page: Watched, site_url: str, tmp_path: Path, lang: str) -> None:
    orders = _orders_csv(tmp_path / "orders.csv", 60_000)
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


# --- the runtime snapshot: later pages start from the runtime kept after a first answer ----------

SNAPSHOT_CACHE = "calc-runtime-snapshot-v1"  # docs/assets/js/calc-worker.mjs
FEES_LINK = {"onboarded_on": "2026-01-10", "date": "2027-01-11", "amount": "1.15", "refunded": "0.05"}
FEES_INPUT = {"onboarded_on": "2026-01-10",
              "orders": [{"id": "1", "date": "2027-01-11", "amount": "1.15", "refunded": "0.05"}]}


def first_answer_and_idle(page: Any, site_url: str) -> None:
    """Open the eligibility page from a shared link, and wait until the worker has kept its snapshot."""
    page.goto(widget_url(site_url, "zh", "self-check", ELIGIBLE))
    settled(page)
    for _ in range(240):
        if page.evaluate("performance.getEntriesByName('calc:idle').length > 0"):
            break
        page.wait_for_timeout(250)
    assert page.evaluate(f"caches.open('{SNAPSHOT_CACHE}').then((c) => c.keys()).then((k) => k.length)") == 1


def test_a_later_calculator_page_starts_from_the_snapshot_and_matches_the_cli(page: Watched, site_url: str) -> None:
    first_answer_and_idle(page.page, site_url)
    assert page.page.get_attribute("[data-calculator]", "data-runtime-start") == "fresh"
    page.page.goto(widget_url(site_url, "en", "fee-calculator", FEES_LINK))
    root = settled(page.page)
    assert root.get_attribute("data-runtime-start") == "snapshot"
    assert json.loads(root.get_attribute("data-result")) == cli("fees", FEES_INPUT, "en")
    # the holiday calendar, which the snapshot does not hold, still loads from its wheel
    page.page.goto(widget_url(site_url, "zh", "review-time", {"submitted_on": "2026-09-29"}))
    root = settled(page.page)
    assert root.get_attribute("data-runtime-start") == "snapshot"
    assert json.loads(root.get_attribute("data-result")) == cli("review", {"submitted_on": "2026-09-29"}, "zh")


# In the page (same origin as the worker): replace the stored snapshot's bytes. "damaged" keeps the
# old digest (as storage corruption would); "unusable" stores garbage with its own correct digest.
SPOIL_SNAPSHOT = """async (mode) => {
  const cache = await caches.open("SNAPSHOT_CACHE");
  const [key] = await cache.keys();
  const response = await cache.match(key);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (mode === "damaged") bytes.fill(7, 4096, 8192);
  else bytes.fill(7);
  const digest = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
                            (b) => b.toString(16).padStart(2, "0")).join("");
  const sha = mode === "damaged" ? response.headers.get("x-sha256") : digest;
  await cache.put(key, new Response(bytes, { headers: { "x-sha256": sha } }));
}""".replace("SNAPSHOT_CACHE", SNAPSHOT_CACHE)


@pytest.mark.parametrize("mode", ["damaged", "unusable"])
def test_a_bad_snapshot_falls_back_to_a_normal_start(browser: Any, site_url: str, mode: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    first_answer_and_idle(page, site_url)
    page.evaluate(SPOIL_SNAPSHOT, mode)
    page.goto(widget_url(site_url, "en", "fee-calculator", FEES_LINK))
    root = settled(page)
    assert root.get_attribute("data-runtime-start") == "fallback"
    assert json.loads(root.get_attribute("data-result")) == cli("fees", FEES_INPUT, "en")
    context.close()


# --- a site published under a sub-path: the clause links the calculators make lead to the clauses ----

@pytest.mark.slow
def test_under_a_sub_path_the_clause_links_lead_to_the_clauses_and_the_cli_agrees(
        browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from .built_site import build, scratch_project

    with socket.socket() as probe:  # a free port, named in SITE_URL before the build
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/guide/"
    project = scratch_project(tmp_path / "project")
    monkeypatch.setenv("SITE_URL", base)
    built = build(project, site_dir=tmp_path / "www" / "guide")
    assert built.returncode == 0, built.stdout + built.stderr
    from scripts.static_server import in_background, static_server

    context = browser.new_context()
    with in_background(static_server(tmp_path / "www", port)):
        try:
            page = Watched(context.new_page())
            for lang in ("zh", "en"):
                page.page.goto(f"{base}{PREFIX[lang]}self-check/?{urlencode({**ELIGIBLE, 'team_size': '3'})}")
                shown = json.loads(settled(page.page).get_attribute("data-result"))
                expected = json.loads(subprocess.run(
                    [sys.executable, "-m", "calculators", "eligibility", "-", "--json", "--lang", lang],
                    input=json.dumps({**as_json_input(ELIGIBLE), "team_size": 3}), capture_output=True, text=True,
                    cwd=project, timeout=60, env=live_env()).stdout)  # the CLI of the project built with this SITE_URL
                assert shown == expected
                links = page.page.locator(".calc-result a").evaluate_all("links => links.map(a => a.href)")
                sources = {c["source"] for part in [shown["provider"], *shown["categories"].values()]
                           for c in part["criteria"]}
                assert links and set(links) <= sources
                for link in sorted(set(links)):
                    assert link.startswith(f"{base}{PREFIX[lang]}conditions/#"), link
                    page.page.goto(link)
                    assert page.page.locator(f"#{link.split('#')[1]}").count() == 1, link
            assert page.errors == [] and page.external() == []
        finally:
            context.close()
    # on nginx with the snippet written for /guide/, a missing page at any depth gets the site's 404
    # page, whose styles and search work there (its search base is /guide/en/, not //en/)
    from scripts import hosts

    assert "location ^~ /guide/pyodide/ {" in (tmp_path / "www" / "guide-host" / "nginx.conf").read_text()
    with hosts.nginx(tmp_path / "www" / "guide", "/guide/") as host:
        context = browser.new_context()
        try:
            page = Watched(context.new_page())
            response = page.page.goto(f"{host.url}en/a/b/c/missing/")
            assert response.status == 404
            assert page.page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
            page.page.click(".md-search__input")
            page.page.fill(".md-search__input", "deposit")
            page.page.keyboard.press("End")
            page.page.wait_for_selector(".md-search-result__item", timeout=30_000)
            found = page.page.locator(".md-search-result__item > a").evaluate_all("items => items.map(a => a.href)")
            assert found and all(link.startswith(f"{host.url}en/") for link in found), found
            assert [e for e in page.errors if "404" not in e] == [] and page.external() == []
        finally:
            context.close()


# --- answers that arrive late, and counts of one ---------------------------------------------------

# Holds each answer of the worker for `window.__holdAnswers` ms: an answer still on its way when the
# form changes, as on a slow phone.
HOLD_ANSWERS = """(() => {
  const Real = window.Worker;
  window.Worker = class extends Real {
    set onmessage(handler) {
      super.onmessage = (event) => {
        const hold = ["result", "json"].includes(event.data && event.data.type) ? window.__holdAnswers : 0;
        if (hold) setTimeout(() => handler(event), hold);
        else handler(event);
      };
    }
  };
})();"""


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


def test_a_stale_paged_table_offers_no_pages_or_files(page: Watched, site_url: str, tmp_path: Path) -> None:
    page.page.add_init_script(HOLD_ANSWERS)
    upload(page.page, site_url, "en", _orders_csv(tmp_path / "orders.csv", 2_000), {"onboarded_on": "2026-01-01"})
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


SHOTS = ROOT / "build" / "screenshots"


def shot(page: Any, name: str, selector: str | None = None) -> None:
    """A screenshot under build/screenshots/ to look at (the element `selector`, or the viewport)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(selector).first if selector else page
    target.screenshot(path=str(SHOTS / f"{name}.png"))


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


def _context(browser: Any, width: int, lang: str) -> Any:
    return browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN" if lang == "zh" else "en-US",
                               permissions=["clipboard-read", "clipboard-write"])


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
    context = _context(browser, width, lang)
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
def test_a_self_check_link_keeps_the_evaluation_date_or_says_it_fixes_none(browser: Any, site_url: str,
                                                                          lang: str) -> None:
    from calculators.messages import word

    context = _context(browser, 1366, lang)
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


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feedback_stands_where_the_eye_is(browser: Any, site_url: str, lang: str, width: int) -> None:
    from calculators.messages import word

    context = _context(browser, width, lang)
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


def _search_ready(page: Any, site_url: str, lang: str) -> None:
    page.goto(f"{site_url}{PREFIX[lang]}")
    if not page.locator(".md-search__input").is_visible():  # a phone: the search opens from its icon
        page.locator("label.md-header__button[for=__search]").click()
        page.wait_for_timeout(500)
    page.locator(".md-search__input").focus()
    meta = page.locator(".md-search-result__meta")
    for _ in range(300):  # the index loads in a worker
        if meta.inner_text().strip() not in ("Initializing search", "正在初始化搜索引擎"):
            break
        page.wait_for_timeout(100)


SEARCH_MISSING = """() => [...document.querySelectorAll('.md-search-result__terms del')].filter((d) => {
  const article = d.closest('article').cloneNode(true);
  article.querySelector('.md-search-result__terms').remove();
  const word = d.textContent.replace(/\\*$/, '').toLowerCase();
  return article.textContent.replace(/\\u200b/g, '').toLowerCase().includes(word);
}).map((d) => d.textContent)"""


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize(("lang", "query", "expected"), [("zh", "平台服务费", "/fees/"),
                                                         ("en", "platform service fee", "/en/fees/")])
def test_search_by_paste_or_input_method_ranks_the_page_of_the_term_first(browser: Any, site_url: str, lang: str,
                                                                         query: str, expected: str,
                                                                         width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    _search_ready(page, site_url, lang)
    # pasted: an input event, no key released
    page.locator(".md-search__input").evaluate(
        "(input, text) => { input.value = text; input.dispatchEvent(new InputEvent('input', "
        "{ bubbles: true, inputType: 'insertFromPaste', data: text })); }", query)
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    page.wait_for_timeout(300)
    links = page.locator(".md-search-result__item > a").evaluate_all("items => items.map(a => a.href)")
    assert urlparse(links[0]).path == expected, [urlparse(link).path for link in links]
    assert page.evaluate(SEARCH_MISSING) == []  # no result said to lack a word it shows
    # snippets keep a space between a group's title and its first question ("Planning Planned deposit")
    index = json.loads((SITE / PREFIX[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"].replace("\u200b", "") for d in index["docs"])
    assert ("Planning Planned deposit" in text) if lang == "en" else ("规划 计划保证金" in text)
    shot(page, f"search-{lang}-{width}")
    # an input method: the text committed at compositionend, no key released
    page.locator(".md-search__input").evaluate(
        "(input, text) => { input.value = ''; input.dispatchEvent(new InputEvent('input', { bubbles: true })); "
        "input.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true })); input.value = text; "
        "input.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true, data: text })); "
        "input.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: text })); }", "保证金"
        if lang == "zh" else "deposit")
    page.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item > a')]"
                           ".some((a) => new URL(a.href).pathname.endsWith('fees/'))", timeout=30_000)
    context.close()
