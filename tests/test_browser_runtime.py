"""The runtime in the page: fetched only where a calculator is, a failing or wrongly served runtime named with
the command line, the snapshot later pages start from, and a site published under a sub-path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest

from .browser_pages import (
    BROWSER,
    ELIGIBLE,
    FEES_INPUT,
    FEES_LINK,
    NO_SHARED_WORKERS,
    PREFIX,
    as_json_input,
    cli,
    settled,
    widget_url,
)
from .conftest import IN_PYODIDE, SharedWorkers, Watched, live_env

if not IN_PYODIDE:
    from .built_site import SITE

pytestmark = BROWSER


def test_a_page_without_a_widget_fetches_no_webassembly(page: Watched, site_url: str) -> None:
    page.page.goto(f"{site_url}conditions/")
    page.page.wait_for_load_state("networkidle")
    fetched = " ".join(page.requests)
    assert ".wasm" not in fetched and "pyodide" not in fetched and ".whl" not in fetched
    assert "calc-loader.js" in fetched and "/calc/" not in fetched  # only the tiny loader


def test_the_runtime_failing_to_load_points_to_the_cli(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    context.add_init_script(NO_SHARED_WORKERS)  # the page's own worker, whose requests Playwright routes
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
    context.add_init_script(NO_SHARED_WORKERS)  # the page's own worker, whose requests Playwright routes
    page = context.new_page()
    page.route(pattern, lambda route: route.fulfill(status=200, content_type=content_type,
                                                    body=body if body is not None else _real_file(route.request.url)))
    page.goto(widget_url(site_url, "en", "review-time", {"submitted_on": "2026-09-29"}))
    page.wait_for_selector("[data-calculator][data-state=error]", timeout=20_000)  # not the 180 s of a stuck load
    assert says in page.locator(".calc-unavailable .calc-detail").inner_text()
    assert "python -m calculators review" in page.locator(".calc-unavailable").inner_text()
    context.close()


SNAPSHOT_CACHE = "calc-runtime-snapshot-v1"  # docs/assets/js/calc-worker.mjs


def first_answer_and_idle(page: Any, site_url: str) -> None:
    """Open the eligibility page from a shared link, and wait until the worker has kept its snapshot."""
    page.goto(widget_url(site_url, "zh", "self-check", ELIGIBLE))
    settled(page)
    for _ in range(240):
        if page.evaluate("performance.getEntriesByName('calc:idle').length > 0"):
            break
        page.wait_for_timeout(250)
    assert page.evaluate(f"caches.open('{SNAPSHOT_CACHE}').then((c) => c.keys()).then((k) => k.length)") == 1


def test_the_next_calculator_page_joins_the_running_runtime_and_matches_the_cli(page: Watched, site_url: str) -> None:
    """The site's shared worker: the second and third calculator page of a visit, and a page opened in
    another tab, answer from the runtime the first page started; one runtime in all."""
    first_answer_and_idle(page.page, site_url)
    assert page.page.get_attribute("[data-calculator]", "data-runtime-start") == "fresh"
    page.page.goto(widget_url(site_url, "en", "fee-calculator", FEES_LINK))
    root = settled(page.page)
    assert root.get_attribute("data-runtime-start") == "running"
    assert json.loads(root.get_attribute("data-result")) == cli("fees", FEES_INPUT, "en")
    # the holiday calendar, which the first page did not need, is installed from its wheel on joining
    other = Watched(page.page.context.new_page())
    other.page.goto(widget_url(site_url, "zh", "review-time", {"submitted_on": "2026-09-29"}))
    root = settled(other.page)
    assert root.get_attribute("data-runtime-start") == "running"
    assert json.loads(root.get_attribute("data-result")) == cli("review", {"submitted_on": "2026-09-29"}, "zh")
    assert page.workers is not None and len(page.workers.running()) == 1
    assert [w for w in (*page.page.workers, *other.page.workers) if "calc-worker" in w.url] == []
    assert other.errors == [] and other.external() == []


@pytest.mark.parametrize("shared", [True, False], ids=["shared worker ended", "no shared workers"])
def test_a_later_calculator_page_starts_from_the_snapshot_and_matches_the_cli(browser: Any, site_url: str,
                                                                              shared: bool) -> None:
    """Once the shared worker has ended (its extended lifetime over), or in a browser without shared
    workers, a later page starts from the snapshot the first page kept."""
    workers = SharedWorkers(browser)
    context = browser.new_context()
    if not shared:
        context.add_init_script(NO_SHARED_WORKERS)
    try:
        page = Watched(context.new_page(), workers)
        first_answer_and_idle(page.page, site_url)
        assert page.page.get_attribute("[data-calculator]", "data-runtime-start") == "fresh"
        for lang, name, params, data, calculator in (
                ("en", "fee-calculator", FEES_LINK, FEES_INPUT, "fees"),
                # the holiday calendar, which the snapshot does not hold, still loads from its wheel
                ("zh", "review-time", {"submitted_on": "2026-09-29"}, {"submitted_on": "2026-09-29"}, "review")):
            page.page.goto(f"{site_url}conditions/")
            assert workers.end() == (1 if shared else 0)
            page.page.goto(widget_url(site_url, lang, name, params))
            root = settled(page.page)
            assert root.get_attribute("data-runtime-start") == "snapshot"
            assert json.loads(root.get_attribute("data-result")) == cli(calculator, data, lang)
        assert page.all_errors() == [] and page.external() == []
    finally:
        context.close()
        workers.close()


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
    workers = SharedWorkers(browser)
    context = browser.new_context()
    try:
        page = context.new_page()
        first_answer_and_idle(page, site_url)
        page.evaluate(SPOIL_SNAPSHOT, mode)
        page.goto(f"{site_url}conditions/")
        assert workers.end() == 1  # the next page starts a runtime, from the spoilt snapshot
        page.goto(widget_url(site_url, "en", "fee-calculator", FEES_LINK))
        root = settled(page)
        assert root.get_attribute("data-runtime-start") == "fallback"
        assert json.loads(root.get_attribute("data-result")) == cli("fees", FEES_INPUT, "en")
    finally:
        context.close()
        workers.close()


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
    from scripts.dev.static_server import in_background, static_server

    workers = SharedWorkers(browser)
    context = browser.new_context()
    with in_background(static_server(tmp_path / "www", port)):
        try:
            page = Watched(context.new_page(), workers)
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
            assert page.all_errors() == [] and page.external() == []
        finally:
            context.close()
            workers.close()
    # on nginx with the snippet written for /guide/, a missing page at any depth gets the site's 404
    # page, whose styles and search work there (its search base is /guide/en/, not //en/)
    from scripts.dev import hosts

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
            # a Chinese address gets the Chinese 404 page, which searches the Chinese pages
            response = page.page.goto(f"{host.url}a/b/missing/")
            assert response.status == 404 and page.page.get_attribute("html", "lang") == "zh"
            page.page.click(".md-search__input")
            page.page.fill(".md-search__input", "服务费")
            page.page.keyboard.press("End")
            page.page.wait_for_selector(".md-search-result__item", timeout=30_000)
            found = page.page.locator(".md-search-result__item > a").evaluate_all("items => items.map(a => a.href)")
            assert found and not any(link.startswith(f"{host.url}en/") for link in found), found
            assert [e for e in page.errors if "404" not in e] == [] and page.external() == []
        finally:
            context.close()
