"""费用计算: the platform service fee per order, the one-year waiver, invoices and totals."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from .contract import CONTRACTS
from .inputs import CENT, DATE_MAX, DATE_MIN, MAX_TEXT, InputError, Problem, Reader
from .messages import json_escape, word
from .periods import period_end, today_in_china
from .policy import Policy, load_policy, value_at
from .typed import as_read

__all__ = ["calculate_fees", "calculate_valid_rows", "read_orders_csv", "fees_csv", "errors_csv", "percent", "rate_on",
           "rate_periods", "reporting_progress", "MAX_ORDERS"]

MAX_ORDERS = 1_000_000
NO_REFUND = Decimal("0.00")
FEES = CONTRACTS["fees"]
INPUT_FIELDS = frozenset(field.name for field in FEES.inputs)
ORDER_FIELDS = FEES.item_names("orders")  # also the orders file's header, `refunded` optional
_ORDER_KEYS = frozenset(ORDER_FIELDS)
_REQUIRED_HEADER = [field.name for field in FEES.field("orders").items if field.required]
RESULT_COLUMNS = tuple(field.name for field in FEES.rows)  # the result CSV's columns: an order's row
# the result CSV's further column: the free period as an ISO 8601 interval (first/last day), or empty
FREE_PERIOD_COLUMN = "free_period"


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


def _read_fees_input(data: Any, row_numbers: list[int] | None, keep_valid: bool = False,
                     problems: list[Problem] | None = None) -> tuple[dt.date | None, Decimal | None, list[Order]]:
    """The valid input; InputError for any fault, or with `keep_valid`, for faults outside the rows
    only (faulty rows are left out and their problems added to `problems`)."""
    reader = Reader(data, problems=problems)
    reader.reject_unknown(set(INPUT_FIELDS))
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
        days: dict[str, dt.date | None] = {}
        report, count = _progress.get(), len(raw_orders)
        for index, raw in enumerate(raw_orders):
            if report is not None and index % PROGRESS_STEP == 0 and count > PROGRESS_STEP:
                report("check", index, count)
            order = _plain_order(raw, onboarded_on, seen, days)
            if order is not None:
                orders.append(order)
                continue
            order_id = raw.get("id") if isinstance(raw, dict) else None
            shown_id = order_id if isinstance(order_id, str) else None
            if row_numbers is None:
                row = Reader(raw, f"orders[{index}]", shown_id, reader.problems)
            else:
                row = Reader(raw, "", shown_id, reader.problems, row=row_numbers[index])
            before = _found(reader.problems)
            row.reject_unknown(set(ORDER_FIELDS))
            oid = row.text("id", required=True)
            oid = None if oid is None else oid.strip()  # as a CSV cell is read: "\u3000=1" is "=1"
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
            if _found(reader.problems) == before:
                orders.append((oid, day, amount, refunded))
    faults_outside_rows = [p for p in reader.problems if p.row is None]
    if faults_outside_rows if keep_valid else _found(reader.problems):
        raise InputError(reader.problems)
    return onboarded_on, deposit, orders


def _found(problems: list[Problem]) -> int:
    """How many problems have been found (a bounded list counts those it does not keep)."""
    return getattr(problems, "total", len(problems))


_PLAIN_MONEY = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")
_PLAIN_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _plain_order(raw: Any, onboarded_on: dt.date | None, seen: set[str],
                 days: dict[str, dt.date | None]) -> Order | None:
    """A valid order whose values are written plainly (an ASCII id; dates as YYYY-MM-DD; amounts as
    digits with at most two decimals), as most rows of a large file are; None for any other, which
    the full check reads and, if it is at fault, names. `days` keeps each date text's day (None: not
    a plain valid day), `seen` the ids so far; the result is the one the full check gives."""
    if type(raw) is not dict or not raw.keys() <= _ORDER_KEYS:
        return None
    oid, day_text, amount_text = raw.get("id"), raw.get("date"), raw.get("amount")
    refunded_text = raw.get("refunded")
    if (type(oid) is not str or not 0 < len(oid) <= MAX_TEXT or not oid.isascii() or oid.strip() != oid
            or not oid or oid in seen or type(day_text) is not str or type(amount_text) is not str
            or not _PLAIN_MONEY.fullmatch(amount_text)):
        return None
    if day_text in days:
        day = days[day_text]
    else:
        day = days[day_text] = _plain_day(day_text, onboarded_on)
    if day is None:
        return None
    if refunded_text is None:
        refunded = NO_REFUND
    elif type(refunded_text) is str and _PLAIN_MONEY.fullmatch(refunded_text):
        refunded = Decimal(refunded_text).quantize(CENT)
    else:
        return None
    amount = Decimal(amount_text).quantize(CENT)
    if refunded > amount:
        return None
    seen.add(oid)
    return oid, day, amount, refunded


def _plain_day(text: str, onboarded_on: dt.date | None) -> dt.date | None:
    """The day of a date written YYYY-MM-DD that the full check accepts for an order, or None."""
    if not _PLAIN_DAY.fullmatch(text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    if not DATE_MIN <= day <= DATE_MAX or (onboarded_on is not None and day < onboarded_on):
        return None
    return day


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
    zero = Decimal("0.00")
    # money as text with two decimals: str() writes a Decimal with two decimal places exactly so
    # (and four times faster than format()); amounts as read always have them, fees when the
    # rounding quantum is a cent
    cents = str if quantum.as_tuple().exponent == -2 else "{:.2f}".format
    by_day: dict[dt.date, tuple[str, str, Decimal, bool]] = {}  # day -> its text, rate, waiver
    total_amount = total_refunded = total_base = total_fee = total_waived = zero
    rows = []
    report = _progress.get()
    count = len(orders)
    for index, (oid, day, amount, refunded) in enumerate(orders):
        if report is not None and index % PROGRESS_STEP == 0 and count > PROGRESS_STEP:
            report("compute", index, count)
        known = by_day.get(day)
        if known is None:
            written, rate = rate_on(fees, day)
            waived = waiver_end is not None and onboarded_on <= day <= waiver_end
            known = by_day[day] = (day.isoformat(), written, rate, waived)
        iso, written, rate, waived = known
        base = amount - refunded
        full_fee = (base * rate).quantize(quantum, rounding=mode)
        fee, waived_fee = (zero, full_fee) if waived else (full_fee, zero)
        total_amount += amount
        total_refunded += refunded
        total_base += base
        total_fee += fee
        total_waived += waived_fee
        base_text, fee_text = str(base), cents(fee)
        rows.append({
            "id": oid, "date": iso, "amount": str(amount), "refunded": str(refunded),
            "fee_base": base_text, "rate": written, "waived": waived, "fee": fee_text,
            "waived_fee": cents(waived_fee), "provider_receives": cents(base - fee),
            "platform_invoice": fee_text, "user_invoice": base_text,
        })
    totals = {"amount": total_amount, "refunded": total_refunded, "fee_base": total_base, "fee": total_fee,
              "waived_fee": total_waived, "provider_receives": total_base - total_fee}
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
    if waiver_end is not None:  # for the display and the result CSV (the contract's JSON leaves it out)
        result["free_period"] = {"first": onboarded_on.isoformat(), "last": waiver_end.isoformat()}
    if deposit is not None:
        result["deposit"]["planned"] = f"{deposit:.2f}"
        result["deposit"]["planned_note"] = word("deposit_planned", lang)
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
    rates = {row["date"]: row["rate"] for row in orders}  # a day has one rate: each day once
    for day in sorted(rates):
        if periods and periods[-1]["rate"] == rates[day]:
            periods[-1]["last"] = day
        else:
            periods.append({"rate": rates[day], "first": day, "last": day})
    return periods


MAX_CELL = 131_072  # characters of a CSV cell (the csv module's own limit); a longer cell's row is refused


class Readings:
    """The cells of an orders file read from another form than they were written in (2026/8/15 as
    2026-08-15, ¥1,280 as 1280): how many, and the first few, to show as read."""

    SHOWN = 3

    def __init__(self) -> None:
        self.count = 0
        self.examples: list[dict[str, Any]] = []

    def note(self, row: int, column: str, value: str, read: str) -> None:
        if read != value:
            self.count += 1
            if len(self.examples) < self.SHOWN:
                self.examples.append({"row": row, "column": column, "value": value, "read": read})


def read_orders_csv(text: str, readings: Readings | None = None) -> tuple[list[dict[str, str]], list[int],
                                                                          list[Problem]]:
    """Orders from CSV text with the header id,date,amount[,refunded], each order's row number, and
    a problem for each row whose shape is wrong (left out): every row is an order or a problem. The
    values are checked by calculate_fees; `readings` gets the cells read from another form.
    Raises InputError when the header is wrong.
    """
    text = text.lstrip("\ufeff")
    rows, unclosed = _csv_rows(text)
    quote_row = len(rows) if unclosed is not None else None  # the row whose quote takes the rest
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise InputError([Problem("csv", "csv_header", expected=",".join(ORDER_FIELDS), value='""')])
    header = [cell.strip().lower() for cell in rows[0]]
    if header not in (list(ORDER_FIELDS), _REQUIRED_HEADER):
        raise InputError([Problem("csv", "csv_header", expected=",".join(ORDER_FIELDS),
                                  value='"' + ",".join(header)[:60] + '"')])
    problems: list[Problem] = []
    orders, numbers = [], []
    dates: dict[str, str] = {}  # each date cell as read, once: a large file repeats its days
    plain = _PLAIN_MONEY.fullmatch  # an amount that reads as itself (as_read would return it unchanged)
    refunds = len(header) == 4
    for number, cells in enumerate(rows[1:], start=2):
        if number == quote_row:
            problems.append(Problem("", "csv_quote", row=number, lines=f"{unclosed:,}"))
            continue
        if any(len(cell) > MAX_CELL for cell in cells):
            problems.append(Problem("", "csv_cell", row=number, maximum=f"{MAX_CELL:,}"))
            continue
        if len(cells) != len(header):
            if any(cell.strip() for cell in cells):
                problems.append(Problem("", "csv_columns", row=number))
            continue
        # as spreadsheets export them: "1,280.00", "¥1280", full-width digits
        oid, day, amount = cells[0].strip(), cells[1].strip(), cells[2].strip()
        refunded = cells[3].strip() if refunds else ""
        if not (oid or day or amount or refunded):
            continue
        read_day = dates.get(day)
        if read_day is None:
            read_day = dates[day] = as_read(day, "date")
        order = {"id": oid, "date": read_day, "amount": amount if plain(amount) else as_read(amount, "money")}
        if refunded:
            order["refunded"] = refunded if plain(refunded) else as_read(refunded, "money")
        if readings is not None and (read_day != day or order["amount"] != amount
                                     or order.get("refunded", refunded) != refunded):
            for column, value in (("date", day), ("amount", amount), ("refunded", refunded)):
                readings.note(number, column, value, order.get(column, value))
        orders.append(order)
        numbers.append(number)
    return orders, numbers, problems


def _csv_rows(text: str) -> tuple[list[list[str]], int | None]:
    """The CSV's rows (cells of any length: a long one is its row's problem, not the end of the
    reading), and when its last row opens a quote that never closes, how many lines follow that
    quote (they were read into the cell); else None."""
    limit = csv.field_size_limit(len(text) + 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        rows: list[list[str]] = []
        first_line = 1
        for cells in reader:
            rows.append(cells)
            last_first_line, first_line = first_line, reader.line_num + 1
        if not rows:
            return rows, None
        lines = reader.line_num
        return rows, _unclosed(text, last_first_line, lines)
    finally:
        csv.field_size_limit(limit)


def _unclosed(text: str, first_line: int, lines: int) -> int | None:
    """Whether the record that starts on line `first_line` (of `lines`) ends the text inside a quote:
    then the lines after that one, else None. The same dialect, strict, says so."""
    stream = io.StringIO(text, newline="")
    offset = 0
    for _ in range(first_line - 1):
        offset += len(stream.readline())
    try:
        for _ in csv.reader(io.StringIO(text[offset:], newline=""), strict=True):
            pass
    except csv.Error:
        return lines - first_line
    return None


# What a spreadsheet may take for the start of a formula: ASCII, and the full-width and small forms
# a Chinese input method types (some spreadsheets fold them to ASCII), the minus sign, the pipe (DDE).
FORMULA_START = frozenset("=+-@|\t\r\n＝＋－＠﹦﹢﹣−｜")
# Characters a file must not hold raw, for a terminal or a spreadsheet would act on them or hide
# them (controls, bidi and other format characters, line and paragraph separators, lone surrogates):
# written as the JSON escape \\uXXXX, as the CLI prints them. A tab stays.
HIDDEN = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs"))


def _hidden(char: str) -> bool:
    return char != "\t" and unicodedata.category(char) in HIDDEN


def _neutralise(cell: str) -> str:
    """A cell as a CSV file holds it: hidden characters escaped, and a cell a spreadsheet could read
    as a formula (OWASP CSV injection) prefixed with ': also when what starts it follows spaces or
    invisible characters (" =", "\\u200b=", "\\u202e+", NUL then =), which a spreadsheet may skip."""
    if cell.isascii() and cell.isprintable() and cell[:1] not in FORMULA_START:
        return cell  # nearly every cell: plain text, nothing to do
    first = next((char for char in cell if not (char.isspace() or _hidden(char))), "")
    shown = "".join(json_escape(char) if _hidden(char) else char for char in cell)
    return "'" + shown if first in FORMULA_START or cell[:1] in FORMULA_START else shown


def fees_csv(result: dict[str, Any], left_out: list[Problem] | None = None, lang: str = "zh") -> str:
    """The per-order result as CSV, formula-like cells neutralised. With `left_out` (the problems of
    rows that were not computed), a `status` column says "ok" for each computed order, and each row
    left out follows with its row number, its id and why, so that nothing disappears without a word.
    The `free_period` column gives the fee-free period (first/last day) every row was judged by."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RESULT_COLUMNS + (FREE_PERIOD_COLUMN,) + (("status",) if left_out else ()))
    free = result.get("free_period")
    period = f"{free['first']}/{free['last']}" if free else ""
    for row in result["orders"]:
        writer.writerow([_neutralise(str(row[name]).lower() if name == "waived" else str(row[name]))
                         for name in RESULT_COLUMNS] + [period] + (["ok"] if left_out else []))
    for problem in left_out or []:
        cells = dict.fromkeys(RESULT_COLUMNS, "")
        cells["id"] = problem.order_id or ""
        status = word("left_out", lang, row=problem.row or "", problem=problem.text(lang, row=False))
        writer.writerow([_neutralise(cells[name]) for name in RESULT_COLUMNS] + [period] + [_neutralise(status)])
    return out.getvalue()


def errors_csv(problems: list[Problem], lang: str = "zh") -> str:
    """The problems of an orders file as a report to fix it by: row, id, field, problem."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("row", "id", "field", "problem"))
    for problem in problems:
        writer.writerow([problem.row or "", _neutralise(problem.order_id or ""), _neutralise(problem.field),
                         _neutralise(word(problem.code, lang, **problem.params))])
    return out.getvalue()

