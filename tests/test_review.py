"""Review time: the declarative cases in cases/review.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from calculators import estimate_review

from .conftest import case_params


@pytest.mark.parametrize("case", case_params("review"))
def test_case(case: dict[str, Any]) -> None:
    result = estimate_review({"submitted_on": case["submitted_on"]})
    for key, expected in case["expect"].items():
        if key == "skipped":
            assert [s["date"] for s in result["skipped"]] == expected
        elif key == "skipped_reason":
            reasons = {s["date"]: s["reason"] for s in result["skipped"]}
            assert {day: reasons[day] for day in expected} == expected
        elif key == "warnings":
            assert len(result["warnings"]) == expected and "2027" in result["warnings"][0]
        else:
            assert result[key] == expected, key


def test_result_has_the_contract_shape() -> None:
    result = estimate_review({"submitted_on": "2026-11-23"})
    assert {"submitted_on", "earliest", "latest", "working_days", "calendar_complete", "warnings"} <= set(result)
    assert len(result["working_days"]) == 3


def test_holiday_names_follow_the_language() -> None:
    result = estimate_review({"submitted_on": "2026-09-29"}, lang="en")
    assert {"date": "2026-10-01", "reason": "National Day"} in result["skipped"]


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_regulations_holidays_are_holidays_in_every_published_schedule(year: int) -> None:
    """Checked against the State Council's schedules the calendar package holds for years since the
    2024 revision: every day the rules give is a holiday there, so an unpublished year is not wrong."""
    import datetime as dt

    import chinese_calendar

    from calculators import load_policy
    from calculators.holidays import statutory_holidays

    days = statutory_holidays(load_policy().review["statutory_holidays"], year)
    assert len(days) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3 days
    for day in days:
        assert chinese_calendar.is_holiday(day) and not chinese_calendar.is_workday(day), day
    assert dt.date(year, 1, 1) in days and dt.date(year, 10, 3) in days
