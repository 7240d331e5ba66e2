"""资格自测: whether a company can become a provider and list in each market, and from when."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .inputs import InputError, Reader
from .messages import message
from .periods import holds_from, today_in_china
from .policy import Policy, load_policy, value_at

__all__ = ["check_eligibility", "read_eligibility_input", "condition_text", "source_link"]


def read_eligibility_input(data: Any, policy: Policy, today: dt.date | None = None) -> dict[str, Any]:
    """Validate the input against the fields the policy declares; raise InputError listing all faults."""
    reader = Reader(data)
    reader.reject_unknown({field["name"] for field in policy.fields} | {"as_of"})
    values: dict[str, Any] = {}
    as_of = reader.date("as_of", required=False) if "as_of" in reader.data else None
    values["as_of"] = as_of or today or today_in_china()
    for field in policy.fields:
        name, required, kind = field["name"], field["required"], field["type"]
        low, high = field.get("minimum"), field.get("maximum")
        if kind == "bool":
            values[name] = reader.boolean(name, required)
        elif kind == "integer":
            values[name] = reader.integer(name, required, low, high)
        elif kind == "number":
            values[name] = reader.number(name, required, _number(low), _number(high))
        else:
            values[name] = reader.date(name, required, values["as_of"] if field.get("not_after_as_of") else None)
    if reader.problems:
        raise InputError(reader.problems)
    return values


def _number(limit: Any) -> Decimal | None:
    return None if limit is None else Decimal(str(limit))


def source_link(condition_id: str, lang: str) -> str:
    """The site path of a condition's clause: its anchor on the conditions page."""
    return ("/en" if lang == "en" else "") + f"/conditions/#{condition_id}"


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
    return condition["text"][lang].format(**params)


def _label(policy: Policy, name: str, lang: str) -> str:
    return policy.field(name)["label"][lang]


def evaluate(condition: dict[str, Any], values: dict[str, Any], policy: Policy, lang: str) -> dict[str, Any]:
    """One criterion: met or not, since when, and why, evaluated as its kind declares."""
    as_of: dt.date = values["as_of"]
    kind = condition["kind"]
    threshold = _threshold(condition, as_of)
    word = condition.get("word", {}).get(lang, "")
    met, met_from = False, None
    if "threshold" in condition and threshold is None:
        met, reason = True, message("rule_ended", lang, day=as_of.isoformat())
    elif kind == "attestation":
        answer = values[condition["field"]]
        met = answer is True
        reason = message("not_answered" if answer is None else "attested" if met else "not_attested", lang)
    elif kind == "any_of":
        fields = condition["fields"]
        chosen = [name for name in fields if values[name] is True]
        met = bool(chosen)
        if met:
            reason = message("any_of_met", lang, which="；".join(_label(policy, n, lang) for n in chosen))
        elif all(values[name] is None for name in fields):
            reason = message("not_answered", lang)
        else:
            reason = message("any_of_unmet", lang, which="；".join(_label(policy, n, lang) for n in fields))
    elif kind == "min_count":
        value = values[condition["field"]]
        met = value >= threshold
        reason = message("count_met" if met else "count_unmet", lang, value=value, threshold=threshold, word=word)
    elif kind == "min_years":
        start = values[condition["field"]]
        try:
            met_from = holds_from(start, threshold)
        except OverflowError:
            reason = message("years_never", lang, start=start.isoformat(), threshold=threshold)
        else:
            met = met_from <= as_of
            reason = message("years_met" if met else "years_unmet", lang, start=start.isoformat(),
                             threshold=threshold, met_from=met_from.isoformat())
    elif kind == "coverage":
        days, hours = values[condition["days_field"]], values[condition["hours_field"]]
        met = days >= threshold["days"] and hours >= Decimal(str(threshold["hours"]))
        reason = message("coverage_met" if met else "coverage_unmet", lang, days=days, hours=_plain(hours),
                         need_days=threshold["days"], need_hours=threshold["hours"], word=word)
    else:  # the schema admits no other kind; a new kind needs its evaluation here
        raise ValueError(f"unknown condition kind {kind!r} in {condition['id']}")
    return {
        "id": condition["id"],
        "met": met,
        "met_from": met_from.isoformat() if met_from else None,
        "text": condition_text(condition, lang, as_of),
        "reason": reason,
        "source": source_link(condition["id"], lang),
    }


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _result(condition_ids: list[str], evaluated: dict[str, dict[str, Any]], as_of: dt.date) -> dict[str, Any]:
    criteria = [dict(evaluated[cid]) for cid in condition_ids]  # a copy per result: no shared objects
    eligible = all(criterion["met"] for criterion in criteria)
    # met_from is set only by time-based conditions: a failing one with a date will hold from then
    fixable_by_time = all(c["met"] or c["met_from"] for c in criteria)
    eligible_from = None
    if fixable_by_time:
        dates = [c["met_from"] for c in criteria if c["met_from"]]
        eligible_from = max(dates) if dates else as_of.isoformat()
    return {"eligible": eligible, "eligible_from": eligible_from, "criteria": criteria}


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
        result = _result(market["conditions"], evaluated, as_of)
        is_open = value_at(market["open"], as_of) is True
        categories[market["key"]] = {
            **result,
            "name": market["name"][lang],
            "open": is_open,
            "can_apply": result["eligible"] and is_open,
        }
    return {
        "as_of": as_of.isoformat(),
        "policy_version": policy.version,
        "provider": _result(policy.provider["conditions"], evaluated, as_of),
        "categories": categories,
    }
