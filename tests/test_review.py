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
