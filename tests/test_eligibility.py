"""Eligibility: the declarative cases in cases/eligibility.yaml, and what every result holds."""

from __future__ import annotations

from typing import Any

import pytest

from calculators import check_eligibility, load_policy, today_in_china
from calculators.links import site_url

from .conftest import case_params, load_cases

BASE = load_cases("eligibility")["base"]


def _input(case: dict[str, Any]) -> dict[str, Any]:
    data = {**BASE, **case.get("input", {})}
    for name in case.get("drop", []):
        data.pop(name)
    return data


def _part(result: dict[str, Any], name: str) -> dict[str, Any]:
    return result["provider"] if name == "provider" else result["categories"][name.split(".", 1)[1]]


@pytest.mark.parametrize("case", case_params("eligibility"))
def test_case(case: dict[str, Any]) -> None:
    result = check_eligibility(_input(case))
    for name, expected in case["expect"].items():
        if name == "as_of":
            assert result["as_of"] == today_in_china().isoformat()
            continue
        part = _part(result, name)
        criteria = {c["id"]: c for c in part["criteria"]}
        for key, value in expected.items():
            if key == "met":
                assert all(criteria[cid]["met"] for cid in value), [criteria[c]["reason"] for c in value]
            elif key == "unmet":
                assert sorted(cid for cid, c in criteria.items() if not c["met"]) == sorted(value)
            elif key == "met_from":
                assert {cid: criteria[cid]["met_from"] for cid in value} == value
            elif key == "reason":
                assert {cid: criteria[cid]["reason"] for cid in value} == value
            else:
                assert part[key] == value, f"{name}.{key}"


def test_every_result_has_the_contract_shape() -> None:
    result = check_eligibility(BASE)
    assert set(result) == {"as_of", "policy_version", "provider", "categories"}
    assert result["policy_version"] == load_policy().version
    assert list(result["categories"]) == [m["key"] for m in load_policy().markets]
    for name in ["provider", *(f"markets.{key}" for key in result["categories"])]:
        part = _part(result, name)
        assert {"eligible", "eligible_from", "criteria"} <= set(part)
        for criterion in part["criteria"]:
            assert set(criterion) == {"id", "met", "met_from", "text", "reason", "source"}
            assert criterion["source"] == f"{site_url()}conditions/#{criterion['id']}"
    for market in result["categories"].values():
        assert market["can_apply"] == (market["eligible"] and market["open"])


def test_only_basic_software_is_open_now() -> None:
    opened = [key for key, m in check_eligibility(BASE)["categories"].items() if m["open"]]
    assert opened == ["basic_software"]


def test_english_texts_and_links() -> None:
    result = check_eligibility({**BASE, "team_size": 3}, lang="en")
    team = next(c for c in result["provider"]["criteria"] if c["id"] == "team-size")
    assert team["source"] == f"{site_url()}en/conditions/#team-size"
    assert "3" in team["reason"] and "15" in team["reason"] and "not met" in team["reason"]
    assert result["categories"]["api"]["name"] == "API market"


def test_every_criterion_is_met_and_unmet_by_some_case() -> None:
    """Each condition of the policy appears at least once met and once not met in the cases."""
    seen_met: set[str] = set()
    seen_unmet: set[str] = set()
    for param in case_params("eligibility"):
        result = check_eligibility(_input(param.values[0]))
        for part in [result["provider"], *result["categories"].values()]:
            for criterion in part["criteria"]:
                (seen_met if criterion["met"] else seen_unmet).add(criterion["id"])
    ids = {condition["id"] for condition in load_policy().conditions}
    assert ids - seen_met == set()
    assert ids - seen_unmet == set()
