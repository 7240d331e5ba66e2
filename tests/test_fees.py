"""Fees: the declarative cases in cases/fees.yaml, CSV in and out."""

from __future__ import annotations

from typing import Any

import pytest

from calculators import InputError, calculate_fees, fees_csv, fees_from_csv, fees_from_csv_rows
from calculators.contract import CONTRACTS

from .conftest import case_params

FEES = CONTRACTS["fees"]


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
    from calculators.api import contract

    result = contract(calculate_fees({"onboarded_on": "2026-01-01",
                                      "orders": [{"id": "A", "date": "2026-01-01", "amount": 10}]}))
    assert set(result) == set(FEES.result)  # the keys tests/test_contract.py holds to the contract
    assert set(result["orders"][0]) == {field.name for field in FEES.rows}
    assert set(result["totals"]) == set(FEES.totals)
    assert set(result["deposit"]) == {"amount", "note"}


def test_csv_in_and_out_with_bom_crlf_and_blank_refunds() -> None:
    text = "\ufeffid,date,amount,refunded\r\nA,2026-01-10,1.15,\r\nB,2027-01-11,100,10\r\n\r\n"
    result = fees_from_csv(text, "2026-01-10")
    assert [o["waived"] for o in result["orders"]] == [True, False]
    assert result["orders"][1]["fee"] == "9.00"
    lines = fees_csv(result).splitlines()
    assert lines[0].startswith("id,date,amount,refunded,fee_base,rate,waived,fee")
    # the last column names the free period every row was judged by: onboarded 2026-01-10, free to 2027-01-10
    assert lines[0].endswith(",user_invoice,free_period")
    assert lines[1] == "A,2026-01-10,1.15,0.00,1.15,0.10,true,0.00,0.12,1.15,0.00,1.15,2026-01-10/2027-01-10"
    assert lines[2] == "B,2027-01-11,100.00,10.00,90.00,0.10,false,9.00,0.00,81.00,9.00,90.00,2026-01-10/2027-01-10"
    assert fees_csv(fees_from_csv("id,date,amount\nA,2026-01-10,1\n", None)).splitlines()[1].endswith(",1.00,")


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
    from calculators.csv_io import errors_csv

    text = "id,date,amount\nA,2026-01-01,100\nB,2026-13-01,1\n=C,2026-01-01\n"
    result, problems = fees_from_csv_rows(text, None)
    lines = fees_csv(result, problems, "en").splitlines()
    assert lines[0].endswith(",status") and lines[1].startswith("A,") and lines[1].endswith(",ok")
    assert lines[2].startswith("B,") and "left out (CSV row 3)" in lines[2]
    assert lines[2].count("row 3") == 1  # the row is named once, not again inside the problem
    assert lines[3].startswith(",") and "left out (CSV row 4)" in lines[3]  # no id could be read
    report = errors_csv(problems, "en").splitlines()
    assert report[0] == "row,id,field,problem" and report[1].startswith("3,B,date,")
    assert fees_csv(result).splitlines()[0].endswith(",user_invoice,free_period")  # no status column without problems


EXCEL = "id,date,amount\r\n订单1,2026/8/15,\"1,280.00\"\r\n订单2,2026年8月16日,￥50\r\nC,2026-8-17,10\r\n"


@pytest.mark.parametrize(("data", "encoding"), [
    (EXCEL.encode("gbk"), "GB18030/GBK"),  # Excel's 逗号分隔 export in a Chinese locale
    (EXCEL.encode("gb18030"), "GB18030/GBK"),
    (EXCEL.encode("utf-8-sig"), "UTF-8 (BOM)"),  # "CSV UTF-8"
    (EXCEL.encode("utf-8"), "UTF-8"),
    (EXCEL.encode("utf-16"), "UTF-16"),  # "Unicode text" (with a BOM)
    (EXCEL.encode("utf-16-le"), "UTF-16"),
    (EXCEL.encode("utf-16-be"), "UTF-16"),
])
def test_orders_files_as_people_save_them_are_read_with_their_encoding_named(data: bytes, encoding: str) -> None:
    from calculators.api import contract
    from calculators.encodings import decode_csv

    text, read_as = decode_csv(data)
    assert read_as == encoding and text.lstrip("\ufeff") == EXCEL
    result = fees_from_csv(text, "2026-01-10", "en", encoding=read_as)
    assert [o["id"] for o in result["orders"]] == ["订单1", "订单2", "C"]
    assert [o["date"] for o in result["orders"]] == ["2026-08-15", "2026-08-16", "2026-08-17"]
    assert [o["amount"] for o in result["orders"]] == ["1280.00", "50.00", "10.00"]
    read = result["csv_read"]
    assert read["encoding"] == encoding and read["count"] == 5  # 3 dates, "1,280.00", "￥50"
    assert read["examples"][0] == {"row": 2, "column": "date", "value": "2026/8/15", "read": "2026-08-15"}
    assert "csv_read" not in contract(result)


def test_a_file_in_no_known_encoding_is_refused_with_its_line() -> None:
    from calculators.encodings import decode_csv

    with pytest.raises(InputError) as caught:
        decode_csv(b"id,date,amount\nA,2026-01-01,1\n\xff\xfe\xfe,2026-01-01,1\n")
    assert caught.value.problems[0].code == "encoding_unknown" and caught.value.problems[0].params["line"] == 3


@pytest.mark.parametrize("day", ["8/15/2026", "15/8/2026", "26/8/15", "15.8.2026"])
def test_a_date_that_could_be_day_or_month_first_is_refused_by_row_and_column(day: str) -> None:
    with pytest.raises(InputError) as caught:
        fees_from_csv(f"id,date,amount\nA,2026/8/15,1\nB,{day},1\n", None)
    (problem,) = caught.value.problems
    assert (problem.row, problem.field, problem.code) == (3, "date", "date_ambiguous")
    assert day in problem.text("en") and "CSV row 3 date" in problem.text("en")
