"""The built site: strict build, anchors for every policy id in both languages, figures that match
the policy, the same pages in both languages, nothing loaded from another host, published data."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from .conftest import IN_PYODIDE

pytestmark = [pytest.mark.site, pytest.mark.skipif(IN_PYODIDE, reason="builds and reads the site in CPython")]

if not IN_PYODIDE:
    import jsonschema

    from calculators import Policy
    from calculators.policy import value_at
    from scripts.gen_pages import Site
    from scripts.policy_source import compile_policy

    from .site_build import ROOT, build, scratch_project

LANGS = {"zh": "", "en": "en/"}


class Page(HTMLParser):
    """What the checks need from one HTML page: ids, resource URLs, links, and visible prose."""

    RESOURCE_ATTRS = {("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"), ("embed", "src"),
                      ("object", "data"), ("audio", "src"), ("video", "src"), ("track", "src"), ("input", "src")}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.resources: list[str] = []
        self.links: list[str] = []
        self.classes: set[str] = set()
        self.text: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        self.classes.update((values.get("class") or "").split())
        for name, value in attrs:
            if value and (tag, name) in self.RESOURCE_ATTRS:
                self.resources.append(value)
        if tag == "link" and values.get("href"):
            rel = (values.get("rel") or "").lower()
            (self.links if rel in ("", "alternate", "canonical") else self.resources).append(values["href"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag in ("pre", "code", "script", "style", "svg") or "calculator" in (values.get("class") or "").split():
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("pre", "code", "script", "style", "svg") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


@pytest.fixture(scope="session")
def site() -> Path:
    """The site built strictly into site/ (the strict build is itself a test)."""
    result = build()
    assert result.returncode == 0, result.stdout + result.stderr
    return ROOT / "site"


def _pages(site: Path, lang: str) -> dict[str, Path]:
    base = site / LANGS[lang] if LANGS[lang] else site
    pages = {}
    for path in base.rglob("index.html"):
        relative = path.relative_to(base).as_posix()
        if lang == "zh" and relative.split("/")[0] in ("en", "assets", "search", "data"):
            continue
        pages[relative] = path
    return pages


def _parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def test_both_languages_have_the_same_pages_and_ids(site: Path) -> None:
    zh, en = _pages(site, "zh"), _pages(site, "en")
    assert sorted(zh) == sorted(en)
    assert len(zh) >= 12
    for name in zh:
        assert _parse(zh[name]).ids == _parse(en[name]).ids, name


def test_every_policy_id_has_its_anchor_in_both_languages(site: Path) -> None:
    document = compile_policy()
    anchors = Site(document, __import__("datetime").date.today()).pages
    ids = {value for value in _all_ids(document)}
    assert ids == set(anchors), "every id in the policy must have a page"
    for lang in LANGS:
        pages = _pages(site, lang)
        for fact_id, page in anchors.items():
            html = pages[page.removesuffix(".md") + "/index.html"]
            assert fact_id in _parse(html).ids, f"{lang}: #{fact_id} missing on {page}"


def _all_ids(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["id"]] if isinstance(value.get("id"), str) else []
        return found + [i for item in value.values() for i in _all_ids(item)]
    if isinstance(value, list):
        return [i for item in value for i in _all_ids(item)]
    return []


def test_calculator_source_links_point_at_existing_anchors(site: Path) -> None:
    from calculators import check_eligibility

    from .test_eligibility import BASE

    for lang in LANGS:
        result = check_eligibility(BASE, lang=lang)
        for criterion in result["provider"]["criteria"] + [c for m in result["categories"].values()
                                                           for c in m["criteria"]]:
            path, anchor = criterion["source"].lstrip("/").split("#")
            assert anchor in _parse(site / path / "index.html").ids, criterion["source"]


def _figure_rules(policy: Policy, day: Any) -> list[tuple[str, re.Pattern[str], set[str]]]:
    """(what, pattern, allowed values): every way a page states a policy figure, and what it may say."""
    def at(dated: dict[str, Any]) -> Any:
        return value_at(dated, day)

    rate = Decimal(at(policy.fees["platform_fee"]["rate"]))
    years = {str(at(c["threshold"])) for c in policy.conditions if c["kind"] == "min_years"}
    years.add(str(at(policy.fees["waiver"]["years"])))
    coverage = at(policy.condition("support-coverage")["threshold"])
    team = {str(at(c["threshold"])) for c in policy.conditions if c["kind"] == "min_count"}
    low, high = at(policy.review["min_working_days"]), at(policy.review["max_working_days"])
    return [
        ("rate", re.compile(r"(\d+(?:\.\d+)?)\s*%"), {f"{(rate * 100).normalize():f}"}),
        ("team (zh)", re.compile(r"(\d+)\s*人"), team),
        ("team (en)", re.compile(r"(\d+)\s+people"), team),
        ("years (zh)", re.compile(r"(?<![\d-])(\d{1,2})\s*年"), years),
        ("years (en)", re.compile(r"(?<![\d-])(\d{1,2})\s*(?:year|-year)"), years),
        ("support (days×hours)", re.compile(r"(\d+)\s*[*×]\s*(\d+)"), {f"{coverage['days']}/{coverage['hours']}"}),
        ("support days", re.compile(r"(?:每周\s*(\d+)\s*天|(\d+) days a week)"), {str(coverage["days"])}),
        ("support hours", re.compile(r"(?:每天\s*(\d+)\s*小时|(\d+) hours each day)"), {str(coverage["hours"])}),
        ("review days", re.compile(r"(\d+)\s*[–-]\s*(\d+)\s*(?:个工作日|working days)"), {f"{low}/{high}"}),
    ]


def figures_on(site: Path, policy: Policy, day: Any) -> dict[str, set[str]]:
    """Every figure stated in the prose of the built pages, by rule."""
    found: dict[str, set[str]] = {}
    for lang in LANGS:
        for path in _pages(site, lang).values():
            text = " ".join(_parse(path).text)
            for what, pattern, _ in _figure_rules(policy, day):
                for match in pattern.finditer(text):
                    found.setdefault(what, set()).add("/".join(g for g in match.groups() if g))
    return found


def test_every_figure_on_the_pages_is_the_policys(site: Path) -> None:
    import datetime as dt

    policy = Policy(compile_policy())
    today = dt.date.today()
    found = figures_on(site, policy, today)
    for what, _, allowed in _figure_rules(policy, today):
        assert found.get(what), f"no page states the {what}: the check would be vacuous"
        assert found[what] <= allowed, f"{what}: pages state {found[what] - allowed}, policy holds {allowed}"


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    for path in site.rglob("*.html"):
        page = _parse(path)
        for url in page.resources:
            assert not urlparse(url).netloc, f"{path.relative_to(site)} loads {url}"
        assert "mermaid" not in page.classes, "mermaid diagrams make the theme load a script from a CDN"
    for path in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", path.read_text(encoding="utf-8")):
            assert not urlparse(url).netloc, f"{path.relative_to(site)} loads {url}"
        assert "@import url(http" not in path.read_text(encoding="utf-8")


def test_external_links_are_only_the_policy_sources_and_well_formed(site: Path) -> None:
    sources = {s["url"] for s in compile_policy()["sources"]}
    seen = set()
    for path in site.rglob("*.html"):
        for url in _parse(path).links:
            parsed = urlparse(url)
            if parsed.scheme in ("http", "https") and parsed.hostname not in ("127.0.0.1",):
                seen.add(url)
    theme_links = {url for url in seen if urlparse(url).hostname == "squidfunk.github.io"}  # "Made with Material"
    assert seen - theme_links <= sources
    for url in sources:
        parsed = urlparse(url)
        assert parsed.scheme in ("http", "https") and parsed.hostname and "." in parsed.hostname, url
    assert sources <= seen, "every source page is linked from the site"


def test_the_published_policy_validates_against_the_published_schema(site: Path) -> None:
    document = json.loads((site / "data" / "policy.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "data" / "policy.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document == compile_policy()


def test_chinese_search_index_is_segmented(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "zh" in index["config"]["lang"]
    docs = index["docs"]
    for word, page in (("保证金", "fees/"), ("营业执照", "conditions/"), ("工作日", "process/")):
        hits = {doc["location"].split("#")[0] for doc in docs if re.search(rf"(^|\u200b|\s){word}(\u200b|\s|$)",
                                                                             doc["text"] + " " + doc["title"])}
        assert page in hits, f"{word}: {sorted(hits)[:5]}"


@pytest.mark.slow
@pytest.mark.parametrize(("page", "addition", "named"), [
    pytest.param("process.md", "[x](conditions.md#no-such-condition)", "no-such-condition", id="a broken anchor"),
    pytest.param("fees.md", '--8<-- "zh/no-such-fragment.md"', "no-such-fragment", id="a missing policy fragment"),
])
def test_the_strict_build_fails_on(page: str, addition: str, named: str, tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "project")
    path = project / "docs" / page
    path.write_text(path.read_text(encoding="utf-8") + f"\n{addition}\n", encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert named in result.stdout + result.stderr


@pytest.mark.slow
def test_changing_the_rate_and_team_threshold_in_policy_changes_the_pages(tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "project")
    criteria = project / "policy" / "criteria.yaml"
    criteria.write_text(criteria.read_text(encoding="utf-8").replace('threshold: {"2026-11-26": 15}',
                                                                     'threshold: {"2026-11-26": 12}'), encoding="utf-8")
    fees = project / "policy" / "fees.yaml"
    fees.write_text(fees.read_text(encoding="utf-8").replace('rate: {"2026-11-26": "0.10"}',
                                                             'rate: {"2026-11-26": "0.08"}'), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    import datetime as dt

    from scripts.policy_source import compile_policy as compile_from

    policy = Policy(compile_from(project / "policy"))
    found = figures_on(project / "site", policy, dt.date.today())
    assert found["rate"] == {"8"} and found["team (zh)"] == {"12"} and found["team (en)"] == {"12"}
    fees_page = " ".join(_parse(project / "site" / "en" / "fees" / "index.html").text)
    assert "8%" in fees_page and "10%" not in fees_page


@pytest.mark.slow
def test_a_broken_policy_edit_fails_the_site_build_naming_file_and_line(tmp_path: Path) -> None:
    """No site with a wrong figure: the build stops and says where the policy is broken."""
    project = scratch_project(tmp_path / "project")
    fees = project / "policy" / "fees.yaml"
    text = fees.read_text(encoding="utf-8")
    fees.write_text(text.replace('rate: {"2026-11-26": "0.10"}', 'rate: {"2026-11-26": "ten percent"}'),
                    encoding="utf-8")
    line = text[: text.index('rate: {"2026-11-26"')].count("\n") + 1
    result = build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"policy/fees.yaml:{line}: fees.platform_fee.rate.2026-11-26" in output
    assert not (project / "site" / "fees" / "index.html").exists()


def test_the_security_page_states_the_csp_that_is_served(site: Path) -> None:
    from scripts.serve import CSP

    for lang in LANGS:
        html = (site / LANGS[lang] / "security" / "index.html").read_text(encoding="utf-8")
        code = re.search(r"<code>(default-src.*?)</code>", html, re.S)
        assert code, f"{lang}: no CSP on the security page"
        shown = " ".join(Page(code.group(1)).text).split()
        assert shown == CSP.split(), lang
