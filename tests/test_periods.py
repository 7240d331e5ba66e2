"""The year-period rule of the PRC Civil Code (arts. 201-203), including 29 February."""

from __future__ import annotations

import datetime as dt

import pytest

from calculators import holds_from, period_end, value_at

D = dt.date.fromisoformat


@pytest.mark.parametrize(("start", "years", "end", "holds"), [
    pytest.param("2025-11-26", 1, "2026-11-26", "2026-11-27", id="a year ends on the corresponding day"),
    pytest.param("2024-02-29", 1, "2025-02-28", "2025-03-01", id="29 February ends on the last day of February"),
    pytest.param("2024-02-29", 4, "2028-02-29", "2028-03-01", id="29 February four years on has its day"),
    pytest.param("2025-12-31", 1, "2026-12-31", "2027-01-01", id="a period ending on 31 December holds from 1 January"),
    pytest.param("2023-03-31", 2, "2025-03-31", "2025-04-01", id="two years from the end of a month"),
])
def test_period(start: str, years: int, end: str, holds: str) -> None:
    assert period_end(D(start), years) == D(end)
    assert holds_from(D(start), years) == D(holds)


def test_period_past_the_calendar_is_an_overflow() -> None:
    with pytest.raises(OverflowError):
        period_end(D("9999-01-01"), 1)


@pytest.mark.parametrize(("day", "expected"), [
    pytest.param("2020-01-01", "a", id="before the first effective date the first value applies"),
    pytest.param("2026-01-01", "a", id="on the first effective date"),
    pytest.param("2026-06-30", "a", id="the day before a change"),
    pytest.param("2026-07-01", "b", id="the day of a change"),
    pytest.param("2030-01-01", None, id="a null value ends the rule"),
])
def test_dated_values(day: str, expected: str | None) -> None:
    dated = {"2026-01-01": "a", "2026-07-01": "b", "2027-01-01": None}
    assert value_at(dated, D(day)) == expected
