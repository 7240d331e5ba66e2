"""The lists that must match: criteria the calculators evaluate, the policy's ids, both languages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from calculators import check_eligibility, load_policy
from calculators.eligibility import condition_text

from .test_eligibility import BASE

CJK = re.compile("[\u4e00-\u9fff]")


def _texts(value: Any, where: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    if isinstance(value, dict):
        if set(value) >= {"zh", "en"}:
            yield where, value
        for key, item in value.items():
            yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


def test_evaluated_criteria_are_exactly_the_policy_conditions() -> None:
    policy = load_policy()
    result = check_eligibility(BASE)
    evaluated = {c["id"] for part in [result["provider"], *result["categories"].values()] for c in part["criteria"]}
    assert evaluated == {condition["id"] for condition in policy.conditions}


def test_markets_in_the_result_are_exactly_the_policy_markets() -> None:
    assert list(check_eligibility(BASE)["categories"]) == [m["key"] for m in load_policy().markets]


def test_input_fields_are_exactly_the_fields_the_conditions_check() -> None:
    policy = load_policy()
    checked = set()
    for condition in policy.conditions:
        checked |= {condition[k] for k in ("field", "days_field", "hours_field") if k in condition}
        checked |= set(condition.get("fields", []))
    assert checked == {field["name"] for field in policy.fields}


def test_every_text_has_both_languages() -> None:
    texts = list(_texts(load_policy().data))
    assert len(texts) > 50
    for where, text in texts:
        assert text["zh"].strip() and text["en"].strip(), where
        assert set(text) == {"zh", "en"}, where


def test_every_result_text_is_in_the_chosen_language() -> None:
    policy = load_policy()
    for lang in ("zh", "en"):
        result = check_eligibility({**BASE, "team_size": 3, "mature_software": False}, lang=lang)
        as_of = dt.date.fromisoformat(result["as_of"])
        for part in [result["provider"], *result["categories"].values()]:
            for criterion in part["criteria"]:
                assert criterion["text"] == condition_text(policy.condition(criterion["id"]), lang, as_of)
                has_cjk = bool(CJK.search(criterion["reason"] + criterion["text"]))
                assert has_cjk == (lang == "zh"), criterion
