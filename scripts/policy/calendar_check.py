"""Checks of policy/calendar.yaml: each published schedule sound in itself and agreeing with `chinesecalendar`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["calendar_problems", "package_disagreement"]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def calendar_problems(calendar: dict[str, Any], problem: Callable[..., Any],
                      line_of: Callable[[tuple], int]) -> Iterator[Any]:
    """Every fault of the entered schedules, each located by `problem(where, message)`."""
    base = ("calendar", "schedules")
    years: dict[int, int] = {}
    for index, schedule in enumerate(calendar.get("schedules") or []):
        where = base + (index,)
        year = schedule["year"]
        if year in years:
            first = line_of(base + (years[year], "year"))
            yield problem(where + ("year",), f"{year} is entered twice (first on line {first}); "
                          "enter each year once, with every holiday and make-up working day of its notice")
            continue
        years[year] = index
        faults = list(_schedule_problems(schedule, where, problem, line_of))
        yield from faults
        if not faults:
            disagreement = package_disagreement(schedule)
            if disagreement:
                day, ours, theirs, version = disagreement
                yield problem(_entry_of(schedule, day, where),
                              f"the schedule for {year} and the chinesecalendar package ({version}) disagree first on "
                              f"{day.isoformat()}: this schedule makes it {ours}, the package {theirs}; check the "
                              "day against the notice (both cannot be right)")


def _in_year(value: Any, year: int, where: tuple, problem: Callable[..., Any]) -> Iterator[Any]:
    day = _day(value)
    if day is not None and day.year != year:
        yield problem(where, f"{value!r} is not in {year}, the year of this schedule; every day of a schedule lies "
                      "in its own year (a holiday that runs into the next year goes into both years' schedules, "
                      "each with its own days)")


def _schedule_problems(schedule: dict[str, Any], where: tuple, problem: Callable[..., Any],
                       line_of: Callable[[tuple], int]) -> Iterator[Any]:
    year = schedule["year"]
    published = _day(schedule["source"]["published_on"])
    if published is not None and published.year > year:
        yield problem(where + ("source", "published_on"),
                      f"{schedule['source']['published_on']!r} is after {year}, the year of this schedule; write the "
                      "day the notice was published, as it says (usually in October or November of the year before)")
    spans: list[tuple[dt.date, dt.date, int]] = []
    for index, holiday in enumerate(schedule["holidays"]):
        at = where + ("holidays", index)
        faults = [*_in_year(holiday["from"], year, at + ("from",), problem),
                  *_in_year(holiday["to"], year, at + ("to",), problem)]
        yield from faults
        first, last = _day(holiday["from"]), _day(holiday["to"])
        if first is None or last is None:
            yield problem(at + ("from",) if first is None else at + ("to",),
                          "is not a day of the calendar; write a real date as \"YYYY-MM-DD\"")
            continue
        if first > last:
            yield problem(at + ("to",), f"{holiday['to']!r} is before from {holiday['from']!r}; write the first day "
                          "off in from and the last in to (one day: the same date in both)")
            continue
        if not faults:
            spans.append((first, last, index))
    spans.sort()
    for (_, last, earlier), (first, _, later) in zip(spans, spans[1:], strict=False):
        if first <= last:
            one, other = schedule["holidays"][earlier], schedule["holidays"][later]
            yield problem(where + ("holidays", later),
                          f"{other['name']['en']} ({other['from']} to {other['to']}) overlaps "
                          f"{one['name']['en']} ({one['from']} to {one['to']}, line "
                          f"{line_of(where + ('holidays', earlier))}); each day off belongs to one holiday: "
                          "end one before the next starts")
    seen: dict[str, int] = {}
    for index, value in enumerate(schedule["makeup_working_days"]):
        at = where + ("makeup_working_days", index)
        faults = list(_in_year(value, year, at, problem))
        yield from faults
        day = _day(value)
        if faults or day is None:
            if day is None:
                yield problem(at, "is not a day of the calendar; write a real date as \"YYYY-MM-DD\"")
            continue
        if value in seen:
            first = line_of(where + ("makeup_working_days", seen[value]))
            yield problem(at, f"{value!r} is listed twice (first on line {first}); "
                          "list each make-up working day once")
            continue
        seen[value] = index
        if day.weekday() < 5:
            yield problem(at, f"{value!r} is a {WEEKDAYS[day.weekday()]}; a make-up working day is a Saturday or "
                          "Sunday that the notice makes a working day (Monday to Friday are working days already)")
        holiday = next((h for first, last, i in spans if first <= day <= last for h in [schedule["holidays"][i]]), None)
        if holiday is not None:
            yield problem(at, f"{value!r} falls in {holiday['name']['en']} ({holiday['from']} to {holiday['to']}); "
                          "a day is either a day off or a make-up working day, never both")


def _entry_of(schedule: dict[str, Any], day: dt.date, where: tuple) -> tuple:
    """Where a day stands in a schedule: its holiday, its make-up day entry, or the year."""
    for index, holiday in enumerate(schedule["holidays"]):
        if holiday["from"] <= day.isoformat() <= holiday["to"]:
            return where + ("holidays", index)
    if day.isoformat() in schedule["makeup_working_days"]:
        return where + ("makeup_working_days", schedule["makeup_working_days"].index(day.isoformat()))
    return where + ("year",)


def package_disagreement(schedule: dict[str, Any]) -> tuple[dt.date, str, str, str] | None:
    """The first day of the schedule's year on which it and `chinesecalendar` disagree (a day off or a
    working day), as (day, ours, the package's, package version); None when they agree or the package
    does not know the year."""
    import chinese_calendar

    from calculators.holidays import published_days

    year = schedule["year"]
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return None
    off, makeup = published_days(schedule)
    day = dt.date(year, 1, 1)
    while day.year == year:
        ours = day in makeup or (day not in off and day.weekday() < 5)
        theirs = chinese_calendar.is_workday(day)
        if ours != theirs:
            words = {True: "a working day", False: "a day off"}
            return day, words[ours], words[theirs], getattr(chinese_calendar, "__version__", "?")
        day += dt.timedelta(days=1)
    return None
