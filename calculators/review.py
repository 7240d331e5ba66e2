"""审核时间估算: when the review result can be expected, in working days on China's calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .contract import CONTRACTS
from .holidays import published_days, statutory_holidays
from .inputs import InputError, Reader
from .messages import joined, word
from .policy import Policy, load_policy, value_at

__all__ = ["estimate_review", "working_day"]


def working_day(day: dt.date, rules: list[dict[str, Any]] | None = None,
                schedules: dict[int, dict[str, Any]] | None = None) -> tuple[bool, bool, str | dict[str, str] | None]:
    """(is it a working day, is the State Council schedule known for its year, holiday name or None).

    A year entered in the policy (`schedules`, policy/calendar.yaml) follows its schedule (the
    holiday's name as {zh, en}); any other year follows `chinesecalendar`. For a year neither knows:
    Monday to Friday, less the public holidays the national regulation gives every year (`rules`,
    from the policy; named by their id), make-up days unknown.
    """
    schedule = (schedules or {}).get(day.year)
    if schedule is not None:
        off, makeup = _published(schedule)
        if day in makeup:
            return True, True, None
        return day not in off and day.weekday() < 5, True, off.get(day)
    import chinese_calendar  # only the review needs the calendar: the other calculators start faster

    try:
        workday = chinese_calendar.is_workday(day)
        _, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        holiday = statutory_holidays(rules or [], day.year).get(day)
        return day.weekday() < 5 and holiday is None, False, holiday
    return workday, True, name


_PUBLISHED: dict[int, tuple[Any, Any]] = {}


def _published(schedule: dict[str, Any]) -> tuple[dict[dt.date, dict[str, str]], frozenset[dt.date]]:
    """The days of an entered schedule, worked out once per schedule object."""
    key = id(schedule)
    if key not in _PUBLISHED or _PUBLISHED[key][0] is not schedule:
        _PUBLISHED[key] = (schedule, published_days(schedule))
    return _PUBLISHED[key][1]


def _holiday_name(name: str | dict[str, str] | None, lang: str, rules: list[dict[str, Any]]) -> str | None:
    if isinstance(name, dict):  # a holiday of an entered schedule names itself
        return name[lang]
    import chinese_calendar

    statutory = {rule["id"]: rule["name"][lang] for rule in rules}
    if name in statutory:
        return statutory[name]
    holiday = {h.value: h for h in chinese_calendar.Holiday}.get(name) if name else None
    if holiday is None:
        return name
    return holiday.chinese if lang == "zh" else holiday.value


def estimate_review(data: Any, lang: str = "zh", policy: Policy | None = None) -> dict[str, Any]:
    """The review window after a submission (raises InputError on bad input)."""
    policy = policy or load_policy()
    reader = Reader(data)
    reader.reject_unknown({field.name for field in CONTRACTS["review"].inputs})
    submitted_on = reader.date("submitted_on", required=True)
    if reader.problems:
        raise InputError(reader.problems)
    review = policy.review
    low = value_at(review["min_working_days"], submitted_on)
    high = value_at(review["max_working_days"], submitted_on)
    rules = review.get("statutory_holidays", [])
    working: list[dt.date] = []
    skipped: list[dict[str, str]] = []
    makeup: list[dict[str, str]] = []
    unknown_years: list[int] = []
    day = submitted_on
    while len(working) < high:
        day += dt.timedelta(days=1)
        workday, known, name = working_day(day, rules, policy.schedules)
        if not known and day.year not in unknown_years:
            unknown_years.append(day.year)
        label = _holiday_name(name, lang, rules) if name else None
        if workday:
            working.append(day)
            if day.weekday() >= 5:  # a weekend day worked in exchange for a holiday (调休上班)
                makeup.append({"date": day.isoformat(), "reason": label or word("makeup_day", lang)})
        else:
            skipped.append({"date": day.isoformat(),
                            "reason": label or word("weekend" if day.weekday() >= 5 else "holiday", lang)})
    warnings = []
    if unknown_years:
        warnings.append(word("calendar_incomplete", lang, years=joined([str(y) for y in unknown_years], lang)))
    return {
        "submitted_on": submitted_on.isoformat(),
        "earliest": working[low - 1].isoformat(),
        "latest": working[-1].isoformat(),
        "working_days": [d.isoformat() for d in working],
        "calendar_complete": not unknown_years,
        "warnings": warnings,
        "skipped": skipped,
        "makeup_working_days": makeup,
    }
