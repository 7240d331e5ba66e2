"""Dates and periods as the PRC Civil Code counts them (arts. 201-203), in China Standard Time."""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = ["ISO_DATE", "period_end", "holds_from", "today_in_china", "parse_iso_date"]

CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "CST")
# A date as written plainly, YYYY-MM-DD in ASCII digits (whether the day exists is parse_iso_date's to say)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def today_in_china() -> dt.date:
    """Today's date in China Standard Time, whatever the machine's time zone."""
    return dt.datetime.now(CHINA_STANDARD_TIME).date()


def period_end(start: dt.date, years: int) -> dt.date:
    """The last day of a period of `years` years that starts with the event on `start`.

    The event day is not counted; the period ends on the corresponding day `years` later, or on
    the last day of that month when it has no corresponding day (2024-02-29 + 1 year: 2025-02-28).
    Raises OverflowError past the calendar's end.
    """
    year = start.year + years
    if year > dt.MAXYEAR:
        raise OverflowError(f"{start.isoformat()} + {years} years is past the year {dt.MAXYEAR}")
    last_day = calendar.monthrange(year, start.month)[1]
    return dt.date(year, start.month, min(start.day, last_day))


def holds_from(start: dt.date, years: int) -> dt.date:
    """The first day on which "满 `years` 年" holds for a period starting on `start`."""
    end = period_end(start, years)
    if end == dt.date.max:
        raise OverflowError(f"the day after {end.isoformat()} is past the calendar's end")
    return end + dt.timedelta(days=1)


def parse_iso_date(text: str) -> dt.date:
    """Parse exactly YYYY-MM-DD (no other ISO forms); raises ValueError otherwise."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not (text[:4] + text[5:7] + text[8:]).isdigit():
        raise ValueError(text)
    return dt.date.fromisoformat(text)
