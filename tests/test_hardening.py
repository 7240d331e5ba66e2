"""Hardening: arbitrary and hostile input to every calculator, through the Python API and the CLI;
CSV files as providers really export them. Nothing may crash, hang or print a traceback."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import InputError, compute, fees_csv, fees_from_csv_rows, load_policy
from calculators.json_input import parse_json
from calculators.messages import show_value
from scripts.paths import ROOT

from .conftest import case_params, cpython_only, valid_inputs

BASES = valid_inputs()
# Each case gets this long at most (hypothesis reports a slower one as a failure, with the input).
PER_CASE = dt.timedelta(seconds=5)

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=20,
)


def _field_names(name: str) -> set[str]:
    """Every name a message may legitimately point at for calculator `name`."""
    if name == "eligibility":
        return {field["name"] for field in load_policy().fields} | {"as_of"}
    if name == "fees":
        return {"onboarded_on", "orders", "deposit"}
    return {"submitted_on"}


def _check(name: str, data: Any) -> None:
    """Valid result (JSON-serialisable) or InputError whose problems name a field of the input."""
    try:
        result = compute(name, data, "en")
    except InputError as error:
        assert error.problems
        keys = set(data) if isinstance(data, dict) else set()
        for problem in error.problems:
            assert problem.text("en") and problem.text("zh")
            if problem.field in keys - _field_names(name):  # an unknown or misspelt key, named as given
                assert problem.code == "unknown_field" and show_value(problem.field) in problem.text("en")
                assert problem.text("en").isprintable(), "control characters reached the message"
                continue
            root = re.match(r"[a-z_]*", problem.field).group()
            assert root in _field_names(name) or (root == "" and not isinstance(data, dict)), problem.field
    else:
        json.dumps(result)


@given(name=st.sampled_from(sorted(BASES)), data=ANY_JSON)
@settings(max_examples=300, deadline=PER_CASE)
def test_arbitrary_json_gives_a_result_or_names_the_field(name: str, data: Any) -> None:
    _check(name, data)


@st.composite
def one_field_broken(draw: Any) -> tuple[str, dict[str, Any]]:
    """A valid input with one field replaced by arbitrary JSON, or removed, or an extra field added."""
    name = draw(st.sampled_from(sorted(BASES)))
    data = json.loads(json.dumps(BASES[name]))
    target = data["orders"][0] if name == "fees" and draw(st.booleans()) else data
    key = draw(st.sampled_from(sorted(target)))
    action = draw(st.sampled_from(["replace", "remove", "extra"]))
    if action == "replace":
        target[key] = draw(ANY_JSON | st.text(alphabet=st.characters(codec="utf-8"), max_size=50))
    elif action == "remove":
        del target[key]
    else:
        target[draw(st.text(min_size=1, max_size=12))] = draw(ANY_JSON)
    return name, data


@given(case=one_field_broken())
@settings(max_examples=400, deadline=PER_CASE)
def test_a_valid_input_with_one_field_broken_gives_a_result_or_names_the_field(case: tuple[str, Any]) -> None:
    _check(*case)


@given(name=st.sampled_from(sorted(BASES)),
       value=st.integers(min_value=10**15, max_value=10**300) | st.floats(min_value=1e15, allow_infinity=False)
       | st.decimals(allow_nan=False, allow_infinity=False, places=None))
@settings(max_examples=200, deadline=PER_CASE)
def test_huge_and_odd_numbers_anywhere(name: str, value: Any) -> None:
    data = json.loads(json.dumps(BASES[name]))
    target = data["orders"][0] if name == "fees" else data
    for key in list(target):
        probe = dict(target)
        probe[key] = value if not isinstance(value, Decimal) else str(value)
        _check(name, {**data, "orders": [probe]} if name == "fees" else probe)


def test_deep_nesting_is_refused_as_not_json() -> None:
    with pytest.raises(InputError) as caught:
        parse_json("[" * 200_000 + "]" * 200_000)
    assert "JSON" in caught.value.text("en")


@pytest.mark.parametrize("case", case_params("csv"))
def test_csv_files_as_exported(case: dict[str, Any]) -> None:
    result, problems = fees_from_csv_rows(case["csv"], None)
    assert [order["id"] for order in result["orders"]] == case["rows_ok"], case["why"]
    assert [problem.row for problem in problems] == case.get("rows_bad", []), case["why"]
    for line in fees_csv(result).splitlines()[1:]:
        assert line[:1] not in ("=", "+", "-", "@"), "a formula-like cell reached the download"


@pytest.mark.slow
def test_a_csv_of_100k_rows_is_computed_and_adds_up() -> None:
    lines = ["id,date,amount,refunded"] + [f"o{i},2026-{i % 12 + 1:02d}-{i % 28 + 1:02d},{i % 9973}.{i % 100:02d},0"
                                          for i in range(100_000)]
    lines[50_001] = "bad,2026-01-01,-1,0"  # one bad row among them, reported by its row number
    result, problems = fees_from_csv_rows("\n".join(lines), "2026-01-01")
    assert [p.row for p in problems] == [50_002]
    kept = result["orders"]
    assert len(kept) == 99_999
    assert sum(Decimal(o["fee"]) for o in kept) == Decimal(result["totals"]["fee"])
    assert sum(Decimal(o["amount"]) for o in kept) == Decimal(result["totals"]["amount"])


def _adversarial_bytes(case: dict[str, Any]) -> bytes:
    if "repeat" in case:
        r = case["repeat"]
        body = r.get("open", "") * r["times"] + r.get("close", "") * r["times"] if "open" in r \
            else r["prefix"] + r["text"] * r["times"] + r["suffix"]
        return body.encode("utf-8")
    return case["text"].encode("latin-1" if case.get("latin1") else "utf-8")


@cpython_only
@pytest.mark.parametrize("case", case_params("adversarial"))
def test_hostile_input_to_the_cli(case: dict[str, Any]) -> None:
    result = subprocess.run([sys.executable, "-m", "calculators", case["calculator"], "-", "--json"],
                            input=_adversarial_bytes(case), capture_output=True, cwd=ROOT, timeout=60)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == case["exit"], stderr[:500]
    assert "Traceback" not in stderr, case["why"]
    if result.returncode == 2:
        assert stderr.strip() and result.stdout == b""
    else:
        json.loads(result.stdout)


@cpython_only
@given(name=st.sampled_from(sorted(BASES)), data=ANY_JSON)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_json_through_a_real_cli_process(name: str, data: Any) -> None:
    """A few cases through a real process as well (the in-process CLI runs many more)."""
    result = subprocess.run([sys.executable, "-m", "calculators", name, "--json"], input=json.dumps(data),
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr


def test_a_key_given_twice_is_refused_naming_the_key() -> None:
    with pytest.raises(InputError) as caught:
        parse_json('{"orders": [{"id": "a", "date": "2026-01-01", "amount": "-5", "amount": "5"}]}')
    assert 'the key "amount" appears twice' in caught.value.text("en")


@pytest.mark.parametrize("value", ["1e-999999999", "1E+999999999", "0.0000000000000000000000000000000001",
                                   "1" * 60, "8." + "0" * 60 + "1"])
def test_numbers_beyond_the_bounds_are_refused_before_any_formatting(value: str) -> None:
    data = {**BASES["eligibility"], "support_hours_per_day": "\0"}
    with pytest.raises(InputError) as caught:
        compute("eligibility", parse_json(json.dumps(data).replace('"\\u0000"', value)), "en")
    assert [p.field for p in caught.value.problems] == ["support_hours_per_day"]
    assert "out of the supported range" in caught.value.text("en")


def test_a_zero_with_a_huge_exponent_is_zero() -> None:
    data = {**BASES["eligibility"], "support_hours_per_day": "\0"}
    result = compute("eligibility", parse_json(json.dumps(data).replace('"\\u0000"', "0e-999999999")), "en")
    assert "0 hours a day" in json.dumps(result)


def test_an_unclosed_quote_in_a_csv_names_its_row_and_keeps_the_rows_before() -> None:
    text = "id,date,amount\nA,2026-01-01,1\n\"B,2026-01-02,2\n" + "C,2026-01-03,3\n" * 20_000
    result, problems = fees_from_csv_rows(text, None, "en")
    assert [o["id"] for o in result["orders"]] == ["A"]
    assert [(p.row, p.code) for p in problems] == [(3, "csv_quote")]
    assert "the 20,000 lines after it were read as one cell" in problems[0].text("en")


def test_the_json_output_escapes_control_and_bidi_characters_and_means_the_same() -> None:
    from calculators import dumps

    data = {"orders": [{"id": "A\x1b]0;x\x07\u202e\x9b", "date": "2026-01-01", "amount": "1"}]}
    text = dumps(compute("fees", data, "en"))
    assert text.replace("\n", "").isprintable()
    assert json.loads(text)["orders"][0]["id"] == data["orders"][0]["id"]
