"""The compiled policy as the pages see it: each id's page, anchor and names, and each figure by day.

For each id, the page with its anchor and its name in each language; what each figure shows on a
given day (the schedules come from schedules.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from calculators import Policy
from calculators.eligibility import condition_text
from calculators.messages import capital, word
from calculators.policy import value_at
from scripts.pages.examples import PAGES
from scripts.pages.fidelity import status_block
from scripts.pages.page_text import text
from scripts.pages.schedules import Schedules

__all__ = ["LANGS", "Site", "both"]

LANGS = ("zh", "en")


def both(key: str) -> dict[str, str]:
    """A catalogue word in both languages, capitalised (a name)."""
    return {lang: capital(word(key, lang)) for lang in LANGS}


class Site(Schedules):
    """The compiled policy plus, for each id, the page with its anchor and its name in each language."""

    def __init__(self, document: dict[str, Any], today: dt.date) -> None:
        super().__init__(today, {s["id"]: s for s in document["sources"]})
        self.doc = document
        self.policy = Policy(document)
        self.pages: dict[str, str] = {}
        self.names: dict[str, dict[str, str]] = {}

        def register(items: list[dict[str, Any]], page: str, name: Callable[[dict[str, Any]], dict[str, str]]) -> None:
            for item in items:
                self.pages[item["id"]] = page
                self.names[item["id"]] = name(item)

        register(self.policy.conditions, "conditions.md",
                 lambda c: {lang: condition_text(c, lang, today) for lang in LANGS})
        register(self.policy.markets, "markets.md", lambda m: m["name"])
        process = document["process"]
        register(process["prerequisites"] + process["steps"], "process.md", lambda i: i["text"])
        register([process["review"]], "process.md", lambda _: both("review_time"))
        register(process["review"]["statutory_holidays"], "process.md", lambda h: h["name"])
        fees = document["fees"]
        register([fees[k] for k in ("mode", "deposit", "platform_fee", "waiver")], "fees.md", lambda i: i["name"])
        register([fees["rounding"]], "fees.md", lambda _: both("rounding"))
        register(fees["invoicing"], "fees.md", lambda i: i["text"])
        register(document["assumptions"], "assumptions.md", lambda a: a["title"])
        register(document["sources"], "api.md", lambda s: s["title"])
        register(document["criteria"]["groups"], f"{PAGES['eligibility']}.md", lambda g: g["label"])

    def condition_on(self, condition: dict[str, Any], lang: str) -> Callable[[dt.date], str | None]:
        def show(day: dt.date) -> str | None:
            if "threshold" in condition and value_at(condition["threshold"], day) is None:
                return None
            return condition_text(condition, lang, day)
        return show

    def rate_on(self, day: dt.date) -> str | None:
        rate = value_at(self.doc["fees"]["platform_fee"]["rate"], day)
        return None if rate is None else f"{(Decimal(rate) * 100).normalize():f}%"

    def rate_schedule(self, lang: str, escape: bool = True) -> str:
        return self.schedule([self.doc["fees"]["platform_fee"]["rate"]], self.rate_on, lang, escape)

    def waiver_on(self, lang: str) -> Callable[[dt.date], str | None]:
        def show(day: dt.date) -> str | None:
            years = value_at(self.doc["fees"]["waiver"]["years"], day)
            return None if years is None else word("years", lang, n=years)
        return show

    def review_on(self, lang: str) -> Callable[[dt.date], str | None]:
        review = self.doc["process"]["review"]
        return lambda day: word("working_days", lang, a=value_at(review["min_working_days"], day),
                             b=value_at(review["max_working_days"], day))

    def deposit_on(self, lang: str) -> Callable[[dt.date], str | None]:
        deposit = self.doc["fees"]["deposit"]
        return lambda day: (deposit["note"][lang] if value_at(deposit["amount"], day) is None
                            else f"CNY {value_at(deposit['amount'], day)}")

    def status_on(self, market: dict[str, Any], lang: str) -> Callable[[dt.date], str | None]:
        return lambda day: capital(word("open" if value_at(market["open"], day) else "closed", lang))

    def status(self, market: dict[str, Any], lang: str) -> str:
        return self.schedule([market["open"]], self.status_on(market, lang), lang)

    def link(self, target_id: str, name: str) -> str:
        """A link to an id's anchor; `name` is a policy text (escaped here)."""
        return f"[{text(name)}]({self.pages[target_id]}#{target_id})"

    def assumptions_for(self, fact_id: str, lang: str) -> str:
        return "\n".join(status_block(a, lang) for a in self.doc["assumptions"] if fact_id in a["applies_to"])

    def condition(self, condition_id: str, lang: str) -> str:
        return condition_text(self.policy.condition(condition_id), lang, self.today)

    def rate_percent(self) -> str:
        return self.rate_on(self.today) or "0%"
