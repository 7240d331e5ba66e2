"""Fees: the declarative cases in cases/fees.yaml, CSV in and out."""

from __future__ import annotations

from typing import Any

import pytest

from calculators import InputError, calculate_fees, fees_csv, fees_from_csv, fees_from_csv_rows

from .conftest import case_params


@pytest.mark.parametrize("case", case_params("fees"))
def test_case(case: dict[str, Any]) -> None:
    result = calculate_fees(case["input"])
    expect = case["expect"]
    for index, expected in enumerate(expect.get("orders", [])):
        order = result["orders"][index]
        assert {key: order[key] for key in expected} == expected
    if "totals" in expect:
        assert {key: result["totals"][key] for key in expect["totals"]} == expect["totals"]
    if "deposit" in expect:
        assert {key: result["deposit"][key] for key in expect["deposit"]} == expect["deposit"]
    if "rate" in expect:
        assert result["rate"] == expect["rate"]


def test_result_has_the_contract_shape() -> None:
    result = calculate_fees({"orders": [{"id": "A", "date": "2026-01-01", "amount": 10}]})
    assert set(result) == {"policy_version", "rate", "orders", "totals", "deposit"}
    assert set(result["orders"][0]) == {"id", "date", "amount", "refunded", "fee_base", "rate", "waived", "fee",
                                        "waived_fee", "provider_receives", "platform_invoice", "user_invoice"}
    assert set(result["totals"]) == {"amount", "refunded", "fee_base", "fee", "waived_fee", "provider_receives"}
    assert set(result["deposit"]) == {"amount", "note"}


def test_csv_in_and_out_with_bom_crlf_and_blank_refunds() -> None:
    text = "\ufeffid,date,amount,refunded\r\nA,2026-01-10,1.15,\r\nB,2027-01-11,100,10\r\n\r\n"
    result = fees_from_csv(text, "2026-01-10")
    assert [o["waived"] for o in result["orders"]] == [True, False]
    assert result["orders"][1]["fee"] == "9.00"
    lines = fees_csv(result).splitlines()
    assert lines[0].startswith("id,date,amount,refunded,fee_base,rate,waived,fee")
    assert lines[1] == "A,2026-01-10,1.15,0.00,1.15,0.10,true,0.00,0.12,1.15,0.00,1.15"


def test_csv_without_refunded_column() -> None:
    result = fees_from_csv("id,date,amount\nA,2026-01-10,5\n", None)
    assert result["orders"][0]["refunded"] == "0.00"


@pytest.mark.parametrize("cell", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=x", "|calc",
                                  "＝1+1", "＋1", "＠SUM(A1)", "﹦1", "－1", "−1", "\u200b=1", "\ufeff=1",
                                  "\x00=1", "\u202e=1", " =1", "\u00a0=1", "\u3000=1", "\x1c=1", "\u2028=1"])
def test_formula_like_cells_are_neutralised_in_the_csv_download(cell: str) -> None:
    result = calculate_fees({"orders": [{"id": cell, "date": "2026-01-01", "amount": "1"}]})
    row = fees_csv(result).splitlines()[1]
    assert row.startswith("'") or row.startswith("\"'")


def test_every_bad_csv_row_is_named_by_row_number_at_once() -> None:
    text = "id,date,amount\nA,2026-01-01,1\nB,2026-13-01,1\nC,2026-01-01\nD,2026-01-01,-5\nE,2026-01-02,2\n"
    with pytest.raises(InputError) as caught:
        fees_from_csv(text, None)
    problems = caught.value.problems
    assert [p.row for p in problems] == [3, 4, 5]  # a bad date, a missing column, a negative amount
    messages = [p.text("en") for p in problems]
    assert "CSV row 3" in messages[0] and "date" in messages[0] and '"B"' in messages[0]
    assert "CSV row 4" in messages[1] and "columns" in messages[1]
    assert "CSV row 5" in messages[2] and "amount" in messages[2]


def test_good_csv_rows_are_kept_beside_the_bad_rows_problems() -> None:
    text = "id,date,amount\nA,2026-01-01,100\nB,2026-13-01,1\nC,2026-01-01\nE,2026-01-02,20\n"
    result, problems = fees_from_csv_rows(text, None)
    assert [o["id"] for o in result["orders"]] == ["A", "E"]
    assert result["totals"]["fee"] == "12.00"
    assert [p.row for p in problems] == [3, 4]


def test_csv_header_must_name_the_columns() -> None:
    with pytest.raises(InputError) as caught:
        fees_from_csv("order,day,sum\n1,2026-01-01,1\n", None)
    assert "id,date,amount,refunded" in caught.value.text("en")


def test_the_result_csv_of_a_file_with_bad_rows_names_every_row_left_out() -> None:
    from calculators.fees import errors_csv

    text = "id,date,amount\nA,2026-01-01,100\nB,2026-13-01,1\n=C,2026-01-01\n"
    result, problems = fees_from_csv_rows(text, None)
    lines = fees_csv(result, problems, "en").splitlines()
    assert lines[0].endswith(",status") and lines[1].startswith("A,") and lines[1].endswith(",ok")
    assert lines[2].startswith("B,") and "left out (CSV row 3)" in lines[2]
    assert lines[3].startswith(",") and "left out (CSV row 4)" in lines[3]  # no id could be read
    report = errors_csv(problems, "en").splitlines()
    assert report[0] == "row,id,field,problem" and report[1].startswith("3,B,date,")
    assert fees_csv(result).splitlines()[0].endswith(",user_invoice")  # no status column without problems
