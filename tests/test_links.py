"""Links from clause ids: made in one place from the site's base URL, sub-path included."""

from __future__ import annotations

from typing import Any

import pytest

from calculators import check_eligibility, links

from .conftest import cpython_only
from .test_eligibility import BASE


@pytest.mark.parametrize(("base", "lang", "expected"), [
    ("http://127.0.0.1:8000/", "zh", "http://127.0.0.1:8000/conditions/#team-size"),
    ("https://example.org/guide/", "en", "https://example.org/guide/en/conditions/#team-size"),
    ("https://example.org/guide", "zh", "https://example.org/guide/conditions/#team-size"),
])
def test_a_clause_link_is_the_site_base_plus_the_page_of_its_language(monkeypatch: pytest.MonkeyPatch, base: str,
                                                                     lang: str, expected: str) -> None:
    real = links.resources.files(links.__package__)
    monkeypatch.setattr(links.resources, "files", lambda _: _Files(f'{{"url": "{base}"}}', real))
    links.site_url.cache_clear()
    try:
        assert links.clause_url("team-size", lang) == expected
        criterion = next(c for c in check_eligibility({**BASE, "team_size": 3}, lang=lang)["provider"]["criteria"]
                         if c["id"] == "team-size")
        assert criterion["source"] == expected
    finally:
        links.site_url.cache_clear()


class _Files:
    """Stands for the package's resources: its site.json holds `text`; the other files are the real ones
    (the policy and the catalogue, whichever this process has not read yet)."""

    def __init__(self, text: str, real: Any) -> None:
        self.text, self.real = text, real

    def joinpath(self, name: str) -> Any:
        return self if name == links.SITE_RESOURCE else self.real.joinpath(name)

    def read_text(self, encoding: str) -> str:
        return self.text


@cpython_only
def test_the_build_reads_the_base_from_site_url_or_mkdocs_yml(monkeypatch: pytest.MonkeyPatch) -> None:
    from scripts.policy.site_url import site_url

    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8123/guide")
    assert site_url() == "http://127.0.0.1:8123/guide/"
    monkeypatch.delenv("SITE_URL")
    assert site_url() == "http://127.0.0.1:8000/"  # mkdocs.yml's default


@pytest.mark.parametrize(("site", "says"), [
    ('{"url": "http://127.0.0.1:8000/", "assumed": true}', True),  # built without SITE_URL
    ('{"url": "https://example.org/guide/"}', False),
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_report_built_without_site_url_names_the_address_its_links_assume(monkeypatch: pytest.MonkeyPatch,
                                                                             site: str, says: bool, lang: str) -> None:
    from calculators.messages import word
    from calculators.report import render_report

    real = links.resources.files(links.__package__)
    monkeypatch.setattr(links.resources, "files", lambda _: _Files(site, real))
    links.site_url.cache_clear()
    try:
        report = render_report("eligibility", check_eligibility({**BASE, "team_size": 3}, lang=lang), lang)
        line = word("links_assume", lang, url="http://127.0.0.1:8000/")
        assert (line in report) is says
        assert report.strip().endswith(line) is says
        assert ("http://127.0.0.1:8000/" in report) is says
    finally:
        links.site_url.cache_clear()
