"""The registry of condition kinds and input field types: what each takes, shows and how it is checked.

A kind names the condition keys that hold its fields (and the field type each needs), the
{placeholders} its text may use, how it is evaluated and the catalogue messages its reasons use.
A field type names its JSON type, how the input is read and checked, and its form control.
Policy validation, the forms, the pages and the eligibility calculator all read this registry;
adding a kind means adding it here and to the schema's `oneOf` (policy/schema.json).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .inputs import Reader
from .messages import joined, word
from .periods import holds_from

__all__ = ["AS_OF", "FIELD_TYPES", "KINDS", "FieldType", "Kind", "Outcome", "condition_fields", "input_fields"]

# (met, the day it holds from or None, the reason in the user's language)
Outcome = tuple[bool, "dt.date | None", str]


@dataclass(frozen=True)
class FieldType:
    """An input field's type: its JSON type, how it is read and checked, its form control."""

    name: str
    json_type: str  # the JSON Schema type of the value in the calculators' input
    read: Callable[[Reader, dict[str, Any], dict[str, Any]], Any]  # (reader, field, values read so far)
    control: str  # the form control: "yes_no", "date", "numeric", "decimal" or "text"
    policy: bool = True  # a type the policy's criteria.fields may declare


def _limit(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


FIELD_TYPES: dict[str, FieldType] = {t.name: t for t in (
    FieldType("bool", "boolean", lambda r, f, v: r.boolean(f["name"], f["required"]), "yes_no"),
    FieldType("date", "string", lambda r, f, v: r.date(
        f["name"], f["required"], v.get("as_of") if f.get("not_after_as_of") else None), "date"),
    FieldType("integer", "integer", lambda r, f, v: r.integer(
        f["name"], f["required"], f.get("minimum"), f.get("maximum")), "numeric"),
    FieldType("number", "number", lambda r, f, v: r.number(
        f["name"], f["required"], _limit(f.get("minimum")), _limit(f.get("maximum"))), "decimal"),
    FieldType("money", "string", lambda r, f, v: r.money(f["name"], f["required"]), "decimal", policy=False),
)}

# The pseudo-field every eligibility input may carry besides the policy's fields: the day to
# evaluate (today in China when absent). Read first: other dates may not be after it.
AS_OF: dict[str, Any] = {"name": "as_of", "type": "date", "required": False, "meaning": "as_of_meaning",
                         "label": "as_of_label"}


def input_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every field of the eligibility input in reading order: `as_of`, then the policy's fields."""
    return [AS_OF, *fields]


@dataclass(frozen=True)
class Kind:
    """A condition kind: the keys naming its fields, its placeholders, its evaluation, its messages."""

    name: str
    fields: dict[str, str]  # condition key -> field type it needs ("fields" holds a list of names)
    placeholders: frozenset[str]  # what its text may use
    figure: frozenset[str]  # placeholders showing the figure: a text with a threshold uses one
    evaluate: Callable[[dict[str, Any], dict[str, Any], Any, str, Callable[[str], str], str], Outcome]
    messages: tuple[str, ...]  # catalogue keys of its reasons
    threshold: bool = True  # whether it has a dated threshold (and a comparison word)
    text_params: Callable[[Any, str], dict[str, Any]] = lambda threshold, lang: {}


def condition_fields(condition: dict[str, Any]) -> list[tuple[str, str]]:
    """(condition key, field name) for every field a condition checks, as its kind declares them."""
    kind = KINDS.get(condition.get("kind", ""))
    named = []
    for key in kind.fields if kind else ("field", "fields", "days_field", "hours_field"):
        value = condition.get(key)
        named += [(key, name) for name in value] if isinstance(value, list) else [(key, value)] if key in condition \
            else []
    return named


def _attestation(condition: dict[str, Any], values: dict[str, Any], threshold: Any, word_: str,
                 label: Callable[[str], str], lang: str) -> Outcome:
    answer = values[condition["field"]]
    met = answer is True
    return met, None, word("not_answered" if answer is None else "attested" if met else "not_attested", lang)


def _any_of(condition: dict[str, Any], values: dict[str, Any], threshold: Any, word_: str,
            label: Callable[[str], str], lang: str) -> Outcome:
    fields = condition["fields"]
    chosen = [name for name in fields if values[name] is True]
    if chosen:
        return True, None, word("any_of_met", lang, which=joined([label(n) for n in chosen], lang, "semicolon"))
    if all(values[name] is None for name in fields):
        return False, None, word("not_answered", lang)
    return False, None, word("any_of_unmet", lang, which=joined([label(n) for n in fields], lang, "semicolon"))


def _min_count(condition: dict[str, Any], values: dict[str, Any], threshold: Any, word_: str,
               label: Callable[[str], str], lang: str) -> Outcome:
    value = values[condition["field"]]
    met = value >= threshold
    return met, None, word("count_met" if met else "count_unmet", lang, value=value, threshold=threshold,
                              word=word_)


def _min_years(condition: dict[str, Any], values: dict[str, Any], threshold: Any, word_: str,
               label: Callable[[str], str], lang: str) -> Outcome:
    start = values[condition["field"]]
    try:
        met_from = holds_from(start, threshold)
    except OverflowError:
        return False, None, word("years_never", lang, start=start.isoformat(), threshold=threshold)
    met = met_from <= values["as_of"]
    return met, met_from, word("years_met" if met else "years_unmet", lang, start=start.isoformat(),
                                  threshold=threshold, met_from=met_from.isoformat())


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _coverage(condition: dict[str, Any], values: dict[str, Any], threshold: Any, word_: str,
              label: Callable[[str], str], lang: str) -> Outcome:
    days, hours = values[condition["days_field"]], values[condition["hours_field"]]
    met = days >= threshold["days"] and hours >= Decimal(str(threshold["hours"]))
    return met, None, word("coverage_met" if met else "coverage_unmet", lang, days=days, hours=_plain(hours),
                              need_days=threshold["days"], need_hours=threshold["hours"], word=word_)


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("attestation", {"field": "bool"}, frozenset(), frozenset(), _attestation,
         ("not_answered", "attested", "not_attested"), threshold=False),
    Kind("any_of", {"fields": "bool"}, frozenset(), frozenset(), _any_of,
         ("not_answered", "any_of_met", "any_of_unmet"), threshold=False),
    Kind("min_count", {"field": "integer"}, frozenset({"threshold", "word"}), frozenset({"threshold"}), _min_count,
         ("count_met", "count_unmet")),
    Kind("min_years", {"field": "date"}, frozenset({"threshold", "years", "word"}), frozenset({"threshold", "years"}),
         _min_years, ("years_met", "years_unmet", "years_never"),
         text_params=lambda threshold, lang: {"years": word("years", lang, n=threshold)}),
    Kind("coverage", {"days_field": "integer", "hours_field": "number"}, frozenset({"days", "hours", "word"}),
         frozenset({"days", "hours"}), _coverage, ("coverage_met", "coverage_unmet")),
)}
