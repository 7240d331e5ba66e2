"""The policy's semantic rules, one function each, and RULES, the table of them the validator runs.

What the schema cannot say: unique ids, references that resolve, dates in order, quotes verbatim in
their kept texts, a sound changelog. The validator runs the rules in order once the schema has
nothing to refuse."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Iterator
from typing import Any

from calculators.contract import CONTRACTS, affectable
from calculators.kinds import KINDS, condition_fields
from calculators.policy import is_dated, plain
from scripts.policy.assumption_check import value_problems
from scripts.policy.calendar_check import calendar_problems
from scripts.policy.policy_load import MAX_FILE_BYTES, OPTIONAL, Path_, Problem, Source, dotted, shown
from scripts.policy.quotes import Quote, cited_quotes, first_difference, kept_text_path, missing_quotes

__all__ = ["AFFECTABLE", "RULES", "dated_days", "semantic_problems", "walk"]

LOCATED_QUOTES = 10  # missing quotes whose refusal says where they part from the text

ProblemAt = Callable[[Path_, str], Problem]  # a problem at a key of the document: file and line found for it
Rule = Callable[[Source, ProblemAt], Iterator[Problem]]


def walk(value: Any, where: Path_) -> Iterator[tuple[Path_, Any]]:
    """Every value of the document with its path, the document itself first."""
    yield where, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, where + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, where + (index,))


def _ids(doc: dict[str, Any]) -> dict[str, Path_]:
    """Each id of the policy with the path of its first use; a market's list of conditions refers to ids
    (its items are no ids of their own)."""
    ids: dict[str, Path_] = {}
    for where, value in walk(doc, ()):
        placed = len(where) >= 3 and where[0] == "markets" and where[-3] == "conditions"  # a reference
        if where and where[-1] == "id" and isinstance(value, str) and not placed and value not in ids:
            ids[value] = where
    return ids


def unique_ids(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """Ids are unique across the whole policy: they are page anchors too."""
    ids: dict[str, Path_] = {}
    for where, value in walk(source.document, ()):
        placed = len(where) >= 3 and where[0] == "markets" and where[-3] == "conditions"  # a reference
        if where and where[-1] == "id" and isinstance(value, str) and not placed:
            if value in ids:
                first_file, first_line = source.locate(ids[value])
                yield problem(where, f"the id '{value}' is already used ({first_file}:{first_line}); "
                              "ids must be unique")
            else:
                ids[value] = where


def dates_in_order(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """A dated value's days ascend, oldest first."""
    for where, value in walk(source.document, ()):
        if is_dated(value):
            keys = list(value)
            if keys != sorted(keys):
                yield problem(where, "dated values must be in date order, oldest first: " + ", ".join(keys))


def _criteria(source: Source) -> dict[str, Any]:
    return source.document.get("criteria", {})


def _conditions(source: Source) -> dict[str, Any]:
    return {c.get("id"): c for c in _criteria(source).get("conditions", []) if isinstance(c, dict)}


def field_groups(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """Each input field belongs to one of the declared groups."""
    criteria = _criteria(source)
    groups = {g.get("id") for g in criteria.get("groups", []) if isinstance(g, dict)}
    for index, field in enumerate(criteria.get("fields", [])):
        if isinstance(field, dict) and field.get("group") not in groups:
            yield problem(("criteria", "fields", index, "group"),
                          f"the group '{field.get('group')}' is not one of the groups: {', '.join(sorted(groups))}")


def condition_fields_and_texts(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """Each condition reads declared fields of the types its kind needs, and its text uses only the
    placeholders of its kind, plain, showing the figure."""
    criteria = _criteria(source)
    fields = {f.get("name"): f for f in criteria.get("fields", []) if isinstance(f, dict)}
    for index, condition in enumerate(criteria.get("conditions", [])):
        if not isinstance(condition, dict):
            continue
        base = ("criteria", "conditions", index)
        kind = KINDS.get(condition.get("kind", ""))
        for key, name in condition_fields(condition):
            needed = kind.fields.get(key) if kind else None
            if name not in fields:
                yield problem(base + (key,), f"the field '{name}' is not declared under criteria.fields")
            elif needed and fields[name].get("type") != needed:
                yield problem(base + (key,), f"a {kind.name} condition needs a {needed} field in {key}; "
                              f"'{name}' is {fields[name].get('type')}")
        yield from (problem(base + ("text",) + w, m) for w, m in _template_problems(condition))


def _template_problems(condition: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    kind = KINDS.get(condition.get("kind", ""))
    allowed = kind.placeholders if kind else frozenset()
    for lang, text in (condition.get("text") or {}).items():
        if not isinstance(text, str):
            continue
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                      if name is not None]
        except ValueError as error:
            yield (lang,), f"the text has a broken {{placeholder}}: {error}"
            continue
        used = {name for name, _, _ in fields}
        for name, spec, conversion in fields:
            if spec or conversion:  # {threshold:>300000000} would pad the page with 300 million spaces
                shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                yield (lang,), (f"the placeholder {{{shown[:40]}}} has a format; write it plain as {{{name[:40]}}}"
                                " (the figure is formatted by its kind)")
        for name in sorted(used - allowed):
            yield (lang,), f"the placeholder {{{name}}} is not available here; use " + (
                ", ".join("{" + n + "}" for n in sorted(allowed)) or "no placeholder")
        if kind and "threshold" in condition and not used & kind.figure:
            yield (lang,), "the text must show the figure: use " + " or ".join(
                "{" + n + "}" for n in sorted(kind.figure))


def source_refs(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """Each ref names a source listed in sources.yaml."""
    sources = {s.get("id") for s in source.document.get("sources", []) if isinstance(s, dict)}
    for where, value in walk(source.document, ()):
        if where and where[-1] == "ref" and isinstance(value, dict) and value.get("source") not in sources:
            yield problem(where + ("source",), f"the source '{value.get('source')}' is not listed in sources.yaml")


def placed_conditions(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """The provider's and each market's list of conditions names condition ids, each placed on days the
    condition applies."""
    conditions = _conditions(source)
    markets_doc = source.document.get("markets", {})
    lists = [(("markets", "provider", "conditions"), markets_doc.get("provider", {}).get("conditions", []))]
    lists += [(("markets", "markets", i, "conditions"), m.get("conditions", []))
              for i, m in enumerate(markets_doc.get("markets", [])) if isinstance(m, dict)]
    for where, names in lists:
        for position, item in enumerate(names if isinstance(names, list) else []):
            name = item.get("id") if isinstance(item, dict) else item
            if name not in conditions:
                yield problem(where + (position,), f"'{name}' is not a condition id in criteria.yaml")
            else:
                yield from _window_problems(conditions[name], item, where + (position,), problem)


def condition_spans(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """A condition applies from a day no later than the day it applies to."""
    for index, condition in enumerate(_criteria(source).get("conditions", [])):
        if isinstance(condition, dict) and condition.get("from", "") > condition.get("to", "9999"):
            yield problem(("criteria", "conditions", index, "to"), f"'{condition['to']}' is before from "
                          f"'{condition['from']}'; write the first day the condition applies in from, the last in to")


def market_keys(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """Each market's key is its own."""
    keys: dict[str, int] = {}
    for index, market in enumerate(source.document.get("markets", {}).get("markets", [])):
        if isinstance(market, dict) and market.get("key") in keys:
            yield problem(("markets", "markets", index, "key"), f"the key '{market.get('key')}' is used twice")
        elif isinstance(market, dict):
            keys[market.get("key")] = index


def assumptions_apply_to_facts(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """What an assumption qualifies is the id of a fact."""
    ids = _ids(source.document)
    for index, assumption in enumerate(source.document.get("assumptions", [])):
        for position, target in enumerate(assumption.get("applies_to", []) if isinstance(assumption, dict) else []):
            if target not in ids:
                yield problem(("assumptions", index, "applies_to", position), f"'{target}' is not the id of any fact")


def charges(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """The fees' list of charges names the charges of fees.yaml."""
    fees_doc = source.document.get("fees", {})
    charge_ids = {fees_doc[k].get("id") for k in ("deposit", "platform_fee") if isinstance(fees_doc.get(k), dict)}
    for position, charge in enumerate(fees_doc.get("charges", []) if isinstance(fees_doc.get("charges"), list) else []):
        if charge not in charge_ids:
            yield problem(("fees", "charges", position), f"'{charge}' is not a charge of fees.yaml; the charges are: "
                          + ", ".join(sorted(str(c) for c in charge_ids)))


def assumption_affects(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """What an assumption `affects` is an input or a result of the calculator it names."""
    yield from _affects_problems(source.document, problem)


def holiday_calendar(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """Each holiday schedule of calendar.yaml is sound (scripts/policy/calendar_check.py)."""
    yield from calendar_problems(source.document.get("calendar", OPTIONAL["calendar"]), problem,
                                 lambda where: source.locate(where)[1])


def assumption_values(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """The dated values an assumption names exist (scripts/policy/assumption_check.py)."""
    yield from value_problems(source.document, problem)


def review_days(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """On each day, the review's minimum working days is not above its maximum."""
    review = source.document.get("process", {}).get("review", {})
    if isinstance(review, dict):
        for day in set(review.get("min_working_days", {})) & set(review.get("max_working_days", {})):
            if plain(review["min_working_days"][day]) > plain(review["max_working_days"][day]):
                yield problem(("process", "review", "min_working_days", day),
                              "the minimum working days is larger than the maximum")


def newest_changelog_entry(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """The newest changelog entry is the policy's version (meta.yaml)."""
    meta, changelog = source.document.get("meta", {}), source.document.get("changelog", [])
    if isinstance(changelog, list) and changelog and isinstance(changelog[0], dict) and isinstance(meta, dict) \
            and changelog[0].get("version") != meta.get("version"):
        yield problem(("changelog", 0, "version"), f"the newest changelog entry must be for version "
                      f"{meta.get('version')} (meta.yaml); add an entry describing this change")


def changelog_history(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """The changelog's versions, effective dates and publication days (as of today)."""
    yield from _changelog_problems(source.document, problem, dt.date.today())


def _version(text: Any) -> tuple[int, ...]:
    return tuple(int(part) for part in str(text).split(".")) if _VERSION.fullmatch(str(text)) else ()


_VERSION = re.compile(r"[0-9]+(\.[0-9]+)*")


def dated_days(value: Any) -> set[str]:
    """Every day on which some dated value of the policy takes a value."""
    days: set[str] = set()
    for _, item in walk(value, ()):
        if is_dated(item):
            days |= set(item)
    return days


def _changelog_problems(doc: dict[str, Any], problem: ProblemAt, today: dt.date) -> Iterator[Problem]:
    """Versions newest first and only increasing, none twice; each entry takes effect on a day some value
    changes (the first version excepted); none published after today."""
    changelog = doc.get("changelog", [])
    entries = [(i, e) for i, e in enumerate(changelog) if isinstance(e, dict)] if isinstance(changelog, list) else []
    seen: dict[str, int] = {}
    days = dated_days({key: value for key, value in doc.items() if key != "changelog"})
    for index, entry in entries:
        version = str(entry.get("version"))
        if version in seen:
            yield problem(("changelog", index, "version"),
                          f"version {version} already has an entry (changelog[{seen[version]}]); "
                          "each version has one entry: merge the two, or give this one a new version")
            continue
        seen[version] = index
        older = next((e for i, e in entries if i > index and str(e.get("version")) != version), None)
        if older is not None and _version(version) <= _version(older.get("version")):
            yield problem(("changelog", index, "version"),
                          f"version {version} is not higher than {older.get('version')}, the entry below it; "
                          "entries are newest first and versions only increase")
        effective = entry.get("effective_from")
        if index != len(changelog) - 1 and effective not in days:
            shown = ", ".join(sorted(d for d in days if d >= str(entry.get("published_on", "")))[:5]) or "none"
            yield problem(("changelog", index, "effective_from"),
                          f"no value of the policy changes on {effective}; set it to the date its new values take "
                          f"effect (a date key of a dated value, such as {shown})")
        published = entry.get("published_on")
        if isinstance(published, str) and published > today.isoformat():
            yield problem(("changelog", index, "published_on"),
                          f"{published} is in the future; set it to the day the version is published "
                          f"(today is {today.isoformat()})")


def _window_problems(condition: dict[str, Any], item: Any, where: Path_, problem: ProblemAt) -> Iterator[Problem]:
    """A condition placed in a list from and/or to a date: a sound span, on days the condition applies."""
    if not isinstance(item, dict):
        return
    if item.get("from", "") > item.get("to", "9999"):
        yield problem(where + ("to",), f"'{item['to']}' is before from '{item['from']}'; write the first day the "
                      "condition applies in this list in from, the last in to")
        return
    starts = max(d for d in (condition.get("from"), item.get("from"), "") if d is not None)
    ends = min(d for d in (condition.get("to"), item.get("to"), "9999") if d is not None)
    if starts > ends:
        yield problem(where, f"the condition '{item.get('id')}' would never apply here: its place runs "
                      f"{item.get('from', '…')} to {item.get('to', '…')}, the condition itself "
                      f"{condition.get('from', '…')} to {condition.get('to', '…')} (criteria.yaml)")


# What an assumption's `affects` may name besides the eligibility input fields: the calculators'
# other inputs and their JSON result keys (the public contract), as calculators/contract.py declares them.
AFFECTABLE = {calculator: affectable(calculator) for calculator in CONTRACTS}


def _affects_problems(doc: dict[str, Any], problem: ProblemAt) -> Iterator[Problem]:
    fields = {f.get("name") for f in doc.get("criteria", {}).get("fields", []) if isinstance(f, dict)}
    for index, assumption in enumerate(doc.get("assumptions", [])):
        affects = assumption.get("affects", {}) if isinstance(assumption, dict) else {}
        for calculator, names in affects.items():
            known = AFFECTABLE[calculator] | (fields if calculator == "eligibility" else set())
            for position, name in enumerate(names):
                if name not in known:
                    yield problem(("assumptions", index, "affects", calculator, position),
                                  f"'{name}' is not an input or result of the {calculator} calculator; "
                                  f"known: {', '.join(sorted(known))}")


def quotes_in_kept_texts(source: Source, problem: ProblemAt) -> Iterator[Problem]:
    """Every source's kept text exists, under its name and date; every quote stands verbatim (line
    breaks aside) in the kept text of the source it cites."""
    texts: dict[str, tuple[str, str]] = {}  # source id -> (file shown, text)
    for index, entry in enumerate(source.document.get("sources", [])):
        name, taken_on = entry["text"]["file"], entry["text"]["taken_on"]
        where = ("sources", index, "text")
        path = kept_text_path(entry, source.directory)
        if not name.endswith(f"-{taken_on}.txt"):
            yield problem(where + ("file",), f"the file name must end with the day its text was taken ({taken_on}): "
                          f"for example sources/{entry['id']}-{taken_on}.txt")
        elif path.is_symlink() or not path.resolve().is_relative_to(source.directory.resolve()):
            yield problem(where + ("file",), f"the kept text policy/{name} is a symbolic link or lies outside policy/ "
                          "(it was not read); keep the text as a regular file under policy/sources/")
        elif not path.is_file():
            yield problem(where + ("file",), f"the kept text policy/{name} does not exist; save the source's text, "
                          f"as taken on {taken_on}, in that file")
        elif path.stat().st_size > MAX_FILE_BYTES:
            yield problem(where + ("file",), f"the kept text policy/{name} is larger than {MAX_FILE_BYTES // 1024} KB; "
                          "keep only the text of the source")
        else:
            try:
                texts[entry["id"]] = (f"policy/{name}", path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                yield problem(where + ("file",), f"the kept text policy/{name} is not UTF-8 text")
    by_text: dict[str, list[Quote]] = {}
    for quote in cited_quotes(source.document):
        if quote.source in texts:
            by_text.setdefault(quote.source, []).append(quote)
    located = 0  # where a missing quote parts from its text, said for the first few (a search each)
    for cited, quotes in by_text.items():
        kept, text = texts[cited]
        for quote in missing_quotes(quotes, text):
            parted = first_difference(quote.text, text) if located < LOCATED_QUOTES else ()
            located += 1
            where_parted = ("" if parted == () else
                            f"; it agrees with the text up to {parted[0]!r}, where the text goes on "
                            f"{parted[1]!r}" if parted and parted[1] else
                            f"; the text ends after {parted[0]!r}" if parted else
                            "; not even its first words stand in that text (the wrong source?)")
            yield problem(quote.where, f"this quote is not in the source text {kept} of {cited} "
                          f"(it must be verbatim, line breaks aside): {shown(quote.text)}{where_parted}")


# The rules in the order their refusals are listed.
RULES: tuple[Rule, ...] = (
    unique_ids, dates_in_order, field_groups, condition_fields_and_texts, source_refs, placed_conditions,
    condition_spans, market_keys, assumptions_apply_to_facts, charges, assumption_affects, quotes_in_kept_texts,
    holiday_calendar, assumption_values, review_days, newest_changelog_entry, changelog_history,
)


def semantic_problems(source: Source) -> Iterator[Problem]:
    """Every refusal of every rule, each located at its file and line."""
    def problem(where: Path_, message: str) -> Problem:
        file, line = source.locate(where)
        return Problem(file, line, dotted(where), message)

    for rule in RULES:
        yield from rule(source, problem)
