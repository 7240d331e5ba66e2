"""The fast paths for large files (plain cells read without normalising, plain orders checked at once,
a large batch paged in the worker) give exactly what the full reading and checking give."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calculators.csv_io
import calculators.orders
from calculators import answers, api
from calculators.contract import CONTRACTS
from calculators.typed import as_read, plain_date, plain_number

# cells as spreadsheets, input methods and hostile files write them
DATES = ["2026-03-05", "2026-3-5", "２０２６－０３－０５", "2026-02-30", "2024-02-29", "2025-02-29", "2026-13-01",
         "2026-00-10", "2026/03/05", " 2026-03-05", "2026-03-05 ", "2025-12-31", "0000-01-01", "1899-12-31",
         "3000-01-01", "2999-12-31", "2026-03-05\u200b", "٢٠٢٦-٠٣-٠٥", "", "tomorrow", "2026-03-5x", "+2026-03-05"]
AMOUNTS = ["12.50", "12.5", "12", "0", "0.00", "00012.30", "1,280.00", "¥1280", "￥ 1,280.50 元", "1280 元", "RMB 5",
           "１２．５", "12.505", "12.500", "-5", "+5", "5.", ".5", "1e3", "NaN", "Infinity", "999999999999.99",
           "1000000000000.00", "9" * 15, "1" * 70, "12,34", "١٢", "", " ", "=1+1", "0.001", "1,000,000"]
IDS = ["A1", "o-17", " ", "=cmd", "订单1", "a\u202eb", "x" * 200, "x" * 201, "dup", "dup", "\ud800", "B\tC"]


def _slow_as_read(value: Any, kind: str) -> Any:
    """as_read without its fast path: every text normalised and read."""
    if not isinstance(value, str):
        return value
    return plain_date(value) if kind == "date" else plain_number(value, money=kind == "money")


@pytest.mark.parametrize("cell", DATES)
def test_a_date_cell_reads_the_same_with_and_without_the_fast_path(cell: str) -> None:
    assert as_read(cell, "date") == _slow_as_read(cell, "date")


@pytest.mark.parametrize("kind", ["money", "number", "integer"])
@pytest.mark.parametrize("cell", AMOUNTS)
def test_a_number_cell_reads_the_same_with_and_without_the_fast_path(cell: str, kind: str) -> None:
    assert as_read(cell, kind) == _slow_as_read(cell, kind)


@settings(max_examples=400, deadline=None)
@given(cell=st.text(alphabet="0123456789０１２３-－.,，¥￥元 +eE\u3000٣a", max_size=14),
       kind=st.sampled_from(["date", "money", "number", "integer"]))
def test_any_typed_figure_reads_the_same_with_and_without_the_fast_path(cell: str, kind: str) -> None:
    assert as_read(cell, kind) == _slow_as_read(cell, kind)


def _csv(rows: list[tuple[str, str, str, str]]) -> str:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'
    return "id,date,amount,refunded\r\n" + "".join(",".join(quoted(c) for c in row) + "\r\n" for row in rows)


def _both(monkeypatch: pytest.MonkeyPatch, text: str, onboarded_on: str | None, lang: str) -> tuple[Any, Any]:
    """(fast, slow): the result and the problems' texts for one CSV, with and without the fast paths."""
    def run() -> Any:
        result, problems = api.fees_from_csv_rows(text, onboarded_on, lang)
        return result, [(p.row, p.field, p.order_id, p.code, p.text(lang)) for p in problems]
    fast = run()
    with monkeypatch.context() as patch:
        patch.setattr(calculators.csv_io, "as_read", _slow_as_read)
        patch.setattr(calculators.orders, "_plain_order", lambda *args: None)
        slow = run()
    return fast, slow


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("onboarded_on", ["2026-01-01", None])
def test_odd_and_hostile_rows_give_the_same_result_and_problems_as_the_full_check(
        monkeypatch: pytest.MonkeyPatch, lang: str, onboarded_on: str | None) -> None:
    rows = [(f"d{i}", date, "10.00", "") for i, date in enumerate(DATES)]
    rows += [(f"a{i}", "2026-06-01", amount, "") for i, amount in enumerate(AMOUNTS)]
    rows += [(f"r{i}", "2026-06-01", "100", refunded) for i, refunded in enumerate(AMOUNTS)]
    rows += [(oid, "2026-06-01", "5", "0") for oid in IDS]
    rows += [("", "", "", ""), ("only-id", "", "", "")]
    fast, slow = _both(monkeypatch, _csv(rows), onboarded_on, lang)
    assert fast == slow
    assert fast[1] and fast[0]["orders"]  # both kinds of row are there


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(IDS + ["p1", "p2", "p3"]), st.sampled_from(DATES),
                               st.sampled_from(AMOUNTS), st.sampled_from(AMOUNTS + [""] * 5)), max_size=25))
def test_any_mix_of_rows_gives_the_same_as_the_full_check(rows: list[tuple[str, str, str, str]]) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, slow = _both(monkeypatch, _csv(rows), "2026-01-01", "en")
    assert fast == slow


def test_every_money_figure_has_two_decimals_and_the_totals_add_up() -> None:
    rows = [(f"o{i}", f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}", f"{i * 37 % 9973}.{i % 100:02d}", f"{i % 3}")
            for i in range(500)]
    result, problems = api.fees_from_csv_rows(_csv(rows), "2025-06-01")
    assert not problems
    fees = CONTRACTS["fees"]
    for order in result["orders"]:
        for name in (field.name for field in fees.rows if field.type == "money"):
            assert order[name] == f"{Decimal(order[name]):.2f}"
    for name in fees.totals:
        assert result["totals"][name] == f"{sum(Decimal(o[name]) for o in result['orders']):.2f}"


def _orders(count: int, bad: int = 0) -> str:
    rows = [f"o{i},2026-{i % 12 + 1:02d}-{i % 28 + 1:02d},{i % 9973}.{i % 100:02d},0" for i in range(count)]
    rows += [f"bad{i},2026-02-30,1,0" for i in range(bad)]
    return "id,date,amount,refunded\n" + "\n".join(rows) + "\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_paged_batch_gives_the_same_answer_as_the_whole_one(lang: str) -> None:
    text, data = _orders(1500), json.dumps({"onboarded_on": "2026-01-01"})
    whole = json.loads(api.compute_json("fees", data, lang, text))
    first = json.loads(api.compute_paged("fees", data, lang, text, None, 100, 1000))
    assert api.batch_json_due()
    assert json.loads(api.batch_json()) == api.contract(whole["result"]) == json.loads(whole["json"])
    assert not api.batch_json_due()
    assert first["paged"] == {"total": 1500, "page": 100, "files": {"csv": True, "errors_csv": False}}
    assert first["result"] == {**whole["result"], "orders": whole["result"]["orders"][:100]}
    assert first["rates"] == whole["rates"] and "json" not in first and "csv" not in first
    pages = [row for start in range(0, 1500, 100) for row in json.loads(api.batch_page(start, 100))]
    whole_table = next(b for b in whole["display"]["blocks"] if b["kind"] == "table")
    assert pages == whole_table["rows"] and len(pages) == 1500  # the fee table's rows, as the model words them
    assert api.batch_file("csv") == whole["csv"] and api.batch_file("errors_csv") == ""


def test_a_paged_batch_with_bad_rows_keeps_its_files_and_sends_no_json() -> None:
    text, data = _orders(1200, bad=3), json.dumps({"onboarded_on": "2026-01-01"})
    whole = json.loads(api.compute_json("fees", data, "en", text))
    first = json.loads(api.compute_paged("fees", data, "en", text, None, 100, 1000))
    assert not api.batch_json_due() and not first["ok"] and first["errors"] == whole["errors"]
    assert first["paged"]["files"] == {"csv": True, "errors_csv": True}
    assert api.batch_file("csv") == whole["csv"] and api.batch_file("errors_csv") == whole["errors_csv"]


def test_a_small_answer_comes_whole_and_forgets_the_last_batch() -> None:
    data = json.dumps({"onboarded_on": "2026-01-01"})
    api.compute_paged("fees", data, "en", _orders(1200), None, 100, 1000)
    small = json.loads(api.compute_paged("fees", data, "en", _orders(20), None, 100, 1000))
    assert small == json.loads(api.compute_json("fees", data, "en", _orders(20)))
    assert not api.batch_json_due() and api.batch_page(0, 100) == "[]" and api.batch_file("csv") == ""


def test_a_large_batch_reports_its_rows_done_while_it_is_checked_and_computed() -> None:
    seen: list[tuple[str, int, int]] = []
    api.compute_paged("fees", "{}", "en", _orders(25_000), lambda *args: seen.append(args), 100, 1000)
    assert seen == [(phase, done, 25_000) for phase in ("check", "compute") for done in (0, 10_000, 20_000)]


def test_the_worker_pages_with_the_python_sizes_and_a_batch_is_kept_per_object() -> None:
    from calculators.batches import Batches
    from calculators.display import PAGE_SIZE, WHOLE_TABLE

    data = json.dumps({"onboarded_on": "2026-01-01"})
    at_limit = json.loads(api.compute_paged("fees", data, "en", _orders(WHOLE_TABLE)))  # the worker's call
    assert "paged" not in at_limit and not api.batch_json_due()
    over = json.loads(api.compute_paged("fees", data, "en", _orders(WHOLE_TABLE + 1)))
    assert over["paged"]["page"] == PAGE_SIZE and len(over["result"]["orders"]) == PAGE_SIZE
    other = Batches(answers.answer, api.contract, answers.dump)  # its own kept batch, none yet
    assert other.batch_page(0, 10) == "[]" and other.batch_file("csv") == "" and not other.batch_json_due()
    assert len(json.loads(api.batch_page(0, 10))) == 10 and api.batch_json_due()


def test_each_callers_batches_are_its_own() -> None:
    """The shared runtime keeps one calculators.batches object per page (api.new_batches): a second
    page's large answer leaves the first page's kept batch as it was."""
    orders = [{"id": f"o{i}", "date": "2026-03-01", "amount": "10.00"} for i in range(1_500)]
    others = [{**order, "id": order["id"].replace("o", "p")} for order in orders]
    first, second = api.new_batches(), api.new_batches()
    first.compute_paged("fees", json.dumps({"onboarded_on": "2026-01-01", "orders": orders}), "en")
    second.compute_paged("fees", json.dumps({"onboarded_on": "2026-01-01", "orders": others}), "en")
    assert json.loads(first.batch_page(100, 1))[0][0] == "o100"
    assert json.loads(second.batch_page(100, 1))[0][0] == "p100"
