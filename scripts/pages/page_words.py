"""The {{ name }} words of hand-written pages, per language, and their substitution into a page.

Counts, durations, the rounding rule, the verdicts and the CSP: a change to the policy changes every
page that mentions them."""

from __future__ import annotations

import re

from calculators.messages import word
from scripts.assets.host_config import CSP
from scripts.pages.fidelity import passages
from scripts.pages.page_site import Site
from scripts.pages.page_text import text

__all__ = ["WORDS_FILE", "count_word", "page_words", "substitute"]

WORDS_FILE = "words.json"  # the {{ name }} figures and phrases of hand-written pages, per language
ZH_DIGITS = "零一二三四五六七八九"
EN_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
              "twelve")


def count_word(n: int, lang: str) -> str:
    """A count as a word: 六 (两 for 2, as before a measure word) or "six"; digits past ninety-nine / twelve."""
    if lang == "en":
        return EN_NUMBERS[n] if 0 <= n < len(EN_NUMBERS) else str(n)
    if n == 2:
        return "两"
    if not 0 <= n < 100:
        return str(n)
    tens, units = divmod(n, 10)
    return ("" if tens < 2 else ZH_DIGITS[tens]) + ("十" if tens else "") \
        + (ZH_DIGITS[units] if units or not tens else "")


def page_words(site: Site, lang: str) -> dict[str, str]:
    """Figures and phrases that hand-written pages use as {{ name }}: counts, durations, the rounding
    rule and the verdicts, so that a change to the policy changes every page that mentions them."""
    policy = site.policy
    rounding = site.doc["fees"]["rounding"]
    some_day = word("some_day", lang)
    return {
        "market_count": count_word(len(policy.markets), lang),
        "charge_count": count_word(len(site.doc["fees"]["charges"]), lang),
        "provider_condition_count": count_word(len(policy.condition_ids(policy.provider, site.today)), lang),
        "waiver_period": site.schedule([site.doc["fees"]["waiver"]["years"]], site.waiver_on(lang), lang,
                                       escape=False),
        "rounding_rule": word("rounding_rule", lang, mode=word(rounding["mode"], lang), quantum=rounding["quantum"]),
        "rate": site.rate_schedule(lang, escape=False),
        "review_days": site.schedule([site.doc["process"]["review"]["min_working_days"],
                                      site.doc["process"]["review"]["max_working_days"]],
                                     site.review_on(lang), lang, escape=False),
        # the source's own words on the review, as the policy quotes them (escaped: policy text)
        "review_quote": text("".join(passages(site.doc["process"]["review"]["quote"]))),
        "verdict_can_apply": word("can_apply", lang),
        "verdict_eligible_not_open": word("eligible_not_open", lang),
        "verdict_not_yet": word("not_yet", lang, day=some_day).replace(f" {some_day} ", some_day),
        "verdict_not_eligible": word("not_eligible", lang),
        # the Content-Security-Policy the site is served with (scripts/assets/host_config.py), for the
        # security page's code block
        "csp": _directive_lines(CSP),
    }


def _directive_lines(policy: str, width: int = 120) -> str:
    """A CSP in lines of at most `width` characters, each broken after a directive's semicolon."""
    directives = [part.strip() + ";" for part in policy.split(";") if part.strip()]
    directives[-1] = directives[-1].removesuffix(";")  # as the policy ends: no semicolon
    lines: list[str] = []
    for directive in directives:
        if lines and len(lines[-1]) + 1 + len(directive) <= width:
            lines[-1] += " " + directive
        else:
            lines.append(directive)
    return "\n".join(lines)


TOKEN = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def substitute(text: str, words: dict[str, str], where: str) -> str:
    """Replace each {{ name }} in a hand-written page by the policy's figure or phrase; an unknown name
    is an error naming the page (a typo must not reach the site as braces)."""
    def replace(match: re.Match[str]) -> str:
        if match.group(1) not in words:
            raise KeyError(f"{where}: unknown {{{{ {match.group(1)} }}}}; the names are: {', '.join(sorted(words))}")
        return words[match.group(1)]

    return TOKEN.sub(replace, text)
