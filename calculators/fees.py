"""费用计算: the platform service fee per order, the one-year waiver, invoices and totals."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from .inputs import InputError, Problem, Reader
from .messages import message
from .periods import period_end, today_in_china
from .policy import Policy, load_policy, value_at
from .typed import as_read

__all__ = ["calculate_fees", "calculate_valid_rows", "read_orders_csv", "fees_csv", "errors_csv", "percent", "rate_on",
           "rate_periods", "reporting_progress", "MAX_ORDERS"]

MAX_ORDERS = 1_000_000
NO_REFUND = Decimal("0.00")
ORDER_FIELDS = ("id", "date", "amount", "refunded")
MONEY_FIELDS = ("amount", "refunded", "fee_base", "fee", "waived_fee", "provider_receives")
RESULT_COLUMNS = ("id", "date", "amount", "refunded", "fee_base", "rate", "waived", "fee", "waived_fee",
                  "provider_receives", "platform_invoice", "user_invoice")


Order = tuple[str, dt.date, Decimal, Decimal]

# Progress over large batches: a callable(phase, done, total) set by `reporting_progress`, called
# every PROGRESS_STEP orders while orders are checked ("check") and computed ("compute").
PROGRESS_STEP = 10_000
_progress: ContextVar[Callable[[str, int, int], None] | None] = ContextVar("progress", default=None)


@contextmanager
def reporting_progress(report: Callable[[str, int, int], None] | None) -> Iterator[None]:
    """Within the block, large batches report (phase, orders done, orders in all) to `report`."""
    token = _progress.set(report)
    try:
        yield
    finally:
        _progress.reset(token)


def _tick(phase: str, done: int, total: int) -> None:
    report = _progress.get()
    if report is not None and done % PROGRESS_STEP == 0 and total > PROGRESS_STEP:
        report(phase, done, total)


def _read_fees_input(data: Any, row_numbers: list[int] | None, keep_valid: bool = False,
                     problems: list[Problem] | None = None) -> tuple[dt.date | None, Decimal | None, list[Order]]:
    """The valid input; InputError for any fault, or with `keep_valid`, for faults outside the rows
    only (faulty rows are left out and their problems added to `problems`)."""
    reader = Reader(data, problems=problems)
    reader.reject_unknown({"onboarded_on", "orders", "deposit"})
    onboarded_on = reader.date("onboarded_on", required=False)
    deposit = reader.money("deposit", required=False)
    raw_orders = reader.data.get("orders")
    orders = []
    if raw_orders is None:
        reader.fail("orders", "missing")
    elif not isinstance(raw_orders, list):
        reader.fail("orders", "list")
    elif len(raw_orders) > MAX_ORDERS:
        reader.fail("orders", "too_many_orders", maximum=MAX_ORDERS)
    else:
        seen: set[str] = set()
        for index, raw in enumerate(raw_orders):
            _tick("check", index, len(raw_orders))
            order_id = raw.get("id") if isinstance(raw, dict) else None
            shown_id = order_id if isinstance(order_id, str) else None
            if row_numbers is None:
                row = Reader(raw, f"orders[{index}]", shown_id, reader.problems)
            else:
                row = Reader(raw, "", shown_id, reader.problems, row=row_numbers[index])
            before = len(reader.problems)
            row.reject_unknown(set(ORDER_FIELDS))
            oid = row.text("id", required=True)
            day = row.date("date", required=True, not_before=onboarded_on, code_before="before_onboarding",
                           onboarded_on=onboarded_on.isoformat() if onboarded_on else "")
            amount = row.money("amount", required=True)
            refunded = row.money("refunded", required=False)
            refunded = NO_REFUND if refunded is None else refunded
            if amount is not None and refunded > amount:
                row.fail("refunded", "refund_exceeds", refunded=str(refunded), amount=str(amount))
            if oid is not None:
                if oid in seen:
                    row.fail("id", "duplicate_id", value=f'"{oid[:40]}"')
                seen.add(oid)
            if len(reader.problems) == before:
                orders.append((oid, day, amount, refunded))
    faults_outside_rows = [p for p in reader.problems if p.row is None]
    if faults_outside_rows if keep_valid else reader.problems:
        raise InputError(reader.problems)
    return onboarded_on, deposit, orders


def calculate_fees(data: Any, lang: str = "zh", policy: Policy | None = None,
                   today: dt.date | None = None, row_numbers: list[int] | None = None) -> dict[str, Any]:
    """Fees for a list of orders (raises InputError on bad input).

    `row_numbers`, for orders read from CSV, names each order's row in problems instead of its index.
    """
    onboarded_on, deposit, orders = _read_fees_input(data, row_numbers)
    return _fees(onboarded_on, deposit, orders, lang, policy or load_policy(), today)


def calculate_valid_rows(data: Any, row_numbers: list[int], lang: str = "zh", policy: Policy | None = None,
                         today: dt.date | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Fees for the valid rows of a CSV, and the problems of the others (each naming its row)."""
    problems: list[Problem] = []
    onboarded_on, deposit, orders = _read_fees_input(data, row_numbers, keep_valid=True, problems=problems)
    return _fees(onboarded_on, deposit, orders, lang, policy or load_policy(), today), problems


def _fees(onboarded_on: dt.date | None, deposit: Decimal | None, orders: list[Order], lang: str,
          policy: Policy, today: dt.date | None) -> dict[str, Any]:
    fees = policy.fees
    rounding = fees["rounding"]
    quantum, mode = Decimal(rounding["quantum"]), rounding["mode"]
    waiver_end = None
    if onboarded_on is not None:
        years = value_at(fees["waiver"]["years"], onboarded_on)
        waiver_end = period_end(onboarded_on, years) if years else None
    rates: dict[dt.date, tuple[str, Decimal]] = {}
    zero = Decimal("0.00")
    totals = dict.fromkeys(MONEY_FIELDS, zero)
    rows = []
    for index, (oid, day, amount, refunded) in enumerate(orders):
        _tick("compute", index, len(orders))
        written, rate = rates.get(day) or rates.setdefault(day, rate_on(fees, day))
        base = amount - refunded
        full_fee = (base * rate).quantize(quantum, rounding=mode)
        waived = waiver_end is not None and onboarded_on <= day <= waiver_end
        fee, waived_fee = (zero, full_fee) if waived else (full_fee, zero)
        receives = base - fee
        totals["amount"] += amount
        totals["refunded"] += refunded
        totals["fee_base"] += base
        totals["fee"] += fee
        totals["waived_fee"] += waived_fee
        totals["provider_receives"] += receives
        rows.append({
            "id": oid, "date": day.isoformat(), "amount": f"{amount:.2f}", "refunded": f"{refunded:.2f}",
            "fee_base": f"{base:.2f}", "rate": written, "waived": waived, "fee": f"{fee:.2f}",
            "waived_fee": f"{waived_fee:.2f}", "provider_receives": f"{receives:.2f}",
            "platform_invoice": f"{fee:.2f}", "user_invoice": f"{base:.2f}",
        })
    day = max((order[1] for order in orders), default=today or today_in_china())
    deposit_amount = value_at(fees["deposit"]["amount"], day)
    result: dict[str, Any] = {
        "policy_version": policy.version,
        "rate": rate_on(fees, day)[0],
        "orders": rows,
        "totals": {name: f"{value:.2f}" for name, value in totals.items()},
        "deposit": {
            "amount": None if deposit_amount is None else f"{Decimal(deposit_amount):.2f}",
            "note": fees["deposit"]["note"][lang],
        },
    }
    if deposit is not None:
        result["deposit"]["planned"] = f"{deposit:.2f}"
        result["deposit"]["planned_note"] = message("deposit_planned", lang)
    return result


def rate_on(fees: dict[str, Any], day: dt.date) -> tuple[str, Decimal]:
    """The platform service fee rate in force on `day`: as the policy writes it (never re-rounded), and
    as a Decimal. A rule ended by null charges nothing from its date: "0"."""
    written = value_at(fees["platform_fee"]["rate"], day)
    written = "0" if written is None else written
    return written, Decimal(written)


def percent(rate: str) -> str:
    """A rate as people read it: "0.085" -> "8.5%", "0.10" -> "10%" (exact, never re-rounded)."""
    return f"{(Decimal(rate) * 100).normalize():f}%"


def rate_periods(orders: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The rates a batch of order rows paid, in date order: [{rate, first, last}], one per run of days
    with the same rate; more than one means the batch spans a rate change."""
    periods: list[dict[str, str]] = []
    for row in sorted(orders, key=lambda row: row["date"]):
        if periods and periods[-1]["rate"] == row["rate"]:
            periods[-1]["last"] = row["date"]
        else:
            periods.append({"rate": row["rate"], "first": row["date"], "last": row["date"]})
    return periods


def read_orders_csv(text: str) -> tuple[list[dict[str, str]], list[int], list[Problem]]:
    """Orders from CSV text with the header id,date,amount[,refunded], each order's row number, and
    a problem for each row whose shape is wrong (left out). The values are checked by calculate_fees.
    Raises InputError when the header is wrong.
    """
    text = text.lstrip("\ufeff")
    rows, broken = _csv_rows(text)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise InputError([Problem("csv", "csv_header", expected=",".join(ORDER_FIELDS), value='""')])
    header = [cell.strip().lower() for cell in rows[0]]
    if header not in (list(ORDER_FIELDS), list(ORDER_FIELDS[:3])):
        raise InputError([Problem("csv", "csv_header", expected=",".join(ORDER_FIELDS),
                                  value='"' + ",".join(header)[:60] + '"')])
    problems: list[Problem] = []
    orders, numbers = [], []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem("", "csv_columns", row=number))
            continue
        order = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        for name, kind in (("date", "date"), ("amount", "money"), ("refunded", "money")):
            if name in order:  # as spreadsheets export them: "1,280.00", "¥1280", full-width digits
                order[name] = as_read(order[name], kind)
        if order.get("refunded") == "":
            del order["refunded"]
        orders.append(order)
        numbers.append(number)
    if broken:
        problems.append(Problem("", "csv_cell", row=len(rows) + 1, maximum=f"{csv.field_size_limit():,}"))
    return orders, numbers, problems


def _csv_rows(text: str) -> tuple[list[list[str]], bool]:
    """The CSV's rows up to the first that cannot be read (a cell over the csv module's field
    limit, as when a quote opens and never closes), and whether there was one."""
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            rows.append(cells)
    except csv.Error:
        return rows, True
    return rows, False


def _neutralise(cell: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (OWASP CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def fees_csv(result: dict[str, Any], left_out: list[Problem] | None = None, lang: str = "zh") -> str:
    """The per-order result as CSV, formula-like cells neutralised. With `left_out` (the problems of
    rows that were not computed), a `status` column says "ok" for each computed order, and each row
    left out follows with its row number, its id and why, so that nothing disappears without a word."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RESULT_COLUMNS + (("status",) if left_out else ()))
    for row in result["orders"]:
        writer.writerow([_neutralise(str(row[name]).lower() if name == "waived" else str(row[name]))
                         for name in RESULT_COLUMNS] + (["ok"] if left_out else []))
    for problem in left_out or []:
        cells = dict.fromkeys(RESULT_COLUMNS, "")
        cells["id"] = problem.order_id or ""
        writer.writerow([_neutralise(cells[name]) for name in RESULT_COLUMNS]
                        + [_neutralise(message("left_out", lang, row=problem.row or "", problem=problem.text(lang)))])
    return out.getvalue()


def errors_csv(problems: list[Problem], lang: str = "zh") -> str:
    """The problems of an orders file as a report to fix it by: row, id, field, problem."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("row", "id", "field", "problem"))
    for problem in problems:
        writer.writerow([problem.row or "", _neutralise(problem.order_id or ""), _neutralise(problem.field),
                         _neutralise(message(problem.code, lang, **problem.params))])
    return out.getvalue()

