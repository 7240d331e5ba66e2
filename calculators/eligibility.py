"""资格自测: whether a company can become a provider and list in each market, and from when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .inputs import InputError, Reader
from .kinds import AS_OF, FIELD_TYPES, KINDS, input_fields
from .links import clause_url
from .messages import word
from .periods import today_in_china
from .policy import Place, Policy, load_policy, value_at

__all__ = ["check_eligibility", "read_eligibility_input", "condition_text"]


def read_eligibility_input(data: Any, policy: Policy, today: dt.date | None = None) -> dict[str, Any]:
    """Validate the input against the fields the policy declares (and `as_of`), each read as its type
    declares; raise InputError listing all faults."""
    reader = Reader(data)
    fields = input_fields(policy.fields)
    reader.reject_unknown({field["name"] for field in fields})
    values: dict[str, Any] = {}
    for field in fields:
        values[field["name"]] = FIELD_TYPES[field["type"]].read(reader, field, values)
        if field is AS_OF:  # absent: today (the day the later dates may not pass)
            values["as_of"] = values["as_of"] or today or today_in_china()
    if reader.problems:
        raise InputError(reader.problems)
    return values


def _threshold(condition: dict[str, Any], day: dt.date) -> Any:
    return value_at(condition["threshold"], day) if "threshold" in condition else None


def condition_text(condition: dict[str, Any], lang: str, day: dt.date) -> str:
    """The condition's wording with the threshold in force on `day`."""
    threshold = _threshold(condition, day)
    params: dict[str, Any] = {"word": condition.get("word", {}).get(lang, "")}
    if isinstance(threshold, dict):
        params.update(threshold)
    else:
        params["threshold"] = threshold
        if threshold is not None:
            params.update(KINDS[condition["kind"]].text_params(threshold, lang))
    return condition["text"][lang].format(**params)


def evaluate(condition: dict[str, Any], values: dict[str, Any], policy: Policy, lang: str) -> dict[str, Any]:
    """One criterion: met or not, since when, and why, evaluated as its kind declares (calculators/kinds.py)."""
    as_of: dt.date = values["as_of"]
    threshold = _threshold(condition, as_of)
    if "threshold" in condition and threshold is None:
        met, met_from, reason = True, None, word("rule_ended", lang, day=as_of.isoformat())
    else:
        met, met_from, reason = KINDS[condition["kind"]].evaluate(
            condition, values, threshold, condition.get("word", {}).get(lang, ""),
            lambda name: policy.field(name)["label"][lang], lang)
    return {
        "id": condition["id"],
        "met": met,
        "met_from": met_from.isoformat() if met_from else None,
        "text": condition_text(condition, lang, as_of),
        "reason": reason,
        "source": clause_url(condition["id"], lang),
    }


def _result(places: list[Place], evaluated: dict[str, dict[str, Any]], as_of: dt.date) -> dict[str, Any]:
    criteria = [dict(evaluated[p.id]) for p in places if p.applies_on(as_of)]  # a copy per result
    eligible = all(criterion["met"] for criterion in criteria)
    return {"eligible": eligible, "eligible_from": _eligible_from(criteria, places, evaluated, as_of),
            "criteria": criteria}


def _eligible_from(criteria: list[dict[str, Any]], places: list[Place], evaluated: dict[str, dict[str, Any]],
                   as_of: dt.date) -> str | None:
    """The first day on which every criterion holds, or None when one fails that time alone will not fix.
    met_from is set only by time-based conditions: a failing one with a date will hold from then. A
    condition that starts after `as_of` but by that day applies then too, so it must hold then as well."""
    if not all(c["met"] or c["met_from"] for c in criteria):
        return None
    day = max([c["met_from"] for c in criteria if c["met_from"]], default=as_of.isoformat())
    upcoming = sorted((p for p in places if p.starts and p.starts > as_of.isoformat()), key=lambda p: p.starts or "")
    for place in upcoming:
        if (place.starts or "") > day:
            break  # in order of start: every later one starts after the day too
        criterion = evaluated[place.id]
        if criterion["met"] or not place.applies_on(dt.date.fromisoformat(day)):
            continue
        if not criterion["met_from"]:
            return None
        day = max(day, criterion["met_from"])
    return day


def check_eligibility(data: Any, lang: str = "zh", policy: Policy | None = None,
                      today: dt.date | None = None) -> dict[str, Any]:
    """The full eligibility answer for one provider's input (raises InputError on bad input)."""
    policy = policy or load_policy()
    values = read_eligibility_input(data, policy, today)
    as_of: dt.date = values["as_of"]
    # each condition once, though the provider and several markets list it
    evaluated = {condition["id"]: evaluate(condition, values, policy, lang) for condition in policy.conditions}
    categories = {}
    for market in policy.markets:
        result = _result(policy.places(market), evaluated, as_of)
        is_open = value_at(market["open"], as_of) is True
        categories[market["key"]] = {
            **result,
            "name": market["name"][lang],
            "open": is_open,
            "can_apply": result["eligible"] and is_open,
        }
    answer = {
        "as_of": as_of.isoformat(),
        "policy_version": policy.version,
        "provider": _result(policy.places(policy.provider), evaluated, as_of),
        "categories": categories,
    }
    scheduled = _scheduled(policy, as_of, lang, evaluated)
    if scheduled:  # for the display model only (calculators.api.DISPLAY_ONLY): not in the contract's JSON
        answer["scheduled"] = scheduled
    return answer


def _scheduled(policy: Policy, as_of: dt.date, lang: str,
               evaluated: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per part ("provider" or a market's key), each condition that starts after `as_of` (with its
    first day, worded as on that day, and whether the answers given now meet it, with why) or that
    applies now until a last day."""
    found: dict[str, list[dict[str, Any]]] = {}
    parts = [("provider", policy.provider)] + [(market["key"], market) for market in policy.markets]
    for key, part in parts:
        for place in policy.places(part):
            condition = policy.condition(place.id)
            if place.starts and place.starts > as_of.isoformat():
                day = dt.date.fromisoformat(place.starts)
                now = evaluated[place.id]
                found.setdefault(key, []).append({"id": place.id, "from": place.starts, "to": place.ends,
                                                  "text": condition_text(condition, lang, day),
                                                  "met": now["met"], "reason": now["reason"]})
            elif place.ends and place.applies_on(as_of):
                found.setdefault(key, []).append({"id": place.id, "from": None, "to": place.ends,
                                                  "text": condition_text(condition, lang, as_of)})
    return found
