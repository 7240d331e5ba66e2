"""One visit on a real host, as a reader makes it: Debian's nginx (gzip_static and brotli_static) and
Caddy serving the built site with the generated configurations, at the root and under a sub-path; one
browser context through the three calculator pages (cold, the second and third page, then a reload),
in both languages, and a later visit once the shared worker has ended. Each answer equals the CLI's,
no console error, every clause link leads to the clause on the host the page came from, and the
host's access log shows what went over the wire per phase: the runtime, its standard library and each
wheel once per visit, never a range of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import IN_PYODIDE, SharedWorkers, Watched

pytestmark = [pytest.mark.browser, pytest.mark.skipif(IN_PYODIDE, reason="drives Chromium and web servers")]

if not IN_PYODIDE:
    from scripts.dev import hosts

    from .browser_pages import ELIGIBLE, FEES_INPUT, FEES_LINK, as_json_input, cli, settled, widget_url

REVIEW = {"submitted_on": "2026-09-29"}


def wait_idle(page: Any) -> None:
    """Until the page has done its idle-time work (the worker's snapshot for later pages)."""
    for _ in range(240):
        if page.evaluate("performance.getEntriesByName('calc:idle').length > 0"):
            return
        page.wait_for_timeout(250)
    raise AssertionError("the page never went idle")


def runtime_files(site: Path) -> dict[str, Path]:
    """Each file of the runtime and each wheel, by its path in the site."""
    files = [p for p in site.glob("pyodide/*/*") if p.suffix in (".wasm", ".zip", ".json")]
    files += list(site.glob("wheels/*/*.whl"))
    return {p.relative_to(site).as_posix(): p for p in files}


def answer(page: Any, host: Any, name: str, lang: str, expected: dict[str, Any]) -> list[str]:
    """Check the page's answer against the CLI's and its clause links; returns those links."""
    root = settled(page)
    assert json.loads(root.get_attribute("data-result")) == expected
    links = page.locator(".calc-result a, [data-calculator] a[href*='#']").evaluate_all(
        "links => links.map(a => a.href)")
    clause_links = [link for link in links if "/conditions/#" in link]
    if name == "eligibility":
        assert clause_links, "no clause link in the result"
    for link in clause_links:  # to the host the page came from, at its sub-path, in the page's language
        assert link.startswith(f"{host.url}{'en/' if lang == 'en' else ''}conditions/#"), link
    return clause_links


@pytest.mark.parametrize("kind, base", [("nginx", "/"), ("nginx", "/guide/"), ("caddy", "/"), ("caddy", "/guide/")],
                         ids=["nginx at /", "nginx at /guide/", "caddy at /", "caddy at /guide/"])
def test_one_visit_through_the_three_calculators_on_a_real_host(browser: Any, kind: str, base: str) -> None:
    from .built_site import built_site

    problem = hosts.missing()
    if problem:
        pytest.fail(problem, pytrace=False)
    site = built_site()
    server = hosts.nginx(site, base) if kind == "nginx" else hosts.caddy(site, base)
    expected = {"eligibility": cli("eligibility", as_json_input(ELIGIBLE), "zh"),
                "fees": cli("fees", FEES_INPUT, "en"), "review": cli("review", REVIEW, "zh")}
    with server as host:
        workers = SharedWorkers(browser)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        try:
            watched = Watched(context.new_page(), workers)
            page = watched.page
            phases: dict[str, list[Any]] = {}
            page.goto(widget_url(host.url, "zh", "self-check", ELIGIBLE))
            clause_links = answer(page, host, "eligibility", "zh", expected["eligibility"])
            wait_idle(page)  # the snapshot's second runtime is made here, from the HTTP cache
            phases["cold"] = host.since()
            page.goto(widget_url(host.url, "en", "fee-calculator", FEES_LINK))
            answer(page, host, "fees", "en", expected["fees"])
            # the site's shared worker: the first page's runtime answers, still running
            assert page.get_attribute("[data-calculator]", "data-runtime-start") == "running"
            wait_idle(page)
            phases["second"] = host.since()
            page.goto(widget_url(host.url, "zh", "review-time", REVIEW))
            answer(page, host, "review", "zh", expected["review"])
            wait_idle(page)
            phases["third"] = host.since()
            page.reload()
            answer(page, host, "review", "zh", expected["review"])
            phases["reload"] = host.since()
            # a later visit, once the shared worker has ended: a runtime starts from the snapshot
            page.goto(f"{host.url}conditions/")
            assert workers.end() == 1
            page.goto(widget_url(host.url, "en", "fee-calculator", FEES_LINK))
            answer(page, host, "fees", "en", expected["fees"])
            assert page.get_attribute("[data-calculator]", "data-runtime-start") == "snapshot"
            phases["later"] = host.since()
            for link in sorted(set(clause_links))[:3]:  # each leads to its clause on this host
                page.goto(link)
                assert page.locator(f"#{link.split('#')[1]}").count() == 1, link
            assert watched.all_errors() == [], "console errors"
            assert watched.external() == [], "requests left 127.0.0.1"
        finally:
            context.close()
            workers.close()

    wire = {phase: sum(s.wire for s in sent) for phase, sent in phases.items()}
    print(f"\n{kind} at {base}: bytes on the wire per phase {wire}")
    everything = [s for sent in phases.values() for s in sent]
    assert [s for s in everything if s.range] == [], "a range request (a probe of the runtime)"
    assert all(s.status in (200, 304) for s in everything), [s for s in everything if s.status not in (200, 304)]
    runtime = runtime_files(site)
    for path, file in runtime.items():
        bodies = [s for s in everything if urlsplit(s.path).path == base + path and s.body > 0]
        compressed = [file.stat().st_size] + [Path(f"{file}.{e}").stat().st_size for e in ("br", "gz")
                                              if Path(f"{file}.{e}").exists()]
        assert len(bodies) <= 1, f"{path} sent {len(bodies)} times in one visit"
        assert all(s.method == "GET" and s.body in compressed for s in bodies), (path, bodies)
    wasm = next(p for p in runtime if p.endswith("pyodide.asm.wasm"))
    # the runtime, its standard library and the calculators' wheel on the first page, whole, once
    cold = {urlsplit(s.path).path for s in phases["cold"] if s.body > 0}
    assert base + wasm in cold
    assert any(p.endswith(".zip") and base + p in cold for p in runtime)
    # later pages and the reload take them from the HTTP cache: no byte of them again
    for phase in ("second", "third", "reload", "later"):
        again = [s for s in phases[phase] if s.body > 0 and urlsplit(s.path).path.removeprefix(base) in runtime
                 and urlsplit(s.path).path in cold]
        assert again == [], (phase, again)


def test_a_host_without_the_type_of_the_runtime_is_named_within_seconds(browser: Any) -> None:
    """nginx whose mime.types does not know .wasm (as before 1.21): the wasm file goes out as
    text/plain, and the page says so at once instead of waiting for a runtime that cannot start."""
    from .built_site import built_site

    problem = hosts.missing()
    if problem:
        pytest.fail(problem, pytrace=False)
    with hosts.nginx(built_site(), "/guide/", untyped=("wasm",)) as host:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(widget_url(host.url, "en", "review-time", REVIEW))
            page.wait_for_selector("[data-calculator][data-state=error]", timeout=20_000)
            says = page.locator(".calc-unavailable .calc-detail").inner_text()
            assert 'pyodide.asm.wasm is served as "text/plain"; it must be application/wasm' in says
            assert "python -m calculators review" in page.locator(".calc-unavailable").inner_text()
        finally:
            context.close()
