"""The registry of condition kinds and field types names what the policy's schema names."""

from __future__ import annotations

import json

import pytest

from calculators import check_eligibility, load_policy
from calculators.kinds import AS_OF, FIELD_TYPES, KINDS
from calculators.messages import catalogue
from scripts.paths import ROOT

from .conftest import IN_PYODIDE
from .test_eligibility import BASE

SCHEMA = ROOT / "policy" / "schema.json"
pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="reads the policy's schema, which the package does not carry")


def _defs() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))["$defs"]


def test_the_schema_and_the_registry_name_the_same_kinds() -> None:
    defs = _defs()
    branches = {branch["properties"]["kind"]["const"]: branch for branch in defs["condition"]["oneOf"]}
    assert set(branches) == set(KINDS)
    assert set(defs["conditionBase"]["properties"]["kind"]["enum"]) == set(KINDS)
    for name, kind in KINDS.items():
        properties = set(branches[name]["properties"]) - {"kind"}
        assert properties - {"threshold"} == set(kind.fields), name
        assert ("threshold" in properties) == kind.threshold, name
        assert set(branches[name].get("required", [])) >= set(kind.fields), name


def test_the_schema_and_the_registry_name_the_same_field_types() -> None:
    assert set(_defs()["field"]["properties"]["type"]["enum"]) == {t.name for t in FIELD_TYPES.values() if t.policy}


def test_every_kind_names_its_messages_and_placeholders_that_exist() -> None:
    words = catalogue()
    for kind in KINDS.values():
        assert kind.messages and set(kind.messages) <= set(words), kind.name
        assert kind.figure <= kind.placeholders, kind.name
        assert set(kind.fields.values()) <= set(FIELD_TYPES), kind.name


def test_every_policy_condition_is_of_a_kind_and_checks_fields_of_the_types_it_needs() -> None:
    policy = load_policy()
    for condition in policy.conditions:
        kind = KINDS[condition["kind"]]
        for key, needed in kind.fields.items():
            names = condition[key] if isinstance(condition[key], list) else [condition[key]]
            assert {policy.field(name)["type"] for name in names} == {needed}, condition["id"]


def test_as_of_is_an_input_of_the_eligibility_calculator_declared_once() -> None:
    assert AS_OF["name"] not in {field["name"] for field in load_policy().fields}
    assert check_eligibility({**BASE, "as_of": "2027-01-04"})["as_of"] == "2027-01-04"
