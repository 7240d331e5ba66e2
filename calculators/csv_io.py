"""Orders as CSV in, results and problems as CSV out: the orders file read as spreadsheets write it, cells made safe."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

from .contract import CONTRACTS
from .fees import calculate_fees, calculate_valid_rows
from .inputs import InputError, Problem
from .messages import json_escape, word
from .orders import ORDER_FIELDS, PLAIN_MONEY
from .typed import as_read

__all__ = ["Readings", "errors_csv", "fees_csv", "fees_from_csv", "fees_from_csv_rows", "read_orders_csv"]

FEES = CONTRACTS["fees"]
_REQUIRED_HEADER = [field.name for field in FEES.field("orders").items if field.required]
RESULT_COLUMNS = tuple(field.name for field in FEES.rows)  # the result CSV's columns: an order's row
# the result CSV's further column: the free period as an ISO 8601 interval (first/last day), or empty
FREE_PERIOD_COLUMN = "free_period"

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
    plain = PLAIN_MONEY.fullmatch  # an amount that reads as itself (as_read would return it unchanged)
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


def _csv_input(text: str, onboarded_on: str | None, deposit: str | None,
               readings: Readings) -> tuple[dict[str, Any], list[int], list[Problem]]:
    orders, numbers, problems = read_orders_csv(text, readings)
    data: dict[str, Any] = {"orders": orders}
    if onboarded_on:
        data["onboarded_on"] = onboarded_on
    if deposit:
        data["deposit"] = deposit
    return data, numbers, problems


def _with_readings(result: dict[str, Any], readings: Readings, encoding: str | None) -> dict[str, Any]:
    """The result with how its file was read (display only): the encoding, the cells read as."""
    if readings.count or encoding:
        result["csv_read"] = {"encoding": encoding, "count": readings.count, "examples": readings.examples}
    return result


def fees_from_csv(text: str, onboarded_on: str | None, lang: str = "zh",
                  deposit: str | None = None, encoding: str | None = None) -> dict[str, Any]:
    """Fees for orders given as CSV text; raises InputError naming every row at fault. `encoding`:
    the one the file was read in, to name in the report."""
    readings = Readings()
    data, numbers, problems = _csv_input(text, onboarded_on, deposit, readings)
    more = 0
    try:
        result = calculate_fees(data, lang=lang, row_numbers=numbers)
    except InputError as error:
        problems += error.problems
        more = error.more
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row or 0)), more)
    return _with_readings(result, readings, encoding)


def fees_from_csv_rows(text: str, onboarded_on: str | None, lang: str = "zh",
                       deposit: str | None = None, encoding: str | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Fees for the good rows of a CSV, and a problem for each bad row (naming its row number)."""
    readings = Readings()
    data, numbers, problems = _csv_input(text, onboarded_on, deposit, readings)
    result, row_problems = calculate_valid_rows(data, numbers, lang=lang)
    return _with_readings(result, readings, encoding), sorted(problems + row_problems, key=lambda p: (p.row or 0))
