"""A link with answers starts the calculators' runtime from the page's head (assets/js/calc/head.mjs),
before the theme and the widgets have loaded; the widgets take that worker over, answer as the CLI
does, and start their own when the head started none or one with other files."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from .conftest import IN_PYODIDE, Watched

pytestmark = [pytest.mark.browser, pytest.mark.skipif(IN_PYODIDE, reason="drives Chromium")]

if not IN_PYODIDE:
    from .browser_pages import ELIGIBLE, FEES_INPUT, FEES_LINK, as_json_input, cli, settled, widget_url

CALC_WORKER = "assets/js/calc-worker.mjs"


def calc_workers(page: Watched) -> list[str]:
    """The calculators' workers running for the page: the shared one(s), and any of its own."""
    assert page.workers is not None
    return page.workers.running(CALC_WORKER) + [w.url for w in page.page.workers if w.url.endswith(CALC_WORKER)]


@pytest.mark.parametrize("lang, page_name", [("zh", "self-check"), ("en", "fee-calculator")])
def test_a_link_with_answers_starts_the_runtime_from_the_head(page: Watched, site_url: str, lang: str,
                                                              page_name: str) -> None:
    name, params, data = (("eligibility", ELIGIBLE, as_json_input(ELIGIBLE)) if page_name == "self-check"
                          else ("fees", FEES_LINK, FEES_INPUT))
    page.page.goto(widget_url(site_url, lang, page_name, params))
    root = settled(page.page)
    assert root.get_attribute("data-runtime-begun") == "head"
    assert json.loads(root.get_attribute("data-result")) == cli(name, data, lang)
    assert len(calc_workers(page)) == 1  # the head's worker, taken over: not a second one


def test_a_plain_visit_starts_the_runtime_from_the_page(page: Watched, site_url: str) -> None:
    page.page.goto(f"{site_url}self-check/")
    root = settled(page.page, "ready")  # started when the page is idle, as before
    assert root.get_attribute("data-runtime-begun") == "page"
    assert len(calc_workers(page)) == 1


def test_a_head_naming_other_files_is_replaced_by_the_widgets_own_runtime(page: Watched, site_url: str) -> None:
    """A page whose head names other runtime files than its widgets (a stale cache of the head, say):
    the early worker is let go (it ends once it finds its wheel missing), and the widgets' own runtime
    answers."""
    def other_wheels(route: Any) -> None:
        response = route.fetch()
        html = re.sub(r'data-calc-wheels="[^"]*"', 'data-calc-wheels="wheels/0000000000000000/other.whl"',
                      response.text())
        route.fulfill(response=response, body=html)

    page.page.route("**/self-check/?*", other_wheels)
    page.page.goto(widget_url(site_url, "zh", "self-check", ELIGIBLE))
    root = settled(page.page)
    assert root.get_attribute("data-runtime-begun") == "page"
    assert json.loads(root.get_attribute("data-result")) == cli("eligibility", as_json_input(ELIGIBLE), "zh")
    for _ in range(240):  # the head's worker: its runtime fails on the missing wheel, and it ends
        if len(calc_workers(page)) == 1:
            break
        page.page.wait_for_timeout(250)
    assert len(calc_workers(page)) == 1
    assert json.loads(root.get_attribute("data-result")) == cli("eligibility", as_json_input(ELIGIBLE), "zh")
