"""The public holidays of the national regulation, for a year whose holiday schedule is not published.

《全国年节及纪念日放假办法》 fixes the holidays every year has (New Year's Day, the Spring Festival,
Qingming, Labour Day, the Dragon Boat and Mid-autumn festivals, National Day); the policy lists them
with their calendar rule (process.review.statutory_holidays). Lunar dates come from `lunar_python`,
the solar term from `chinesecalendar`; both are imported only when such a year is reached.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

__all__ = ["statutory_holidays"]

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
