"""Policy texts are plain text on the pages: no policy text can create an element or an attribute,
in any Markdown context the generated fragments put it in, and links go to http, https or the site."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from .conftest import IN_PYODIDE

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="page generation runs at build time, in CPython")

if not IN_PYODIDE:
    import markdown
    import yaml

    from scripts.pages.gen_pages import generate
    from scripts.pages.page_md import admonition_title
    from scripts.pages.page_text import link_target, md_format, text
    from scripts.policy.policy_load import POLICY_DIR, SCHEMA_FILE
    from scripts.policy.policy_source import compile_policy
    from scripts.policy.quotes import quotes_in

PAYLOADS = [
    "<script>alert(1)</script>", "<iframe src=//evil.example>", "<img src=x onerror=alert(1)>",
    "](javascript:alert(1))", "[x](javascript:alert(1))", "[x]: javascript:alert(1)", "<http://evil.example>",
    "{: onclick=alert(1) }", "{ #evil .cls }", '--8<-- "zh/meta.md"', "*[HTML]: x", "[^1]", "&lt;b&gt;",
    "&#60;script&#62;", "<!-- x -->", "`code`", "**bold**", "_em_", "\n\n    indented", "\n!!! note\n\n    x",
    "\n# heading", "\n1. item", "| a | b |", "\\", "<", ">", "&", '"', "'", "\x1b[31m", "\u202e", "\t",
]
ALPHABET = st.sampled_from(list("<>&\"'`*_{}[]()#+-.!|~:=/\\;^%@ \n\tax1中。：") + ["\u3000", "\u200b", "\x00"])
POLICY_TEXT = st.lists(st.sampled_from(PAYLOADS) | st.text(ALPHABET, max_size=8) | st.text(max_size=4),
                       min_size=1, max_size=6).map("".join)

# Every Markdown context a policy text lands in, as the page generation writes it.
CONTEXTS = {
    "paragraph": "{t}\n",
    "numbered item": "1. <span class=\"anchor\" id=\"x\"></span>{t}\n",
    "bullet": "- {t}\n",
    "table cell": "| a | b |\n|---|---|\n| {t} | x |\n",
    "heading with an anchor": "### {t} {{ #the-id }}\n",
    "link text": "[{t}](conditions.md#x)\n",
    "emphasis": "*{t}*（中文原文 / Chinese wording）\n",
    "bold": "**{t}**。\n",
    "admonition": '!!! warning "Assumption: {q}"\n\n    {t} [more](assumptions.md#x)\n',
    "folded admonition": '??? note "解读：{q}"\n\n    {t}\n',
}


def _markdown(source: str, snippets: Path) -> str:
    """Render as the site does (mkdocs.yml's extensions), snippets included."""
    return markdown.markdown(source, extensions=[
        "abbr", "admonition", "attr_list", "md_in_html", "tables", "footnotes", "toc", "pymdownx.details",
        "pymdownx.superfences", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.snippets",
    ], extension_configs={"toc": {"permalink": True}, "pymdownx.snippets": {"base_path": [str(snippets)],
                                                                             "check_paths": True}})


class _Shape(HTMLParser):
    """The elements and attributes of a page, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, tuple(sorted(attrs))))

    def handle_data(self, data: str) -> None:
        self.text += data

    def handle_comment(self, data: str) -> None:
        self.elements.append(("<!--", ()))


def _shape(page: str) -> _Shape:
    parser = _Shape()
    parser.feed(page)
    parser.close()
    return parser


def _shown(value: str) -> str:
    """What a reader must see of a policy text: its characters, whitespace as single spaces."""
    return re.sub(r"\s+", " ", "".join(c for c in value if c.isprintable() or c.isspace())).strip()


@given(value=POLICY_TEXT, context=st.sampled_from(sorted(CONTEXTS)))
@settings(max_examples=400, deadline=None)
def test_no_policy_text_creates_an_element_or_attribute(value: str, context: str, tmp_path_factory: Any) -> None:
    assume(_shown(value))  # the schema wants a text in each language; whitespace alone says nothing
    snippets = tmp_path_factory.getbasetemp() / "snippets"
    (snippets / "zh").mkdir(parents=True, exist_ok=True)
    (snippets / "zh" / "meta.md").write_text("<script>included</script>\n", encoding="utf-8")
    template = CONTEXTS[context]
    expected = _shape(_markdown(template.format(t="word", q="word"), snippets))
    page = _markdown(template.format(t=text(value), q=admonition_title(text(value))), snippets)
    got = _shape(page)
    assert got.elements == expected.elements, page
    seen = re.sub(r"\s+", " ", got.text)
    assert _shown(value) in seen or _shown(value.replace('"', "'")) in seen, page


@pytest.mark.parametrize("template, values", [
    ("The fee is {rate} of each order <b>", {"rate": "**10%**"}),
    ("{years} year(s) *free*", {"years": "**1**"}),
])
def test_placeholders_keep_their_value_and_the_text_around_them_is_escaped(template: str, values: dict[str, str],
                                                                           tmp_path: Path) -> None:
    page = _markdown(md_format(template, **values), tmp_path)
    assert _shape(page).elements == [("p", ()), ("strong", ())]
    plain = template.format(**{key: value.strip("*") for key, value in values.items()})
    assert html.unescape(re.sub(r"<[^>]+>", "", page)) == plain


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "java\tscript:x",
                                 "data:text/html,<script>x</script>", "vbscript:x", "file:///etc/passwd"])
def test_links_to_anything_but_http_https_or_the_site_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="only http, https or relative links"):
        link_target(url)


def test_a_link_target_cannot_end_the_link_early() -> None:
    assert link_target("https://example.com/a (b)\")<x>") == "https://example.com/a%20%28b%29%22%29%3Cx%3E"
    assert link_target("http://uc.console.ksyun.com/pro/csp/#/p/market/info") == \
        "http://uc.console.ksyun.com/pro/csp/#/p/market/info"


def _hostile_policy(tmp_path: Path) -> Path:
    """A copy of policy/ whose every text carries hostile HTML and Markdown (and still validates)."""
    document = compile_policy()
    payload = " <script>alert(1)</script><iframe src=//evil.example></iframe>](javascript:alert(1)) *[x]: y"

    def poison(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: poison(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [poison(v, key) for v in value]
        if isinstance(value, str) and key in ("zh", "en"):
            return value + payload
        if isinstance(value, str) and key in ("section", "quote"):
            return value + payload
        return value

    scratch = tmp_path / "policy"
    scratch.mkdir()
    poisoned = poison(document)
    for name, part in poisoned.items():
        (scratch / f"{name}.yaml").write_text(yaml.safe_dump(part, allow_unicode=True), encoding="utf-8")
    shutil.copyfile(POLICY_DIR / SCHEMA_FILE, scratch / SCHEMA_FILE)
    # the quotes are hostile too, so the source text they must stand in carries them as well
    quotes = "\n".join(q.text for q in quotes_in(poisoned))
    for kept in {source["text"]["file"] for source in document["sources"]}:
        (scratch / kept).parent.mkdir(parents=True, exist_ok=True)
        (scratch / kept).write_text((POLICY_DIR / kept).read_text(encoding="utf-8") + "\n" + quotes, encoding="utf-8")
    return scratch


def test_hostile_policy_texts_reach_no_page_as_html(tmp_path: Path) -> None:
    document = compile_policy(_hostile_policy(tmp_path))
    out = tmp_path / "snippets"
    written = generate(document, out=out, today=dt.date(2026, 11, 26))
    pages = {path.name: _markdown(path.read_text(encoding="utf-8"), out / path.parent.name) for path in written
             if not path.name.startswith(("form-", "example-"))}
    assert len(pages) > 15
    escaped = 0
    for name, page in pages.items():
        shape = _shape(page)
        assert not {tag for tag, _ in shape.elements} & {"script", "iframe", "img", "object", "embed"}, name
        assert "javascript:" not in " ".join(str(value) for _, attrs in shape.elements for _, value in attrs), name
        escaped += shape.text.count("<script>alert(1)</script>")
    assert escaped > 50  # shown as text, many times over
