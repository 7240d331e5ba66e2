"""The built site: strict build, anchors for every policy id in both languages, figures that match
the policy, the same pages in both languages, nothing loaded from another host, published data."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from scripts.paths import ROOT

from .conftest import FROZEN_POLICY_DIR, IN_PYODIDE, live_policy

pytestmark = [pytest.mark.site, pytest.mark.skipif(IN_PYODIDE, reason="builds and reads the site in CPython")]

if not IN_PYODIDE:
    import jsonschema

    from calculators import Policy
    from calculators.policy import plain, value_at
    from scripts.pages.page_site import Site
    from scripts.policy.policy_source import compile_policy

    from .built_site import SITE, build, scratch_project

LANGS = {"zh": "", "en": "en/"}


class Page(HTMLParser):
    """What the checks need from one HTML page: ids, resource URLs, links, and visible prose."""

    RESOURCE_ATTRS = {("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"), ("embed", "src"),
                      ("object", "data"), ("audio", "src"), ("video", "src"), ("track", "src"), ("input", "src")}

    SKIPPED = ("pre", "code", "script", "style")  # code and markup, not prose
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.resources: list[str] = []
        self.links: list[str] = []
        self.classes: set[str] = set()
        self.text: list[str] = []
        self._skip = 0
        self._open: list[str] = []  # the elements open where a skipped one began
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
        if tag in self.SKIPPED:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


@pytest.fixture(scope="session")
def site() -> Path:
    """The site built strictly into build/test-site/ (the strict build is itself a test)."""
    result = build()
    assert result.returncode == 0, result.stdout + result.stderr
    return SITE


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
    anchors = Site(document, dt.date.today()).pages
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
    from calculators.links import site_url

    from .test_eligibility import BASE

    for lang in LANGS:
        result = check_eligibility(BASE, lang=lang, policy=live_policy())
        for criterion in result["provider"]["criteria"] + [c for m in result["categories"].values()
                                                           for c in m["criteria"]]:
            assert criterion["source"].startswith(site_url()), criterion["source"]
            path, anchor = criterion["source"].removeprefix(site_url()).split("#")
            assert anchor in _parse(site / path / "index.html").ids, criterion["source"]


NUM_ZH = r"[0-9]+|[零一二两三四五六七八九十]+"
EN_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
NUM_EN = r"\b(?:[0-9]+|" + "|".join(EN_WORDS) + r")"


def _number(text: str) -> str:
    """A figure as digits, whether written 15, 十五, 两 or "two"."""
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        return text
    if text in EN_WORDS:
        return str(EN_WORDS.index(text))
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    if "十" in text:
        tens, _, units = text.partition("十")
        return str((digits[tens] if tens else 1) * 10 + (digits[units] if units else 0))
    return str(digits[text])


def _values(dated: dict[str, Any]) -> list[Any]:
    """Every value a dated figure takes (any date: a page states today's and the scheduled ones)."""
    return [plain(value) for value in dated.values() if plain(value) is not None]


def _figure_rules(policy: Policy) -> list[tuple[str, re.Pattern[str], set[str]]]:
    """(what, pattern, allowed values): every way a page states a policy figure, in digits or in words,
    and what it may say."""
    fees = policy.fees
    rates = {f"{(Decimal(rate) * 100).normalize():f}" for rate in _values(fees["platform_fee"]["rate"])}
    years = {str(v) for c in policy.conditions if c["kind"] == "min_years" for v in _values(c["threshold"])}
    years |= {str(v) for v in _values(fees["waiver"]["years"])}
    coverage = _values(policy.condition("support-coverage")["threshold"])
    team = {str(v) for c in policy.conditions if c["kind"] == "min_count" for v in _values(c["threshold"])}
    review = policy.review
    days = {f"{value_at(review['min_working_days'], dt.date.fromisoformat(d))}/"
            f"{value_at(review['max_working_days'], dt.date.fromisoformat(d))}"
            for d in {*review["min_working_days"], *review["max_working_days"]}}
    modes = {"ROUND_HALF_UP": ("四舍五入", "rounded half up"),
             "ROUND_HALF_EVEN": ("四舍六入五成双", "rounded half to even"),
             "ROUND_DOWN": ("舍去", "rounded down"), "ROUND_UP": ("进位", "rounded up")}
    all_modes = "|".join(word for pair in modes.values() for word in pair)
    return [
        ("rate", re.compile(r"(\d+(?:\.\d+)?)\s*%"), rates),
        ("team (zh)", re.compile(rf"({NUM_ZH})\s*人"), team),
        ("team (en)", re.compile(rf"({NUM_EN})\s+people"), team),
        ("years (zh)", re.compile(rf"(?<![\d-])({NUM_ZH})\s*个?年"), years),
        ("years (en)", re.compile(rf"(?<![\d-])({NUM_EN})[\s-]*years?\b"), years),
        ("support (days×hours)", re.compile(r"(\d+)\s*[*×]\s*(\d+)"), {f"{c['days']}/{c['hours']}" for c in coverage}),
        ("support days", re.compile(rf"(?:每周\s*({NUM_ZH})\s*天|({NUM_EN}) days a week)"),
         {str(c["days"]) for c in coverage}),
        ("support hours", re.compile(rf"(?:每天\s*({NUM_ZH})\s*小时|({NUM_EN}) hours each day)"),
         {str(c["hours"]) for c in coverage}),
        ("review days", re.compile(r"(\d+)\s*[–-]\s*(\d+)\s*(?:个工作日|working days)"), days),
        ("markets (count)", re.compile(rf"({NUM_ZH})\s*个(?:类目)?市场|({NUM_EN})\s+(?:category\s+)?markets\b"),
         {str(len(policy.markets))}),
        # "九项入驻条件" counts conditions (figure_problems reads those), not charges
        ("charges (count)", re.compile(rf"({NUM_ZH})\s*项(?![^。；，\d]{{0,6}}条件)|({NUM_EN})\s+charges\b"),
         {str(len(fees["charges"]))}),
        ("provider conditions (count)", re.compile(rf"({NUM_ZH})\s*条基本条件|({NUM_EN})\s+general conditions"),
         {str(len(policy.provider["conditions"]))}),
        ("rounding unit", re.compile(r"(?:到|to CNY)\s*(0\.[0-9]+)\s*元?"), {fees["rounding"]["quantum"]}),
        ("rounding mode", re.compile(rf"({all_modes})"), set(modes[fees["rounding"]["mode"]])),
    ]


def figures_on(site: Path, policy: Policy) -> dict[str, set[str]]:
    """Every figure stated in the prose of the built pages (calculator pages whole), by rule. The
    changelog is history: its entries keep the figures of their day."""
    found: dict[str, set[str]] = {}
    for lang in LANGS:
        for name, path in _pages(site, lang).items():
            if name.startswith("changelog/"):
                continue
            text = " ".join(_parse(path).text)
            for what, pattern, _ in _figure_rules(policy):
                for match in pattern.finditer(text):
                    groups = [g for g in match.groups() if g]
                    shown = "/".join(groups if what.startswith("rounding") else map(_number, groups))
                    found.setdefault(what, set()).add(shown)
    return found


def _pages_stating(site: Path, policy: Policy, what: str, values: set[str]) -> list[str]:
    """The built pages (as docs/ names them) whose prose states one of `values` for the rule `what`."""
    named = []
    for lang in LANGS:
        for name, path in _pages(site, lang).items():
            if name.startswith("changelog/"):
                continue
            text = " ".join(_parse(path).text)
            for rule, pattern, _ in _figure_rules(policy):
                if rule == what and any(_shown_match(rule, m) in values for m in pattern.finditer(text)):
                    page = name.removesuffix("index.html").strip("/") or "index"
                    named.append(f"docs/{page}{'' if lang == 'zh' else '.en'}.md")
    return named


def _shown_match(what: str, match: re.Match[str]) -> str:
    groups = [g for g in match.groups() if g]
    return "/".join(groups if what.startswith("rounding") else map(_number, groups))


def test_every_figure_on_the_pages_is_the_policys(site: Path) -> None:
    policy = Policy(compile_policy())
    found = figures_on(site, policy)
    for what, _, allowed in _figure_rules(policy):
        assert found.get(what), f"no page states the {what}: the check would be vacuous"
        wrong = found[what] - allowed
        assert not wrong, (f"{what}: {', '.join(_pages_stating(site, policy, what, wrong))} state {sorted(wrong)}, "
                           f"the policy holds {sorted(allowed)}; each line is named by "
                           "test_hand_written_figures_are_the_policys where a page states it in its own words")


# --- the hand-written pages, line by line ---------------------------------------------------------------

DOCS = ROOT / "docs" if not IN_PYODIDE else Path()
SENTENCE_END = re.compile(r"(?<=[。；！？])|(?<=[.;!?])\s")
COUNT_ZH = re.compile(rf"(?<![每第])({NUM_ZH})\s*(?:项|条|个)[^。；，\d]{{0,6}}?条件")
COUNT_EN = re.compile(rf"({NUM_EN})\s+(?:[a-z-]+\s+){{0,2}}?conditions\b", re.I)


def hand_written_lines(docs: Path) -> list[tuple[str, int, str, str]]:
    """(page, line number, language, prose) of every hand-written line of docs/: code, included fragments
    and {{ name }} figures (the policy's own) left out; the changelog is history."""
    lines = []
    for path in sorted(docs.glob("*.md")):
        if path.name.startswith("changelog"):
            continue
        lang = "en" if path.name.endswith(".en.md") else "zh"
        fenced = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
                continue
            if fenced or line.lstrip().startswith("--8<--"):
                continue
            prose = re.sub(r"\{\{.*?\}\}|`[^`]*`|\]\([^)]*\)|\{[:#][^}]*\}", " ", line)
            lines.append((f"docs/{path.name}", number, lang, prose))
    return lines


def _scheduled(policy: Policy) -> dict[str, set[str]]:
    """Per figure rule, the values a page may not state by themselves: each held only by figures the policy
    schedules to change (a value also held by a figure that stays, such as a licence age of 1 year beside
    a free year that ends, may be about that one)."""
    fees = policy.fees
    rate = lambda v: f"{(Decimal(v) * 100).normalize():f}"  # noqa: E731
    plain = str
    both = lambda v: f"{v['days']}/{v['hours']}"  # noqa: E731
    counts = [c["threshold"] for c in policy.conditions if c["kind"] == "min_count"]
    years = [c["threshold"] for c in policy.conditions if c["kind"] == "min_years"] + [fees["waiver"]["years"]]
    rules = {"rate": ([fees["platform_fee"]["rate"]], rate), "team (zh)": (counts, plain),
             "team (en)": (counts, plain), "years (zh)": (years, plain), "years (en)": (years, plain),
             "support (days×hours)": ([c["threshold"] for c in policy.conditions if c["kind"] == "coverage"], both)}
    flagged = {}
    for what, (mappings, shown) in rules.items():
        changing = {shown(v) for m in mappings if len({json.dumps(x) for x in m.values()}) > 1
                    for v in m.values() if v is not None}
        staying = {shown(v) for m in mappings if len({json.dumps(x) for x in m.values()}) == 1
                   for v in m.values() if v is not None}
        if changing - staying:
            flagged[what] = changing - staying
    review = policy.review
    if any(len(set(m.values())) > 1 for m in (review["min_working_days"], review["max_working_days"])):
        flagged["review days"] = {f"{value_at(review['min_working_days'], dt.date.fromisoformat(d))}/"
                                  f"{value_at(review['max_working_days'], dt.date.fromisoformat(d))}"
                                  for d in {*review["min_working_days"], *review["max_working_days"]}}
    return flagged


def _counts(policy: Policy) -> dict[str, tuple[str, str, set[int]]]:
    """For the provider and each market: its names (zh, en) and the counts a sentence may give of its
    conditions (a market's: all, or its own beyond the provider's)."""
    general = set(policy.provider["conditions"])
    counts = {"provider": (policy.provider["name"]["zh"], policy.provider["name"]["en"], {len(general)})}
    counts |= {m["id"]: (m["name"]["zh"], m["name"]["en"], {len(m["conditions"]), len(set(m["conditions"]) - general)})
               for m in policy.markets}
    return counts


def _named(text: str, lang: str, counts: dict[str, tuple[str, str, set[int]]]) -> list[str]:
    """Who a sentence or heading names: the provider or markets."""
    return [key for key, (zh, en, _) in counts.items() if (zh in text if lang == "zh" else en.lower() in text.lower())]


def figure_problems(lines: list[tuple[str, int, str, str]], policy: Policy) -> list[str]:
    """Every hand-written line stating a figure the policy does not hold, a count of a market's (or the
    provider's) conditions that is not its count (read in the sentence, else its section's heading), or one
    value of a figure scheduled to change."""
    problems = []
    rules = _figure_rules(policy)
    scheduled = _scheduled(policy)
    counts = _counts(policy)
    section: dict[str, str | None] = {}
    for page, number, lang, prose in lines:
        if prose.lstrip().startswith("#"):
            named = _named(prose, lang, counts)
            section[page] = named[0] if len(named) == 1 else None
        for what, pattern, allowed in rules:
            for match in pattern.finditer(prose):
                shown = _shown_match(what, match)
                if shown not in allowed:
                    problems.append(f"{page}:{number}: states the {what} {shown!r}; the policy holds "
                                    f"{', '.join(sorted(allowed))}: write the figure as {{{{ name }}}} (README, "
                                    "'Figures in hand-written pages')")
                elif shown in scheduled.get(what, set()):
                    problems.append(f"{page}:{number}: states the {what} {shown!r}, which the policy schedules to "
                                    "change: write {{ name }} (the build puts in the figure of each date) or the "
                                    "schedule's fragment instead")
        for sentence in SENTENCE_END.split(prose):
            for match in (COUNT_ZH if lang == "zh" else COUNT_EN).finditer(sentence):
                count = int(_number(match.group(1).lower()))
                if count == 1:  # 一条条件, one condition: "a condition", not a count
                    continue
                named = _named(sentence, lang, counts)
                whose = named[0] if len(named) == 1 else section.get(page) if not named else None
                if whose is not None and count not in counts[whose][2]:
                    own = f" ({min(counts[whose][2])} of its own)" if len(counts[whose][2]) > 1 else ""
                    problems.append(f"{page}:{number}: says {counts[whose][1]} asks {match.group(1)} conditions; "
                                    f"the policy lists {max(counts[whose][2])}{own}: write the count from the "
                                    "policy")
                elif whose is None and not named and count not in {
                        c for _, _, allowed in counts.values() for c in allowed}:
                    problems.append(f"{page}:{number}: gives {match.group(1)} conditions, a count the policy does "
                                    "not hold for the provider or any market")
    return problems


def test_hand_written_figures_are_the_policys() -> None:
    """Each hand-written line of docs/ in both languages, named by page and line (what the built pages check
    as a whole, the generated fragments included)."""
    lines = hand_written_lines(DOCS)
    assert len(lines) > 200 and {lang for _, _, lang, _ in lines} == {"zh", "en"}
    assert figure_problems(lines, Policy(compile_policy())) == []


def _problems_of(text: str, lang: str, policy: Policy) -> list[str]:
    page = "docs/x.md" if lang == "zh" else "docs/x.en.md"
    return figure_problems([(page, n, lang, line) for n, line in enumerate(text.splitlines(), 1)], policy)


def test_the_figure_check_names_page_and_line_and_reads_counts_in_sentences() -> None:
    policy = Policy(compile_policy(FROZEN_POLICY_DIR))  # its API market asks nine conditions
    assert _problems_of("## API market\n\nIt asks nine conditions.\n", "en", policy) == []
    assert _problems_of("The API market asks nine conditions.", "en", policy) == []
    data = json.loads(json.dumps(policy.data))
    api = next(m for m in data["markets"]["markets"] if m["id"] == "api")
    api["conditions"].append("saas-offering")  # a tenth
    tenth = Policy(data)
    said = _problems_of("Intro.\nThe API market asks nine conditions.", "en", tenth)
    assert len(said) == 1 and said[0].startswith("docs/x.en.md:2: says API market asks nine conditions")
    assert "lists 10" in said[0]
    assert _problems_of("## API market\n\nIt asks nine conditions.", "en", tenth)[0].startswith("docs/x.en.md:3:")
    assert _problems_of("API市场有九项入驻条件。", "zh", tenth)[0].startswith("docs/x.md:1: says API market")
    general = len(policy.provider["conditions"])  # and the provider's, by its sentence or its section
    assert _problems_of(f"Becoming a provider asks {EN_WORDS[general]} conditions.", "en", policy) == []
    assert _problems_of(f"## Becoming a provider\n\nIt takes {EN_WORDS[general + 1]} conditions.", "en",
                        policy)[0].startswith("docs/x.en.md:3: says Becoming a provider asks")
    assert _problems_of(f"## 成为服务商\n\n需满足{'十一'}条条件。", "zh", policy)[0].startswith("docs/x.md:3: says")
    assert _problems_of("平台服务费为 12%。", "zh", policy)[0].startswith("docs/x.md:1: states the rate '12'")


def test_the_figure_check_flags_one_value_of_a_scheduled_figure() -> None:
    policy = Policy(compile_policy(FROZEN_POLICY_DIR))
    assert _problems_of("The fee is 10% of each order.", "en", policy) == []
    data = json.loads(json.dumps(policy.data))
    data["fees"]["platform_fee"]["rate"]["2027-03-01"] = "0.08"
    said = _problems_of("Intro.\nThe fee is 10% of each order.", "en", Policy(data))
    assert len(said) == 1 and said[0].startswith("docs/x.en.md:2: states the rate '10', which the policy schedules")
    data["fees"]["waiver"]["years"]["2027-03-01"] = None  # the free year ends; a licence age of 1 year stays
    assert _problems_of("A licence is one year old from 2026-11-27.", "en", Policy(data)) == []
    data["criteria"]["conditions"][1]["threshold"]["2027-03-01"] = 3  # now no 1-year figure stays
    assert [p.split(",")[0] for p in _problems_of("A licence is one year old.", "en", Policy(data))] == [
        "docs/x.en.md:1: states the years (en) '1'"]


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


def test_every_page_names_the_search_worker_the_site_holds(site: Path) -> None:
    """overrides/main.html takes the theme's content-hashed search worker from the build (hooks/build.py)."""
    workers = {path.relative_to(site).as_posix() for path in site.glob("assets/javascripts/workers/search.*.min.js")}
    assert len(workers) == 1, workers
    pages = 0
    for path in site.rglob("*.html"):
        config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', path.read_text(
            encoding="utf-8"), re.S)
        if not config:
            continue
        pages += 1
        url = json.loads(config.group(1))["search"]
        target = site / url.lstrip("/") if url.startswith("/") else (path.parent / url).resolve()
        assert target.is_file() and target.relative_to(site.resolve()).as_posix() in workers, (path, url)
    assert pages > 20


def test_the_search_worker_is_found_in_the_first_theme_folder_that_has_one(tmp_path: Path) -> None:
    from scripts.pages.search_index import search_worker

    override, theme = tmp_path / "overrides", tmp_path / "theme"
    for folder, names in ((override, []), (theme, ["search.0123abcd.min.js", "search.0123abcd.min.js.map"])):
        (folder / "assets" / "javascripts" / "workers").mkdir(parents=True)
        for name in names:
            (folder / "assets" / "javascripts" / "workers" / name).write_text("", encoding="utf-8")
    assert search_worker([str(override), str(theme)]) == "assets/javascripts/workers/search.0123abcd.min.js"
    (theme / "assets" / "javascripts" / "workers" / "search.4567cdef.min.js").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="more than one search worker"):
        search_worker([str(override), str(theme)])
    with pytest.raises(ValueError, match="no search worker"):
        search_worker([str(override)])


def test_external_links_are_only_the_policy_sources_and_well_formed(site: Path) -> None:
    policy = compile_policy()
    sources = {s["url"] for s in policy["sources"]} | {s["source"]["url"] for s in policy["calendar"]["schedules"]}
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


def _edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, f"{path.name}: {old!r} is not in the tests' frozen policy (tests/fixtures/policy/)"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _change_rate_and_team(project: Path, quotes_too: bool) -> None:
    """The rate and the team threshold changed in policy/; with `quotes_too`, as after a change of the
    source: the source text kept in policy/ and the quotes of both facts say the new figures too."""
    policy = project / "policy"
    _edit(policy / "criteria.yaml", ('threshold: {"2026-11-26": 15}', 'threshold: {"2026-11-26": 12}'))
    _edit(policy / "fees.yaml", ('rate: {"2026-11-26": "0.10"}', 'rate: {"2026-11-26": "0.08"}'))
    if quotes_too:
        _edit(policy / "criteria.yaml", ("quote: 具有 15 人以上", "quote: 具有 12 人以上"))
        _edit(policy / "fees.yaml", ("交易金额的10%收取", "交易金额的8%收取"))
        [source_text] = policy.glob("sources/*.txt")
        _edit(source_text, ("具有 15 人以上", "具有 12 人以上"), ("交易金额的10%收取", "交易金额的8%收取"))


def _built_copy(tmp_path: Path, edit: Callable[[Path], None]) -> tuple[Path, Policy, dict[str, set[str]]]:
    """A scratch copy of the project, changed by `edit(project)` and built strictly: its site, its
    compiled policy, and the figures its pages state."""
    project = scratch_project(tmp_path / "project", FROZEN_POLICY_DIR)
    edit(project)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    policy = Policy(compile_policy(project / "policy"))
    return project / "site", policy, figures_on(project / "site", policy)


@pytest.mark.slow
def test_changing_the_rate_and_team_threshold_in_policy_changes_the_pages(tmp_path: Path) -> None:
    site, _, found = _built_copy(tmp_path, lambda project: _change_rate_and_team(project, quotes_too=True))
    assert found["rate"] == {"8"} and found["team (zh)"] == {"12"} and found["team (en)"] == {"12"}
    fees_page = " ".join(_parse(site / "en" / "fees" / "index.html").text)
    assert "8%" in fees_page and "10%" not in fees_page


@pytest.mark.slow
def test_a_figure_changed_without_its_quote_shows_up_as_a_mismatch(tmp_path: Path) -> None:
    """The source's words stay on the page: a figure changed in policy/ alone leaves its quote saying the
    old one, and the figure check names it (the source must change first, or the figure is wrong)."""
    _, _, found = _built_copy(tmp_path, lambda project: _change_rate_and_team(project, quotes_too=False))
    assert found["rate"] == {"8", "10"} and found["team (zh)"] == {"12", "15"}


@pytest.mark.slow
def test_a_broken_policy_edit_fails_the_site_build_naming_file_and_line(tmp_path: Path) -> None:
    """No site with a wrong figure: the build stops and says where the policy is broken."""
    project = scratch_project(tmp_path / "project", FROZEN_POLICY_DIR)
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
    from scripts.assets.host_config import CSP

    for lang in LANGS:
        html = (site / LANGS[lang] / "security" / "index.html").read_text(encoding="utf-8")
        code = re.search(r"<code>(default-src.*?)</code>", html, re.S)
        assert code, f"{lang}: no CSP on the security page"
        shown = " ".join(Page(code.group(1)).text).split()
        assert shown == CSP.split(), lang
        lines = "".join(Page(code.group(1)).text).splitlines()  # its lines broken after a directive only
        assert " ".join(lines) == CSP and all(line.endswith(";") for line in lines[:-1]), lang
        # the page states the {{ csp }} word (scripts/host_config.CSP), no copy of its own to drift
        source = (DOCS / ("security.md" if lang == "zh" else f"security.{lang}.md")).read_text(encoding="utf-8")
        assert "```text\n{{ csp }}\n```" in source and "default-src" not in source, lang


ADDED_MARKET = """  - id: data-market
    key: data_market
    name: {zh: 数据市场, en: Data market}
    open: {"2026-11-26": false, "2030-03-01": true}
    description:
      zh: 用于测试的市场。
      en: A market added by a test.
    conditions: [real-name-verified, licence-age-market, agreements]
    ref: {source: ksyun-doc-2677, section: 类目市场介绍}
    quote: 欢迎广大服务商进行入驻
"""


@pytest.mark.slow
def test_a_dated_rate_change_and_an_added_market_show_on_every_page(tmp_path: Path) -> None:
    """As the README teaches: a new dated rate and a market added in policy/ alone, no code changes."""
    def edit(project: Path) -> None:
        _edit(project / "policy" / "fees.yaml",
              ('rate: {"2026-11-26": "0.10"}', 'rate: {"2026-11-26": "0.10", "2030-07-01": "0.085"}'),
              ('years: {"2026-11-26": 1}', 'years: {"2026-11-26": 1, "2030-01-01": null}'))
        markets = project / "policy" / "markets.yaml"
        markets.write_text(markets.read_text(encoding="utf-8") + ADDED_MARKET, encoding="utf-8")

    site, policy, found = _built_copy(tmp_path, edit)
    assert found["rate"] == {"10", "8.5"} and found["markets (count)"] == {"7"}
    for what, _, allowed in _figure_rules(policy):
        assert found.get(what, set()) <= allowed, what
    text = {(lang, page): " ".join(_parse(site / LANGS[lang] / page / "index.html").text)
            for lang in LANGS for page in ("", "markets", "fees")}
    assert "七个类目市场" in text["zh", ""] and "The seven markets" in text["en", ""]
    assert "划分为七个市场" in text["zh", "markets"] and "divided into seven markets" in text["en", "markets"]
    assert "10%（至 2030-06-30）；自 2030-07-01 起 8.5%" in text["zh", ""]  # the key figures
    assert "10% until 2030-06-30; 8.5% from 2030-07-01" in text["en", ""]
    assert "10% until 2030-06-30; 8.5% from 2030-07-01" in text["en", "fees"]
    assert "1 year until 2029-12-31; no longer applies from 2030-01-01" in text["en", "fees"]
    assert re.search(r"Schedule\s*:\s*10% until", text["en", "fees"]) and "**" not in text["en", "fees"]
    assert "自 2030-01-01 起不再适用" in text["zh", "fees"]
    assert "Not open yet until 2030-02-28; Open from 2030-03-01" in text["en", "markets"]


def test_each_language_has_its_own_search_index(site: Path) -> None:
    zh = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    en = json.loads((site / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    zh_pages = {doc["location"].split("#")[0] for doc in zh}
    en_pages = {doc["location"].split("#")[0] for doc in en}
    assert zh_pages == en_pages  # the same pages, each index in its own language, relative to its root
    assert "fees/" in zh_pages and not any(page.startswith("en/") for page in zh_pages | en_pages)
    assert any("保证金" in doc["text"] for doc in zh) and not any("保证金" in doc["title"] for doc in en)


def test_the_changelog_shows_each_versions_generated_changes_beside_its_entry(site: Path) -> None:
    """Under each version's hand-written entry, the changes generated from the policies (this version's
    against the one below it, as git recorded each), in the page's language."""
    from calculators.messages import capital, word
    from scripts.policy.policy_diff import policy_changes
    from scripts.policy.policy_release import released_policies

    document = compile_policy()
    released = {**released_policies(), document["meta"]["version"]: document}
    versions = [entry["version"] for entry in document["changelog"]]
    shown = 0
    for lang in LANGS:
        text = " ".join(" ".join(_parse(site / LANGS[lang] / "changelog" / "index.html").text).split())
        for new, old in zip(versions, versions[1:], strict=False):
            start, end = (re.search(rf"{re.escape(v)}\W*{word('published', lang)}", text).start() for v in (new, old))
            section = text[start:end]  # the entry's heading (not the table of contents) to the next one
            assert document["changelog"][versions.index(new)]["changes"][0][lang].split()[0] in section
            if old not in released or new not in released:  # a history that starts later (a scratch copy)
                assert capital(word("change_unavailable", lang)) in section
                continue
            for line in policy_changes(released[old], released[new], lang):
                assert " ".join(line.split()) in section, (lang, new, line)
                shown += 1
    assert shown, "no version has generated changes: the check would be vacuous"
