"""The live policy/ (not the tests' frozen copy): every condition is evaluated met and unmet, on every date
one of its figures or a market's opening changes, from inputs made out of the policy's own figures.

These checks follow a docs-team edit by themselves: a new condition of an existing kind, a dated
threshold, a market opened. Only a new kind of condition (a developer's change) needs an addition here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from .conftest import IN_PYODIDE

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="reads the live policy/ with the build tools, in CPython")

if not IN_PYODIDE:
    from calculators import Policy, check_eligibility
    from calculators.kinds import condition_fields
    from calculators.policy import value_at
    from scripts.policy.policy_load import load_source
    from scripts.policy.policy_source import compile_policy


def _policy() -> Policy:
    return Policy(compile_policy())


def _where(condition_id: str) -> str:
    """policy/criteria.yaml:LINE of a condition, for messages."""
    source = load_source()
    for index, condition in enumerate(source.document["criteria"]["conditions"]):
        if condition.get("id") == condition_id:
            file, line = source.locate(("criteria", "conditions", index))
            return f"{file}:{line}"
    return "policy/criteria.yaml"


def _dates(policy: Policy) -> list[dt.date]:
    """Every day a condition's threshold or a market's opening takes a new value."""
    days = {d for c in policy.conditions for d in c.get("threshold", {})}
    days |= {d for m in policy.markets for d in m["open"]}
    return sorted(dt.date.fromisoformat(d) for d in days)


def _meeting(condition: dict[str, Any], day: dt.date) -> dict[str, Any] | None:
    """Values of the condition's fields that meet it on `day`; None for a kind not known here."""
    threshold = value_at(condition["threshold"], day) if "threshold" in condition else None
    kind = condition["kind"]
    if kind == "attestation":
        return {condition["field"]: True}
    if kind == "any_of":
        return {name: True for name in condition["fields"]}
    if kind == "min_count":
        return {condition["field"]: threshold}
    if kind == "min_years":
        return {condition["field"]: day.replace(year=day.year - threshold - 1).isoformat()}
    if kind == "coverage":
        return {condition["days_field"]: threshold["days"], condition["hours_field"]: threshold["hours"]}
    return None


def _failing(condition: dict[str, Any], day: dt.date) -> dict[str, Any] | None:
    """Values of the condition's fields that fail it on `day` (answered, never left out)."""
    threshold = value_at(condition["threshold"], day) if "threshold" in condition else None
    kind = condition["kind"]
    if kind == "attestation":
        return {condition["field"]: False}
    if kind == "any_of":
        return {name: False for name in condition["fields"]}
    if kind == "min_count":
        return {condition["field"]: threshold - 1}
    if kind == "min_years":
        return {condition["field"]: day.isoformat()}
    if kind == "coverage":
        return {condition["days_field"]: threshold["days"] - 1, condition["hours_field"]: threshold["hours"]}
    return None


def _criteria(result: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    parts = [("provider", result["provider"])] + [(f"market {key}", m) for key, m in result["categories"].items()]
    return [(name, c) for name, part in parts for c in part["criteria"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_live_condition_is_met_and_unmet_on_every_date_it_changes(lang: str) -> None:
    policy = _policy()
    unknown = [c for c in policy.conditions if _meeting(c, _dates(policy)[0]) is None]
    assert not unknown, "\n".join(
        f"{_where(c['id'])}: the condition '{c['id']}' is of kind '{c['kind']}', which this check cannot yet meet and "
        "fail: a developer adds the kind to _meeting() and _failing() in tests/test_live_policy.py" for c in unknown)
    for day in _dates(policy):
        base = {"as_of": day.isoformat()}
        for condition in policy.conditions:
            base.update(_meeting(condition, day))
        result = check_eligibility(base, lang=lang, policy=policy)
        unmet = [(where, c["id"], c["reason"]) for where, c in _criteria(result) if not c["met"]]
        assert unmet == [], f"on {day}, an input made to meet every condition fails: {unmet}"
        for condition in policy.conditions:
            failing = check_eligibility({**base, **_failing(condition, day)}, lang=lang, policy=policy)
            criteria = _criteria(failing)
            assert criteria, condition["id"]
            listed = [(where, c) for where, c in criteria if c["id"] == condition["id"]]
            assert listed, (f"{_where(condition['id'])}: the condition '{condition['id']}' is asked by no market "
                            "and not of the provider: list its id under `conditions:` in policy/markets.yaml")
            assert all(not c["met"] for _, c in listed), \
                f"on {day}, {condition['id']} is met by {_failing(condition, day)}"
            fields = set(_failing(condition, day))
            sharing = {c["id"] for c in policy.conditions if {n for _, n in condition_fields(c)} & fields}
            others = [(where, c["id"]) for where, c in criteria if c["id"] not in sharing and not c["met"]]
            assert others == [], f"on {day}, failing {condition['id']} alone also fails {others}"


def test_every_live_field_is_asked_by_a_condition() -> None:
    policy = _policy()
    asked = {name for c in policy.conditions for _, name in condition_fields(c)}
    unasked = [f["name"] for f in policy.fields if f["name"] not in asked]
    assert unasked == [], (f"policy/criteria.yaml: the field(s) {', '.join(unasked)} under `fields:` are checked by no "
                           "condition: name each in a condition's `field` (or remove it)")
