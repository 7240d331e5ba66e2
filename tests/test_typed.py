"""Figures as people type them into the form or a spreadsheet: read where unambiguous, shown as read."""

from __future__ import annotations

import json

import pytest

from calculators.api import compute_json, fees_from_csv
from calculators.typed import plain_date, plain_number

from .test_eligibility import BASE


@pytest.mark.parametrize(("typed", "money", "read"), [
    ("２０", False, "20"), ("1,280.00", True, "1280.00"), ("¥1280", True, "1280"), ("1280 元", True, "1280"),
    ("￥ 1,280.50 元", True, "1280.50"), ("８．５", False, "8.5"), ("12,34", True, "12,34"), ("1,2345", True, "1,2345"),
    ("1e5", False, "1e5"), ("¥1280", False, "¥1280"), ("abc", True, "abc"), ("1" * 100, False, "1" * 100),
])
def test_numbers_are_read_only_where_they_cannot_mean_anything_else(typed: str, money: bool, read: str) -> None:
    assert plain_number(typed, money=money) == read


@pytest.mark.parametrize(("typed", "read"), [("２０２６－１１－２６", "2026-11-26"), ("2026-1-5", "2026-01-05"),
                                              # the year first, as Excel and people write it: nothing to guess
                                              ("2026/01/05", "2026-01-05"), ("2026/8/15", "2026-08-15"),
                                              ("2026年8月15日", "2026-08-15"), ("２０２６年８月１５日", "2026-08-15"),
                                              # day or month first: left as typed, for the field to refuse
                                              ("01/05/2026", "01/05/2026"), ("15/8/2026", "15/8/2026"),
                                              ("2026/8-15", "2026/8-15"), ("tomorrow", "tomorrow")])
def test_dates_are_read_only_in_their_own_order(typed: str, read: str) -> None:
    assert plain_date(typed) == read


def test_the_form_reads_full_width_digits_and_says_what_it_read() -> None:
    data = {**BASE, "team_size": "２０", "support_hours_per_day": "８"}
    answer = json.loads(compute_json("eligibility", json.dumps(data), "zh"))
    assert answer["ok"] and answer["read"] == {"team_size": "20", "support_hours_per_day": "8"}
    team = next(c for c in answer["result"]["provider"]["criteria"] if c["id"] == "team-size")
    assert team["met"] and "20 人" in team["reason"]


def test_the_form_reads_amounts_with_separators_and_currency() -> None:
    data = {"orders": [{"id": "1", "date": "2026-12-01", "amount": "¥1,280.00", "refunded": "80 元"}]}
    answer = json.loads(compute_json("fees", json.dumps(data), "en"))
    assert answer["ok"] and answer["read"] == {"amount": "1280.00", "refunded": "80"}
    assert answer["result"]["orders"][0]["fee_base"] == "1200.00"


def test_what_cannot_be_read_is_still_named() -> None:
    answer = json.loads(compute_json("eligibility", json.dumps({**BASE, "team_size": "二十"}), "zh"))
    assert not answer["ok"] and [e["field"] for e in answer["errors"]] == ["team_size"]


def test_a_spreadsheet_export_with_thousands_separators_is_read_on_every_surface() -> None:
    result = fees_from_csv('id,date,amount,refunded\nA,2026-12-01,"1,280.00",¥80\n', None)
    assert result["orders"][0]["amount"] == "1280.00" and result["orders"][0]["refunded"] == "80.00"


def test_a_team_of_a_billion_is_refused() -> None:
    answer = json.loads(compute_json("eligibility", json.dumps({**BASE, "team_size": 1_000_000_000}), "en"))
    assert not answer["ok"] and answer["errors"][0]["field"] == "team_size"


@pytest.mark.parametrize(("field", "typed", "code"), [
    ("team_size", "9" * 20, "range"), ("support_hours_per_day", "9" * 20, "range"), ("team_size", "-5", "range"),
    ("team_size", "12.5", "integer"), ("team_size", "abc", "integer"), ("support_hours_per_day", "1e5", "number"),
])
def test_a_figure_too_long_for_the_page_to_type_is_named_for_what_is_wrong_with_it(field: str, typed: str,
                                                                                  code: str) -> None:
    # the page types figures of up to 15 digits as JSON numbers; a longer one comes as text, and is
    # out of range, not "no whole number"
    from calculators.messages import word

    answer = json.loads(compute_json("eligibility", json.dumps({**BASE, field: typed}), "en"))
    assert not answer["ok"] and len(answer["errors"]) == 1
    (error,) = answer["errors"]
    assert error["field"] == field
    template = word(code, "en", minimum="{minimum}", maximum="{maximum}", value="{value}").split("{")[0]
    assert error["message"].startswith(f"{field}: {template}"), error["message"]
    assert "read" not in answer or field not in answer["read"]  # nothing was read differently from what was typed


@pytest.mark.parametrize("amount", ["1000000000000", "9" * 20, "9" * 40, "9" * 400, "0001234567890123.5"])
def test_an_amount_with_more_whole_units_than_the_maximum_is_too_large_however_long(amount: str) -> None:
    from calculators.inputs import MONEY_MAX
    from calculators.messages import word

    order = {"id": "A", "date": "2026-03-01", "amount": amount}
    answer = json.loads(compute_json("fees", json.dumps({"onboarded_on": "2026-01-10", "orders": [order]}), "en"))
    assert not answer["ok"]
    too_large = word("money_too_large", "en", maximum=str(MONEY_MAX), value="{value}").split("{")[0]
    assert [too_large in e["message"] for e in answer["errors"]] == [True], answer["errors"]
    ok = json.loads(compute_json("fees", json.dumps({"onboarded_on": "2026-01-10",
                                                     "orders": [{**order, "amount": str(MONEY_MAX)}]}), "en"))
    assert ok["ok"]
