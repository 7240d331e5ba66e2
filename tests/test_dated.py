"""Dated policy values end to end: each case in cases/dated.yaml carries its own dated policy."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from calculators import Policy, calculate_fees, check_eligibility, estimate_review, load_policy

from .conftest import case_params, load_cases

BASE = load_cases("eligibility")["base"]
STEP = re.compile(r"([a-z_]+)(?:\[([a-z0-9-]+)\])?")


def with_overrides(overrides: dict[str, Any]) -> Policy:
    """The compiled policy with each path (keys.joined.by.dots, [id] to pick a list item) set to a value."""
    data = copy.deepcopy(load_policy().data)
    for path, value in overrides.items():
        steps = [STEP.fullmatch(part) for part in path.split(".")]
        assert all(steps), f"bad path {path}"
        node: Any = data
        for index, step in enumerate(steps):
            name, item = step.group(1), step.group(2)
            last = index == len(steps) - 1
            if item is None:
                if last:
                    assert name in node, f"{path}: no {name}"
                    node[name] = value
                else:
                    node = node[name]
            else:
                node = next(entry for entry in node[name] if entry["id"] == item)
                assert not last, f"{path}: a path ends with a key"
    return Policy(data)


@pytest.mark.parametrize("case", case_params("dated"))
def test_case(case: dict[str, Any]) -> None:
    policy = with_overrides(case["policy"])
    expect = case["expect"]
    if case["calculator"] == "fees":
        result = calculate_fees(case["input"], policy=policy)
        for index, expected in enumerate(expect.get("orders", [])):
            assert {key: result["orders"][index][key] for key in expected} == expected, index
        for key in ("rate",):
            if key in expect:
                assert result[key] == expect[key]
        for key, value in expect.get("totals", {}).items():
            assert result["totals"][key] == value, key
    elif case["calculator"] == "eligibility":
        result = check_eligibility({**BASE, **case["input"]}, policy=policy)
        for name, expected in expect.items():
            part = result["provider"] if name == "provider" else result["categories"][name.split(".", 1)[1]]
            for key, value in expected.items():
                if key == "criteria":
                    met = {c["id"]: c["met"] for c in part["criteria"]}
                    assert {cid: met[cid] for cid in value} == value
                else:
                    assert part[key] == value, f"{name}.{key}"
    else:
        result = estimate_review(case["input"], policy=policy)
        for key, value in expect.items():
            assert result[key] == value, key


def test_the_override_helper_refuses_a_path_that_is_not_in_the_policy() -> None:
    with pytest.raises(AssertionError):
        with_overrides({"fees.platform_fee.rates": {"2026-11-26": "0.10"}})


@pytest.mark.parametrize(("lang", "said"), [
    ("en", ["the platform service fee rate changed", "10% for orders of 2027-06-30",
            "8.5% for orders from 2027-07-01 to 2027-07-02"]),
    ("zh", ["期间平台服务费率有调整", "2027-06-30 的订单按 10%",
            "2027-07-01 至 2027-07-02 的订单按 8.5%"]),
])
def test_the_text_report_says_when_a_batch_spans_a_rate_change(lang: str, said: list[str]) -> None:
    from calculators.report import render_report

    case = next(p.values[0] for p in case_params("dated") if p.values[0]["name"].startswith("a rate change"))
    result = calculate_fees(case["input"], lang=lang, policy=with_overrides(case["policy"]))
    report = render_report("fees", result, lang)
    for words in said:
        assert words in report
    assert "0.085" not in report and "| 8.5% |" in report  # rates as percentages, never re-rounded


def test_a_batch_at_one_rate_names_it_as_a_percentage_in_the_title() -> None:
    from calculators.report import render_report

    policy = with_overrides({"fees.platform_fee.rate": {"2026-11-26": "0.085"}})
    result = calculate_fees({"orders": [{"id": "A", "date": "2026-12-01", "amount": "10"}]}, lang="en", policy=policy)
    report = render_report("fees", result, "en")
    assert report.splitlines()[0].endswith("platform service fee rate 8.5%)") and "changed" not in report


def test_the_widget_answer_names_each_rate_as_a_percentage_and_the_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """compute_json (what the widget renders) carries the rates of the batch as percentages."""
    import json

    import calculators.fees
    from calculators.api import compute_json

    case = next(p.values[0] for p in case_params("dated") if p.values[0]["name"].startswith("a rate change"))
    monkeypatch.setattr(calculators.fees, "load_policy", lambda: with_overrides(case["policy"]))
    answer = json.loads(compute_json("fees", json.dumps(case["input"]), "en"))
    assert answer["ok"] and answer["rates"]["percent"] == {"0.10": "10%", "0.085": "8.5%"}
    assert [(p["percent"], p["first"], p["last"]) for p in answer["rates"]["periods"]] == [
        ("10%", "2027-06-30", "2027-06-30"), ("8.5%", "2027-07-01", "2027-07-02")]
    assert json.loads(answer["json"])["orders"][1]["rate"] == "0.085"
