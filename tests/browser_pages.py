"""What the browser tests (tests/test_browser_*.py) share: the calculator pages' addresses, waiting for a
widget to settle, choosing a CSV, the command line they compare with, and screenshots to look at."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from scripts.paths import ROOT

from .conftest import IN_PYODIDE, live_env

# every browser test file: drives Chromium from CPython
BROWSER = [pytest.mark.browser, pytest.mark.skipif(IN_PYODIDE, reason="drives Chromium from CPython")]

LOAD_TIMEOUT = 90_000
PREFIX = {"zh": "", "en": "en/"}
ELIGIBLE: dict[str, str] = {}  # examples/eligibility.json as a shared link (scripts.pages.examples: CPython only)
# tests that fake a host's answers run the page without shared workers (Playwright routes a page's own
# worker's requests only); the shared worker meets real mis-serving hosts in test_host_visit.py
NO_SHARED_WORKERS = ""  # scripts.dev.browser's (CPython only)
if not IN_PYODIDE:
    from scripts.dev.browser import NO_SHARED_WORKERS  # noqa: F401 (for the tests)
    from scripts.pages.examples import example, link_parameters

    ELIGIBLE = link_parameters(example("eligibility"))

FEES_LINK = {"onboarded_on": "2026-01-10", "date": "2027-01-11", "amount": "1.15", "refunded": "0.05"}
FEES_INPUT = {"onboarded_on": "2026-01-10",
              "orders": [{"id": "1", "date": "2027-01-11", "amount": "1.15", "refunded": "0.05"}]}


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


def orders_csv(path: Path, count: int) -> Path:
    """A CSV of `count` good orders over a year, at `path`."""
    rows = ["id,date,amount,refunded"] + [f"o{i},2026-{i % 12 + 1:02d}-{i % 28 + 1:02d},{i % 9973}.{i % 100:02d},0"
                                          for i in range(count)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def clipboard_context(browser: Any, width: int, lang: str) -> Any:
    """A browser context `width` px wide in the language's locale, whose pages may use the clipboard."""
    return browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN" if lang == "zh" else "en-US",
                               permissions=["clipboard-read", "clipboard-write"])


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

SHOTS = ROOT / "build" / "screenshots"


def shot(page: Any, name: str, selector: str | None = None) -> None:
    """A screenshot under build/screenshots/ to look at (the element `selector`, or the viewport)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(selector).first if selector else page
    target.screenshot(path=str(SHOTS / f"{name}.png"))
