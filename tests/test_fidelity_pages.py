"""The built pages keep the source's words beside ours, show every reading open, and put the readings
that change an answer on the calculator pages, beside the fields and results they affect."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import IN_PYODIDE

pytestmark = [pytest.mark.site, pytest.mark.skipif(IN_PYODIDE, reason="builds and reads the site in CPython")]

if not IN_PYODIDE:
    import markdown

    from scripts.pages.examples import PAGES
    from scripts.pages.fidelity import source_words
    from scripts.pages.page_site import Site
    from scripts.policy.policy_source import compile_policy
    from scripts.policy.quotes import quotes_in

    from .test_site import LANGS, _pages, _parse, site  # noqa: F401 - `site` is the built-site fixture

POLICY_PAGES = ("conditions", "markets", "process", "fees")


def _text(path: Path) -> str:
    return re.sub(r"\s+", "", "".join(_parse(path).text))


def test_each_quote_stands_on_the_page_of_its_fact_in_both_languages(site: Path) -> None:  # noqa: F811
    document = compile_policy()
    pages = Site(document, dt.date.today()).pages
    quotes = list(quotes_in(document))
    for lang in LANGS:
        built = _pages(site, lang)
        for quote in quotes:
            owner = _owner(document, quote.where)
            page = pages[owner] if owner else "conditions.md"  # the provider block introduces the general conditions
            text = _text(built[page.removesuffix(".md") + "/index.html"])
            assert re.sub(r"\s+", "", quote.text) in text, f"{lang}: {quote.text!r} missing on {page}"


def _owner(document: Any, where: tuple) -> str | None:
    """The id of the fact that holds the quote at `where` (None for the provider block, which has none)."""
    node, owner = document, None
    for part in where:
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            owner = node["id"]
        if part == "quote":
            break
        node = node[part]
    return owner


def test_the_policy_pages_label_the_source_text_and_fold_nothing(site: Path) -> None:  # noqa: F811
    for lang, word in (("zh", "原文"), ("en", "Source text")):
        built = _pages(site, lang)
        for name in (*POLICY_PAGES, "assumptions", *PAGES.values()):
            html = built[f"{name}/index.html"].read_text(encoding="utf-8")
            assert "<details" not in html, f"{lang}/{name}: a reading or assumption is folded shut"
            if name in POLICY_PAGES:
                assert html.count(f'<p class="admonition-title">{word}') >= 3, f"{lang}/{name}"


def test_no_status_is_called_a_rule_of_law() -> None:
    kinds = {a["kind"] for a in compile_policy()["assumptions"]}
    assert kinds == {"reading", "assumption", "unknown"}
    inclusive = next(a for a in compile_policy()["assumptions"] if a["id"] == "inclusive-thresholds")
    assert inclusive["kind"] == "reading"
    assert ("民法所称的“以上”、“以下”、“以内”、“届满”，包括本数；所称的“不满”、“超过”、“以外”，不包括本数。"
            in inclusive["text"]["zh"])
    for word in ("以上", "以下", "以内", "届满", "不满", "超过", "以外"):
        assert word in inclusive["text"]["en"]
    assert "do not include" in inclusive["text"]["en"]


def test_each_calculator_page_shows_what_changes_its_answer_beside_the_fields(site: Path) -> None:  # noqa: F811
    document = compile_policy()
    for lang in LANGS:
        built = _pages(site, lang)
        for calculator, page in PAGES.items():
            html = built[f"{page}/index.html"].read_text(encoding="utf-8")
            relevant = [a for a in document["assumptions"] if a.get("affects", {}).get(calculator)]
            assert relevant, calculator
            for assumption in relevant:
                link = f'href="../assumptions/#{assumption["id"]}"'
                assert link in html, f"{lang}/{page}: no link to {assumption['id']}"
                for name in assumption["affects"][calculator]:
                    field = re.search(rf'<div class="calc-field"><label for="{calculator}-{name}".*?</div>', html, re.S)
                    if field:  # an input: the note stands under its control
                        assert link in field.group(0), f"{lang}/{page}: {assumption['id']} not beside {name}"
                    else:  # a result: named in the section under the calculator
                        assert f"<code>{name}</code>" in html, f"{lang}/{page}: {name} not named"


@pytest.mark.parametrize("quote", ["5*8 小时", "<b>粗体</b>", "[链接](http://x)", "a_b_c", "| 表格 |", "`代码`"])
def test_quoted_text_is_shown_as_written(quote: str) -> None:
    html = markdown.markdown(source_words({"quote": quote}, "zh"), extensions=["admonition", "tables"])
    for tag in ("<b>", "<em>", "<strong>", "<a ", "<code>", "<table"):
        assert tag not in html, html
    shown = re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert quote in shown
