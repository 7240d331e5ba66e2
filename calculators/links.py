"""Links to the site's pages, made from the site's base URL that the build ships beside the policy."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = ["SITE_RESOURCE", "clause_url", "site_url", "site_url_assumed"]

SITE_RESOURCE = "site.json"
PAGES = {"condition": "conditions/"}  # where each kind of clause is anchored, by its id
LANGUAGE_PREFIX = {"zh": "", "en": "en/"}  # the site's folder of each language (zh is the default)


def _site() -> dict:
    try:
        text = resources.files(__package__).joinpath(SITE_RESOURCE).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuntimeError("the site's address is missing from the calculators package: "
                           "run `make setup` (or `python -m scripts.policy.compile_policy`)") from None
    return json.loads(text)


@lru_cache(maxsize=1)
def site_url() -> str:
    """The site's base URL (SITE_URL, or mkdocs.yml's site_url, when the policy was compiled), ending in /."""
    url = _site()["url"]
    return url if url.endswith("/") else url + "/"


def site_url_assumed() -> bool:
    """Whether the policy was compiled without SITE_URL: the links assume mkdocs.yml's default address."""
    return bool(_site().get("assumed", False))


def clause_url(clause_id: str, lang: str, kind: str = "condition") -> str:
    """The address of a clause on the site, in `lang`: the one place a clause's id becomes a link."""
    return f"{site_url()}{LANGUAGE_PREFIX[lang]}{PAGES[kind]}#{clause_id}"
