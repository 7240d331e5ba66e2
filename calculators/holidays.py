"""The holidays of a year: as its published schedule gives them, or as the national regulation fixes them.

A schedule the docs team entered from the State Council's notice (policy/calendar.yaml) gives the
days off and make-up working days of its year (`published_days`). For a year with no schedule,
neither entered nor in `chinesecalendar`, 《全国年节及纪念日放假办法》 fixes the holidays every
year has (New Year's Day, the Spring Festival, Qingming, Labour Day, the Dragon Boat and Mid-autumn
festivals, National Day); the policy lists them with their calendar rule
(process.review.statutory_holidays). Lunar dates come from `lunar_python`, the solar term from
`chinesecalendar`; both are imported only when such a year is reached.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

__all__ = ["statutory_holidays", "published_days"]

# The years whose lunar dates and solar terms the packages compute (their tables span 1900-2100).
TABLE_YEARS = range(1901, 2100)


def _start(rule: dict[str, Any], year: int) -> dt.date | None:
    """The first day of a holiday in `year` by its calendar rule."""
    if rule["calendar"] == "solar":
        return dt.date(year, rule["month"], rule["day"])
    if year not in TABLE_YEARS:  # past the tables of the calendar packages: that holiday is not counted
        return None
    if rule["calendar"] == "lunar":
        from lunar_python import Lunar

        solar = Lunar.fromYmd(year, rule["month"], rule["day"]).getSolar()
        return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
    import chinese_calendar

    try:
        terms = chinese_calendar.get_solar_terms(dt.date(year, 1, 1), dt.date(year, 12, 31))
    except NotImplementedError:  # the package knows the solar terms of 1900-2100 only
        return None
    return next((day for day, name in terms if name == rule["term"]), None)


@lru_cache(maxsize=32)
def _year(rules: tuple[tuple[tuple[str, Any], ...], ...], year: int) -> dict[dt.date, str]:
    days: dict[dt.date, str] = {}
    for frozen in rules:
        rule = dict(frozen)
        # a lunar holiday of the Chinese year before can fall early in this calendar year (除夕 in January)
        for lunar_year in (year - 1, year) if rule["calendar"] == "lunar" else (year,):
            start = _start(rule, lunar_year)
            if start is None:
                continue
            first = start + dt.timedelta(days=rule.get("start", 0))
            for offset in range(rule["days"]):
                day = first + dt.timedelta(days=offset)
                if day.year == year:
                    days[day] = rule["id"]
    return days


def statutory_holidays(rules: list[dict[str, Any]], year: int) -> dict[dt.date, str]:
    """The days of `year` that the regulation makes public holidays, each with its holiday's id."""
    frozen = tuple(tuple(sorted((k, v) for k, v in rule.items() if k != "name")) for rule in rules)
    return _year(frozen, year)


def published_days(schedule: dict[str, Any]) -> tuple[dict[dt.date, dict[str, str]], frozenset[dt.date]]:
    """The days off of an entered schedule, each with its holiday's name ({zh, en}), and its make-up
    working days."""
    off: dict[dt.date, dict[str, str]] = {}
    for holiday in schedule["holidays"]:
        day, last = dt.date.fromisoformat(holiday["from"]), dt.date.fromisoformat(holiday["to"])
        while day <= last:
            off[day] = holiday["name"]
            day += dt.timedelta(days=1)
    return off, frozenset(dt.date.fromisoformat(day) for day in schedule["makeup_working_days"])
