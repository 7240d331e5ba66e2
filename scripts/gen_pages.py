"""Generate the policy fragments that the hand-written pages include, in Chinese and English.

    python -m scripts.gen_pages

Writes build/snippets/{zh,en}/*.md from the compiled policy; pages include them with
`--8<-- "zh/NAME.md"` (pymdownx.snippets, check_paths: a missing fragment fails the build).
Every condition, market and fact gets an anchor equal to its id.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from calculators import Policy, calculate_fees, check_eligibility, estimate_review
from calculators.api import contract
from calculators.contract import named_by
from calculators.display import display
from calculators.eligibility import condition_text
from calculators.kinds import AS_OF
from calculators.messages import capital, colon, joined, labelled, parenthesised, word
from calculators.policy import plain, value_at

from .gen_forms import FORMS
from .host_config import CSP
from .page_text import link_target, md_format, text
from .paths import BUILD, ROOT, write_if_changed
from .policy_source import compile_policy

SNIPPETS = BUILD / "snippets"
WORDS_FILE = "words.json"  # the {{ name }} figures and phrases of hand-written pages, per language
EXAMPLES = ROOT / "examples"
LANGS = ("zh", "en")

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
    text = ("" if tens < 2 else ZH_DIGITS[tens]) + ("十" if tens else "") + (ZH_DIGITS[units] if units or not tens else "")
    return text


ADMONITION = {"reading": "note", "assumption": "warning", "unknown": "question"}


def label(key: str, lang: str) -> str:
    """A word followed by the colon of its language."""
    return labelled(key, lang, "")


def both(key: str) -> dict[str, str]:
    """A catalogue word in both languages, capitalised (a name)."""
    return {lang: capital(word(key, lang)) for lang in LANGS}


class Site:
    """The compiled policy plus, for each id, the page with its anchor and its name in each language."""

    def __init__(self, document: dict[str, Any], today: dt.date) -> None:
        self.doc = document
        self.policy = Policy(document)
        self.today = today
        self.sources = {s["id"]: s for s in document["sources"]}
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
        register(document["criteria"]["groups"], "self-check.md", lambda g: g["label"])

    def at(self, dated: dict[str, Any]) -> Any:
        return value_at(dated, self.today)

    def changes(self, *dated: dict[str, Any]) -> list[dt.date]:
        """The days after today on which any of `dated` takes a new value."""
        return sorted({dt.date.fromisoformat(day) for values in dated for day in values
                       if day > self.today.isoformat()})

    def sourced(self, dated: list[dict[str, Any]], day: dt.date) -> list[tuple[str, dict[str, Any]]]:
        """The dated values in force on `day` that carry their own source ({value, ref, quote}), each
        with its effective date."""
        found = []
        for values in dated:
            keys = [key for key in sorted(values) if key <= day.isoformat()] or sorted(values)[:1]
            entry = values[keys[-1]]
            if isinstance(entry, dict) and "ref" in entry and (keys[-1], entry) not in found:
                found.append((keys[-1], entry))
        return found

    def schedule(self, dated: list[dict[str, Any]], show: Callable[[dt.date], str | None], lang: str,
                 escape: bool = True) -> str:
        """A figure over time from its dated values: today's, then each later one with its first day,
        in both languages ("10% until 2027-06-30; 8.5% from 2027-07-01"). `show(day)` gives the
        figure in force on `day`, or None where a null value ended the rule. A value with its own
        source is followed by that source (not in the figures of hand-written sentences). Figures are
        escaped as page text unless `escape` is false (figures made here, with no policy text in them)."""
        periods: list[tuple[dt.date, str | None]] = []
        for day in [self.today, *self.changes(*dated)]:
            raw = show(day)
            shown = None if raw is None else text(raw) if escape else raw
            if not periods or periods[-1][1] != shown:
                periods.append((day, shown))
        if periods[0][1] is None:  # ended before today: from when
            ended = max(dt.date.fromisoformat(day) for values in dated for day in values
                        if day <= self.today.isoformat() and plain(values[day]) is None)
            periods[0] = (ended, None)
        pieces = []
        for index, (day, shown) in enumerate(periods):
            until = (periods[index + 1][0] - dt.timedelta(days=1)).isoformat() if index + 1 < len(periods) else None
            if shown is None:
                pieces.append(word("sched_ended", lang, day=day.isoformat()))
            elif index == 0:
                pieces.append(shown if until is None else word("sched_until", lang, value=shown, until=until))
            elif until is None:
                pieces.append(word("sched_from", lang, value=_spaced(shown, lang), day=day.isoformat()))
            else:
                pieces.append(word("sched_between", lang, value=_spaced(shown, lang), day=day.isoformat(), until=until))
            cited = self.sourced(dated, day) if escape else []
            if cited:
                pieces[-1] = parenthesised(pieces[-1], joined([self.ref(e["ref"], lang) for _, e in cited], lang,
                                                              "semicolon"), lang)
        return joined(pieces, lang, "semicolon")

    def value_quotes(self, dated: list[dict[str, Any]], lang: str) -> str:
        """The source's words for each value of a schedule still in force or to come that quotes its own
        source, in a quote box named by the value's date."""
        days = [self.today, *self.changes(*dated)]
        boxes = []
        for key, entry in dict(item for day in days for item in self.sourced(dated, day)).items():
            if entry.get("quote"):
                boxes.append(source_words(entry, lang, word("quote_from", lang, day=key)))
        return "\n".join(boxes)

    def scheduled(self, dated: list[dict[str, Any]], show: Callable[[dt.date], str | None], lang: str) -> str:
        """A schedule line for a page when the figure changes after today or a value in force has its
        own source (then with the source's words of each such value), else nothing."""
        if not self.changes(*dated) and not self.sourced(dated, self.today):
            return ""
        quotes = self.value_quotes(dated, lang)
        return f"**{word('schedule', lang)}**{colon(lang)}{self.schedule(dated, show, lang)}\n" \
            + (f"\n{quotes}" if quotes else "")

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

    def ref(self, ref: dict[str, Any], lang: str) -> str:
        source = self.sources[ref["source"]]
        where = text(ref["section"])
        if ref.get("item"):
            where += " " + word("item", lang, n=ref["item"])
        elif ref.get("item") == 0:
            where += " · " + word("in_description", lang)
        return f"{label('source', lang)}[{text(_address(source['url']))}]({link_target(source['url'])}) › {where}"

    def assumptions_for(self, fact_id: str, lang: str) -> str:
        return "\n".join(status_block(a, lang) for a in self.doc["assumptions"] if fact_id in a["applies_to"])

    def condition(self, condition_id: str, lang: str) -> str:
        return condition_text(self.policy.condition(condition_id), lang, self.today)

    def rate_percent(self) -> str:
        return self.rate_on(self.today) or "0%"

    def words(self, lang: str) -> dict[str, str]:
        """Figures and phrases that hand-written pages use as {{ name }}: counts, durations, the rounding
        rule and the verdicts, so that a change to the policy changes every page that mentions them."""
        policy = self.policy
        rounding = self.doc["fees"]["rounding"]
        some_day = word("some_day", lang)
        return {
            "market_count": count_word(len(policy.markets), lang),
            "charge_count": count_word(len(self.doc["fees"]["charges"]), lang),
            "provider_condition_count": count_word(len(policy.condition_ids(policy.provider, self.today)), lang),
            "waiver_period": self.schedule([self.doc["fees"]["waiver"]["years"]], self.waiver_on(lang), lang,
                                           escape=False),
            "rounding_rule": word("rounding_rule", lang, mode=word(rounding["mode"], lang), quantum=rounding["quantum"]),
            "rate": self.rate_schedule(lang, escape=False),
            "review_days": self.schedule([self.doc["process"]["review"]["min_working_days"],
                                          self.doc["process"]["review"]["max_working_days"]],
                                         self.review_on(lang), lang, escape=False),
            # the source's own words on the review, as the policy quotes them (escaped: policy text)
            "review_quote": text("".join(_quotes(self.doc["process"]["review"]["quote"]))),
            "verdict_can_apply": word("can_apply", lang),
            "verdict_eligible_not_open": word("eligible_not_open", lang),
            "verdict_not_yet": word("not_yet", lang, day=some_day).replace(f" {some_day} ", some_day),
            "verdict_not_eligible": word("not_eligible", lang),
            # the Content-Security-Policy the site is served with (scripts/host_config.py), for the
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


def _quotes(quote: str | list[str]) -> list[str]:
    """A `quote` of the policy as its list of passages."""
    return [quote] if isinstance(quote, str) else list(quote)


def _spaced(text: str, lang: str) -> str:
    """In Chinese, a figure after a word gets a space before it (自 2027-07-01 起 8.5%); words do not."""
    return " " + text if lang == "zh" and text[:1].isascii() else text


def _quote(text: str) -> str:
    return text.replace('"', "'")


def _anchor(anchor: str) -> str:
    """An anchor for an item that is not a heading (list items, notes)."""
    return f'<span class="anchor" id="{anchor}"></span>'


def _anchor_heading(level: int, text: str, anchor: str) -> str:
    return f"{'#' * level} {text} {{ #{anchor} }}\n"


# --- the source's words, and the status of everything else ---------------------------------------

def md_escape(value: str) -> str:
    """Text shown as it is in Markdown (the shared helper of page_text)."""
    return text(value)


def _address(url: str) -> str:
    """A source page named by its address (host and path), which is what we know of it for certain."""
    return url.split("://", 1)[-1].split("#", 1)[0].rstrip("/")


def _indent(text: str, by: int) -> str:
    return "\n".join((" " * by + line) if line else "" for line in text.split("\n"))


def source_words(item: dict[str, Any], lang: str, title: str | None = None) -> str:
    """The source's own words for a fact, open, in a quote box (原文 / Source text, or `title`); or,
    when the fact has none, a line saying that the source is silent."""
    quote = item.get("quote")
    if not quote:
        return f"*{word('silent', lang)}*\n"
    passages = [quote] if isinstance(quote, str) else quote
    body = "\n\n".join(f"    「{md_escape(passage)}」" for passage in passages)
    return f'!!! quote "{_quote(title or word("quote", lang))}"\n\n{body}\n'


def status_block(assumption: dict[str, Any], lang: str, prefix: str = "") -> str:
    """A reading, assumption or unknown, open (never folded), linked to the assumptions page.
    `prefix` is the relative path to that page's folder (the calculator pages pass "")."""
    kind = assumption["kind"]
    title = labelled(kind, lang, text(assumption["title"][lang]))
    more = word("more", lang, id=assumption["id"]).replace("(assumptions.md", f"({prefix}assumptions.md")
    body = text(assumption["text"][lang]) + " " + more
    return f'!!! {ADMONITION[kind]} "{_quote(title)}"\n\n    {body}\n'


# --- fragments ----------------------------------------------------------------------------------

def meta(site: Site, lang: str) -> str:
    m = site.doc["meta"]
    return (f"| {capital(word('policy_version', lang))} | {word('effective', lang)} | {word('reviewed', lang)} | {word('review_by', lang)} |\n"
            f"|---|---|---|---|\n| {m['version']} | {m['effective_from']} | {m['reviewed_on']} | {m['review_by']} |\n"
            + effective_date_note(site, lang))


def effective_date_note(site: Site, lang: str) -> str:
    """What the effective date is: the day the text was taken, since the source gives none."""
    # the day the text of the first sources was taken: the policy's effective date is that day
    taken = min(s["text"]["taken_on"] for s in site.doc["sources"])
    text = word("effective_note", lang, taken=taken)
    return "\n" + text + "\n"


def status_links(site: Site, fact_id: str, lang: str) -> str:
    """Links to the readings, assumptions and unknowns that qualify a fact, each with its status."""
    links = [f"[{labelled(a['kind'], lang, md_escape(a['title'][lang]))}](assumptions.md#{a['id']})"
             for a in site.doc["assumptions"] if fact_id in a["applies_to"]]
    return joined(links, lang, "semicolon") or word("mark_no", lang)


def _quoted_item(marker: str, item: dict[str, Any], lang: str) -> str:
    """A list item (a step, an invoice rule) in our words, with the source's words under it."""
    return f"{marker} {_anchor(item['id'])}{text(item['text'][lang])}\n\n{_indent(source_words(item, lang), 4)}"


def key_figures(site: Site, lang: str) -> str:
    p = site.policy
    review = site.doc["process"]["review"]
    fees = site.doc["fees"]
    rows = []
    for key, cid in (("licence_provider", "licence-age-provider"), ("licence_market", "licence-age-market"),
                     ("team", "team-size"), ("support", "support-coverage")):
        condition = p.condition(cid)
        rows.append((word(key, lang), site.schedule([condition["threshold"]], site.condition_on(condition, lang), lang),
                     f"conditions.md#{cid}"))
    rows += [
        (word("review_time", lang), site.schedule([review["min_working_days"], review["max_working_days"]],
                                               site.review_on(lang), lang), "process.md#review-time"),
        (word("rate", lang), site.rate_schedule(lang), "fees.md#platform-service-fee"),
        (word("waiver", lang), site.schedule([fees["waiver"]["years"]], site.waiver_on(lang), lang), "fees.md#fee-waiver"),
        (word("deposit_amount", lang), site.schedule([fees["deposit"]["amount"]], site.deposit_on(lang), lang),
         "fees.md#deposit"),
    ]
    lines = [f"| {word('figure', lang)} | {word('value', lang)} | {word('rests_on', lang)} |", "|---|---|---|"]
    lines += [f"| [{name}]({href}) | {value} | {status_links(site, href.split('#')[1], lang)} |" for name, value, href in rows]
    return "\n".join(lines) + "\n"


def markets_overview(site: Site, lang: str) -> str:
    lines = [f"| {word('market', lang)} | {word('status', lang)} | {word('about', lang)} |", "|---|---|---|"]
    for market in site.policy.markets:
        lines.append(f"| {site.link(market['id'], market['name'][lang])} | {site.status(market, lang)} "
                     f"| {text(market['description'][lang])} |")
    return "\n".join(lines) + "\n"


def window(starts: str | None, ends: str | None, lang: str) -> str:
    """When a condition applies, in words ("applies from 2027-03-01"); "" when always."""
    if starts and ends:
        return word("applies_between", lang, day=starts, until=ends)
    if starts:
        return word("applies_from", lang, day=starts)
    return word("applies_until", lang, until=ends) if ends else ""


def _placed(site: Site, part: dict[str, Any], cid: str, name: str, lang: str) -> str:
    """A list's link to a condition or market, with the days it applies there when they are bounded."""
    place = next(p for p in site.policy.places(part) if p.id == cid)
    when = window(place.starts, place.ends, lang)
    return parenthesised(name, when, lang) if when else name


def _condition_block(site: Site, condition: dict[str, Any], lang: str) -> str:
    cid = condition["id"]
    used_by = []
    if cid in site.policy.condition_ids(site.policy.provider):
        used_by.append(_placed(site, site.policy.provider, cid,
                               f"[{text(site.policy.provider['name'][lang])}](#provider-conditions)", lang))
    used_by += [_placed(site, m, cid, site.link(m["id"], m["name"][lang]), lang)
                for m in site.policy.markets if cid in site.policy.condition_ids(m)]
    schedule = site.scheduled([condition["threshold"]], site.condition_on(condition, lang), lang) \
        if "threshold" in condition else ""
    when = window(condition.get("from"), condition.get("to"), lang)
    if when:
        schedule = f"**{word('schedule', lang)}**{colon(lang)}{when}\n" + schedule
    parts = [_anchor_heading(3, text(site.condition(cid, lang)), cid), source_words(condition, lang), schedule,
             labelled("applies_in", lang, joined(used_by, lang)),
             "", site.ref(condition["ref"], lang), "", site.assumptions_for(cid, lang)]
    return "\n".join(parts) + "\n"


def conditions_provider(site: Site, lang: str) -> str:
    return source_words(site.policy.provider, lang) + "\n" + "\n".join(
        _condition_block(site, site.policy.condition(cid), lang) for cid in site.policy.condition_ids(site.policy.provider))


def conditions_market(site: Site, lang: str) -> str:
    provider = set(site.policy.condition_ids(site.policy.provider))
    return "\n".join(_condition_block(site, c, lang) for c in site.policy.conditions if c["id"] not in provider)


def provider_list(site: Site, lang: str) -> str:
    provider = site.policy.provider
    return "\n".join(f"{i}. {_placed(site, provider, cid, site.link(cid, site.condition(cid, lang)), lang)}"
                     for i, cid in enumerate(site.policy.condition_ids(provider), 1)) + "\n"


def markets(site: Site, lang: str) -> str:
    out = []
    for market in site.policy.markets:
        out.append(_anchor_heading(2, text(market["name"][lang]), market["id"]))
        out.append(f"**{label('status', lang)}{site.status(market, lang)}**\n\n{text(market['description'][lang])}\n")
        out.append(source_words(market, lang))
        out.append(f"**{word('conditions_of', lang)}**\n")
        out += [f"{i}. {_placed(site, market, cid, site.link(cid, site.condition(cid, lang)), lang)}"
                for i, cid in enumerate(site.policy.condition_ids(market), 1)]
        out.append("\n" + site.ref(market["ref"], lang) + "\n")
        out.append(site.assumptions_for(market["id"], lang))
    return "\n".join(out) + "\n"


def matrix(site: Site, lang: str) -> str:
    columns = [("provider", text(site.policy.provider["name"][lang]), site.policy.provider)]
    columns += [(m["id"], text(m["name"][lang]), m) for m in site.policy.markets]
    head = f"| {word('condition', lang)} | " + " | ".join(name for _, name, _ in columns) + " |"
    lines = [head, "|---|" + "|".join(":-:" for _ in columns) + "|"]
    for condition in site.policy.conditions:
        cid = condition["id"]
        cells = [_placed(site, part, cid, word("mark_yes", lang), lang) if cid in site.policy.condition_ids(part)
                 else word("mark_no", lang) for _, _, part in columns]
        lines.append(f"| {site.link(cid, site.condition(cid, lang))} | " + " | ".join(cells) + " |")
    status = [site.status(m, lang) for m in site.policy.markets]
    lines.append(f"| **{word('status', lang)}** | {word('mark_no', lang)} | " + " | ".join(status) + " |")
    # a class for the layout: the conditions column keeps a readable width, the ticks stay narrow
    return '<div class="policy-matrix" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n"


def process(site: Site, lang: str) -> str:
    p = site.doc["process"]
    review = p["review"]
    low, high = site.at(review["min_working_days"]), site.at(review["max_working_days"])
    heads = [word(key, lang) for key in ("process_prerequisites", "process_steps", "process_form", "process_review")]
    out = [_anchor_heading(2, heads[0], "prerequisites")]
    out += [_quoted_item(f"{i}.", item, lang) for i, item in enumerate(p["prerequisites"], 1)]
    out += ["", site.ref(p["prerequisites"][0]["ref"], lang), "", _anchor_heading(2, heads[1], "steps")]
    out += [_quoted_item(f"{i}.", item, lang) for i, item in enumerate(p["steps"], 1)]
    out += ["", _anchor_heading(2, heads[2], "application-form")]
    out += [f"- {text(item[lang])}" for item in p["application_form"]]
    out += ["", _anchor_heading(2, heads[3], review["id"]),
            f"**{md_format(review['text'][lang], min=low, max=high)}**{word('full_stop', lang)}",
            site.scheduled([review["min_working_days"], review["max_working_days"]], site.review_on(lang), lang),
            "", labelled("statutory", lang, joined([
                _anchor(h["id"]) + parenthesised(text(h["name"][lang]), word("days", lang, n=h["days"]), lang)
                for h in review["statutory_holidays"]], lang)),
            "", source_words(review, lang),
            text(review["notification"][lang]), "", site.ref(review["ref"], lang), "",
            site.assumptions_for(review["id"], lang), calendar(site, lang)]
    return "\n".join(out) + "\n"


def calendar(site: Site, lang: str, level: int = 3) -> str:
    """Each holiday schedule entered from the State Council's notice (policy/calendar.yaml), with its
    source: its holidays, its make-up working days and, when given, the notice's words."""
    schedules = sorted(site.doc.get("calendar", {}).get("schedules", []), key=lambda s: s["year"])
    out = [_anchor_heading(level, word("calendar_heading", lang), "calendar"),
           word("calendar_intro" if schedules else "calendar_none", lang), ""]
    for schedule in schedules:
        notice = schedule["source"]
        out += [_anchor_heading(level + 1, word("calendar_year", lang, year=schedule["year"]), f"calendar-{schedule['year']}"),
                f"{label('source', lang)}[{text(notice['title'])}]({link_target(notice['url'])}) · "
                f"{label('published', lang)}{notice['published_on']}", "",
                f"| {word('calendar_holiday', lang)} | {word('calendar_days_off', lang)} |", "|---|---|"]
        out += [f"| {text(h['name'][lang])} | "
                + (h["from"] if h["from"] == h["to"] else word("days_from_to", lang, first=h["from"], last=h["to"])) + " |"
                for h in schedule["holidays"]]
        makeup = joined(schedule["makeup_working_days"], lang) or word("makeup_none", lang)
        out += ["", labelled("makeup_days", lang, makeup), ""]
        if schedule.get("quote"):
            out.append(source_words(schedule, lang))
    return "\n".join(out) + "\n"


def fees_mode(site: Site, lang: str) -> str:
    mode = site.doc["fees"]["mode"]
    return "\n".join([_anchor_heading(2, text(mode["name"][lang]), mode["id"]), source_words(mode, lang),
                      text(mode["only_mode"][lang]), "", text(mode["text"][lang]), "", site.ref(mode["ref"], lang), "",
                      site.assumptions_for(mode["id"], lang)])


def fees_deposit(site: Site, lang: str) -> str:
    deposit = site.doc["fees"]["deposit"]
    shown = site.schedule([deposit["amount"]], site.deposit_on(lang), lang)
    return "\n".join([_anchor_heading(2, text(deposit["name"][lang]), deposit["id"]), source_words(deposit, lang),
                      text(deposit["text"][lang]), "",
                      f"**{label('deposit_amount', lang)}{shown}**", "", site.ref(deposit["ref"], lang), "",
                      site.assumptions_for(deposit["id"], lang)])


def fees_platform(site: Site, lang: str) -> str:
    fee = site.doc["fees"]["platform_fee"]
    rounding = site.doc["fees"]["rounding"]
    body = md_format(fee["text"][lang], rate=f"**{site.rate_percent()}**")
    return "\n".join([_anchor_heading(2, text(fee["name"][lang]), fee["id"]), source_words(fee, lang), body, "",
                      site.scheduled([fee["rate"]], site.rate_on, lang), site.ref(fee["ref"], lang), "",
                      site.assumptions_for(fee["id"], lang),
                      _anchor(rounding["id"]), ""])


def fees_invoicing(site: Site, lang: str) -> str:
    items = site.doc["fees"]["invoicing"]
    out = []
    out += [_quoted_item("-", item, lang) for item in items]
    out += ["", site.ref(items[0]["ref"], lang), "", invoice_diagram(site, lang), "",
            site.assumptions_for(items[0]["id"], lang)]
    return "\n".join(out) + "\n"


def invoice_diagram(site: Site, lang: str) -> str:
    """The invoices the source states, as an inline SVG (no script, no external asset). It draws no
    payment: the source does not say whom the user pays or how the commission is collected."""
    rate = site.rate_percent()
    t = {key: word("diagram_" + key, lang, rate=rate) if key == "caption" else word("diagram_" + key, lang)
         for key in ("user", "provider", "platform", "user_inv", "fee_inv", "title", "caption")}
    svg = f"""<svg viewBox="0 0 760 170" role="img" aria-labelledby="invoice-flow-title" xmlns="http://www.w3.org/2000/svg">
<title id="invoice-flow-title">{escape(t['title'])}</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>
<g font-size="14" fill="currentColor" stroke="currentColor">
<rect x="10" y="50" width="130" height="60" rx="8" fill="none"/><text x="75" y="85" text-anchor="middle" stroke="none">{escape(t['user'])}</text>
<rect x="315" y="50" width="130" height="60" rx="8" fill="none"/><text x="380" y="85" text-anchor="middle" stroke="none">{escape(t['provider'])}</text>
<rect x="590" y="50" width="160" height="60" rx="8" fill="none"/><text x="670" y="85" text-anchor="middle" stroke="none">{escape(t['platform'])}</text>
<line x1="315" y1="80" x2="142" y2="80" marker-end="url(#arrow)" stroke-dasharray="5 4"/><text x="228" y="135" text-anchor="middle" stroke="none">{escape(t['user_inv'])}</text>
<line x1="590" y1="80" x2="447" y2="80" marker-end="url(#arrow)" stroke-dasharray="5 4"/><text x="517" y="135" text-anchor="middle" stroke="none">{escape(t['fee_inv'])}</text>
</g></svg>"""
    return f'<figure class="invoice-flow" markdown="0">\n{svg}\n<figcaption>{t["caption"]}</figcaption>\n</figure>'



def fees_waiver(site: Site, lang: str) -> str:
    waiver = site.doc["fees"]["waiver"]
    years = site.at(waiver["years"])
    return "\n".join([_anchor_heading(2, text(waiver["name"][lang]), waiver["id"]), source_words(waiver, lang),
                      md_format(waiver["text"][lang], years=f"**{years}**", period=f"**{word('years', lang, n=years)}**"), "",
                      site.scheduled([waiver["years"]], site.waiver_on(lang), lang), site.ref(waiver["ref"], lang), "",
                      site.assumptions_for(waiver["id"], lang)])


def _example_orders() -> tuple[str | None, list[dict[str, str]]]:
    from calculators.csv_io import read_orders_csv

    orders, _, _ = read_orders_csv((EXAMPLES / "orders.csv").read_text(encoding="utf-8"))
    return "2026-01-10", orders


def fees_example(site: Site, lang: str) -> str:
    """The example orders' fee table as the calculator shows it: its display model's table
    (calculators/display.py), its headings, rows and totals, as Markdown."""
    onboarded_on, orders = _example_orders()
    result = calculate_fees({"onboarded_on": onboarded_on, "orders": orders}, lang=lang, policy=site.policy,
                            today=site.today)
    table = next(block for block in display("fees", result, lang)["blocks"] if block["kind"] == "table")
    first, *totals = table["totals"]
    lines = [word("fees_example_intro", lang, onboarded_on=onboarded_on), "",
             "| " + " | ".join(text(capital(heading)) for heading in table["headings"]) + " |",
             "|---|---|" + "---:|" * (len(table["headings"]) - 2)]
    lines += ["| " + " | ".join(text(cell) for cell in row) + " |" for row in table["rows"]]
    lines.append(f"| **{text(first)}** | " + " | ".join(text(cell) for cell in totals) + " |")
    return "\n".join(lines) + "\n\n" + net_of_fee_note(lang)


def net_of_fee_note(lang: str) -> str:
    """What the last column is and is not: the source states no flow of money."""
    return word("net_of_fee_note", lang) + "\n"


def affected_name(site: Site, name: str, lang: str) -> str:
    """An input field or result as the calculator page names it: an eligibility field by its label in
    the policy, any other by the word calculators/contract.py declares for it."""
    fields = {f["name"]: f for f in site.policy.fields}
    shown = fields[name]["label"][lang] if name in fields else word(named_by(name), lang)
    return parenthesised(md_escape(shown), f"`{name}`", lang)


def readings_for(calculator: str) -> Callable[[Site, str], str]:
    """The fragment under a calculator: every reading and assumption that changes its answer, open,
    each naming the fields and results it affects and linking to the assumptions page."""
    def fragment(site: Site, lang: str) -> str:
        out = [_anchor_heading(2, word("readings", lang), "readings"), word("readings_intro", lang), ""]
        for assumption in site.doc["assumptions"]:
            names = assumption.get("affects", {}).get(calculator)
            if not names:
                continue
            listed = joined([affected_name(site, n, lang) for n in names], lang)
            block = status_block(assumption, lang)
            out.append(block.rstrip("\n") + f"\n\n    **{word('affects', lang)}**{colon(lang)}{listed}\n")
        return "\n".join(out)
    return fragment


def assumptions(site: Site, lang: str) -> str:
    out = []
    for kind in ("unknown", "assumption", "reading"):
        out.append(_anchor_heading(2, word(f"kind_{kind}", lang), f"kind-{kind}"))
        for a in (a for a in site.doc["assumptions"] if a["kind"] == kind):
            out.append(_anchor_heading(3, text(a["title"][lang]), a["id"]))
            out.append(text(a["text"][lang]) + "\n")
            targets = [site.link(t, site.names[t][lang]) for t in a["applies_to"]]
            out.append(labelled("qualifies", lang, joined(targets, lang)) + "\n")
    return "\n".join(out)


def changelog(site: Site, lang: str) -> str:
    """Each version's hand-written entry, and beside it the changes generated from the policies (this one
    against the previous version's, as git last recorded each; the first version has none)."""
    generated = _generated_changes(site, lang)
    out = []
    for index, entry in enumerate(site.doc["changelog"]):
        out.append(_anchor_heading(2, entry["version"], "v" + entry["version"].replace(".", "-")))
        out.append(f"{label('published', lang)}{entry['published_on']} · {label('effective', lang)}{entry['effective_from']}\n")
        out += [f"- {text(change[lang])}" for change in entry["changes"]]
        out.append("")
        if index == len(site.doc["changelog"]) - 1:
            continue
        lines = generated.get(entry["version"])
        out.append(f'???+ note "{word("change_generated", lang)}"')
        if lines is None:
            out.append(f"    {capital(word('change_unavailable', lang))}\n")
        else:
            out += [f"    - {text(line)}" for line in lines] or [f"    {capital(word('change_nothing', lang))}"]
            out.append("")
    return "\n".join(out)


def _generated_changes(site: Site, lang: str) -> dict[str, list[str]]:
    """version -> its changes from the version below it in the changelog; {} without the git history."""
    from .policy_diff import policy_changes
    from .policy_release import NoRelease, released_policies

    try:
        released = released_policies()
    except NoRelease:
        return {}
    released[site.doc["meta"]["version"]] = site.doc  # the version being built is the policy as it stands
    versions = [entry["version"] for entry in site.doc["changelog"]]
    return {new: policy_changes(released[old], released[new], lang)
            for new, old in zip(versions, versions[1:], strict=False) if new in released and old in released}


def sources(site: Site, lang: str) -> str:
    """Each source: its title and address, what it is, when it was published (an announcement or a
    notice) and the day its kept text was taken."""
    def line(s: dict[str, Any]) -> str:
        dates = ([word("source_published", lang, day=s["published_on"])] if s.get("published_on") else []) \
            + [word("text_taken", lang, day=s["text"]["taken_on"])]
        return (f"- {_anchor(s['id'])}[{text(s['title'][lang])}]({link_target(s['url'])})"
                + (word("inferred", lang) if s["title_inferred"] else "")
                + parenthesised("", joined([word(f"source_{s['kind']}", lang), *dates], lang, "semicolon"), lang))
    lines = [line(s) for s in site.doc["sources"]]
    ids = {s["id"] for s in site.doc["sources"]}
    blocks = [status_block(a, lang) for a in site.doc["assumptions"] if set(a["applies_to"]) & ids]
    return "\n".join(lines) + "\n\n" + "\n".join(blocks)


def fields_table(site: Site, lang: str) -> str:
    lines = [f"| {word('field', lang)} | {word('type', lang)} | {word('required', lang)} | {word('meaning', lang)} |",
             "|---|---|---|---|"]
    for field in [*site.policy.fields, AS_OF]:
        kind = word("type_" + field["type"], lang)
        if "minimum" in field or "maximum" in field:
            kind = parenthesised(kind, f"{field.get('minimum', '')}–{field.get('maximum', '')}", lang)
        required = word("mark_yes", lang) if field["required"] else word("optional", lang)
        meaning = word(field["meaning"], lang) if "meaning" in field else text(field["label"][lang])
        lines.append(f"| `{field['name']}` | {kind} | {required} | {meaning} |")
    return "\n".join(lines) + "\n"


def _json_block(value: Any) -> str:
    return "```json\n" + json.dumps(value, ensure_ascii=False, indent=2) + "\n```\n"


def example_outputs(site: Site, lang: str) -> dict[str, str]:
    """The examples/ inputs and what the calculators answer, for the data page."""
    eligibility_input = json.loads((EXAMPLES / "eligibility.json").read_text(encoding="utf-8"))
    review_input = json.loads((EXAMPLES / "review.json").read_text(encoding="utf-8"))
    eligibility = contract(check_eligibility(eligibility_input, lang=lang, policy=site.policy))
    eligibility["categories"] = {"basic_software": eligibility["categories"]["basic_software"], "…": "…"}
    onboarded_on, orders = _example_orders()
    fees = calculate_fees({"onboarded_on": onboarded_on, "orders": orders[:1]}, lang=lang, policy=site.policy)
    return {
        "example-eligibility-input": _json_block(eligibility_input),
        "example-eligibility-output": _json_block(eligibility),
        "example-fees-input": _json_block({"onboarded_on": onboarded_on, "orders": orders[:1]}),
        "example-fees-output": _json_block(fees),
        "example-review-input": _json_block(review_input),
        "example-review-output": _json_block(estimate_review(review_input, lang=lang, policy=site.policy)),
    }


FRAGMENTS: dict[str, Callable[[Site, str], str]] = {
    "meta": meta, "key-figures": key_figures, "markets-overview": markets_overview,
    "provider-list": provider_list, "conditions-provider": conditions_provider,
    "conditions-market": conditions_market, "markets": markets, "matrix": matrix, "process": process,
    "fees-mode": fees_mode, "fees-deposit": fees_deposit, "fees-platform": fees_platform,
    "fees-invoicing": fees_invoicing, "fees-waiver": fees_waiver, "fees-example": fees_example,
    "assumptions": assumptions, "changelog": changelog, "sources": sources, "fields": fields_table,
    "readings-eligibility": readings_for("eligibility"), "readings-fees": readings_for("fees"),
    "readings-review": readings_for("review"), "calendar": lambda site, lang: calendar(site, lang, 2),
}


TOKEN = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def substitute(text: str, words: dict[str, str], where: str) -> str:
    """Replace each {{ name }} in a hand-written page by the policy's figure or phrase; an unknown name
    is an error naming the page (a typo must not reach the site as braces)."""
    def replace(match: re.Match[str]) -> str:
        if match.group(1) not in words:
            raise KeyError(f"{where}: unknown {{{{ {match.group(1)} }}}}; the names are: {', '.join(sorted(words))}")
        return words[match.group(1)]

    return TOKEN.sub(replace, text)


def generate(document: dict[str, Any] | None = None, out: Path = SNIPPETS, today: dt.date | None = None,
             assets: dict[str, Any] | None = None) -> list[Path]:
    """Write every fragment in both languages; returns the files written.

    `assets` names the runtime and wheel URLs the calculator forms load (see site_assets).
    """
    assets = assets or {"runtime": "pyodide/", "wheels": []}
    document = document or compile_policy()
    site = Site(document, today or dt.date.today())
    written = []
    for lang in LANGS:
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        fragments = {name: make(site, lang) for name, make in FRAGMENTS.items()}
        fragments.update(example_outputs(site, lang))
        form_assets = {**assets, "version": site.policy.version}  # printed with a result
        fragments.update({name: make_form(site.policy, lang, form_assets) for name, make_form in FORMS.items()})
        for name, body in fragments.items():
            path = folder / f"{name}.md"
            write_if_changed(path, body)
            written.append(path)
        words = folder / WORDS_FILE
        write_if_changed(words, json.dumps(site.words(lang), ensure_ascii=False, indent=1))
        written.append(words)
    return written


def main() -> int:
    written = generate()
    print(f"{len(written)} fragments in {SNIPPETS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
