"""The site's search in a real browser: the right page first, the reader's language only, whole phrases first,
text pasted or committed by an input method."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

import pytest

from .browser_pages import BROWSER, PREFIX, shot
from .conftest import IN_PYODIDE, Watched

if not IN_PYODIDE:
    from .built_site import SITE

pytestmark = BROWSER


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
