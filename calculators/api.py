"""One entry point for every surface: the command line, Python callers and the in-page widgets."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .batches import Batches
from .contract import CONTRACTS
from .csv_io import Readings, errors_csv, fees_csv, read_orders_csv
from .display import WHOLE_TABLE, display
from .eligibility import check_eligibility
from .fees import calculate_fees, calculate_valid_rows, percent, rate_periods
from .inputs import MAX_PROBLEMS, InputError, Problem
from .json_input import parse_json
from .messages import LANGUAGES, escape_invisible, word
from .policy import load_policy
from .progress import reporting_progress
from .review import estimate_review
from .typed import as_read

__all__ = ["CALCULATORS", "batch_file", "batch_json", "batch_json_due", "batch_page", "compute", "compute_json",
           "compute_paged", "contract", "dumps", "fees_from_csv"]

CALCULATORS: dict[str, Callable[..., dict[str, Any]]] = {
    "eligibility": check_eligibility,
    "fees": calculate_fees,
    "review": estimate_review,
}


def compute(name: str, data: Any, lang: str = "zh") -> dict[str, Any]:
    """Run calculator `name` on already-parsed JSON input; raises InputError on invalid input."""
    if name not in CALCULATORS:
        raise ValueError(f"unknown calculator {name!r}; choose one of {', '.join(CALCULATORS)}")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return CALCULATORS[name](data, lang=lang)


# What a result carries for its display model only (the review's skipped days and make-up working
# days, which the report and the widget label; the fees' free period, which they and the result CSV
# name; the eligibility's conditions that start or end on a date); the contract's JSON leaves them out.
DISPLAY_ONLY = ("skipped", "makeup_working_days", "scheduled", "free_period", "csv_read")


def contract(result: dict[str, Any]) -> dict[str, Any]:
    """A result as the contract's JSON gives it: without what only its display model shows."""
    return {key: value for key, value in result.items() if key not in DISPLAY_ONLY}


def dumps(result: dict[str, Any]) -> str:
    """The contract's JSON text for a result, the same on every surface; control and bidi
    characters (from order ids) are escaped, so that the text is safe to print to a terminal."""
    return escape_invisible(json.dumps(contract(result), ensure_ascii=False, indent=2))


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


TYPED = ("integer", "number", "date", "money")  # the field types whose figures people type


def read_as_typed(name: str, data: Any) -> tuple[Any, dict[str, str]]:
    """The form's input with figures read as people type them ("２０", "1,280.00", "¥1280"), and what
    each changed field was read as (the widget shows it beside the field). The JSON API and the CLI
    read JSON types strictly, as the contract says; the form is typed by people."""
    if not isinstance(data, dict):
        return data, {}
    declared = CONTRACTS[name].inputs if name in CONTRACTS else ()  # compute() names an unknown calculator
    kinds = {f["name"]: f["type"] for f in load_policy().fields if f["type"] in TYPED} if name == "eligibility" else {}
    kinds |= {field.name: field.type for field in declared if field.type in TYPED}
    read: dict[str, str] = {}
    out = dict(data)
    for key, kind in kinds.items():
        if isinstance(data.get(key), str):
            plain = as_read(data[key], kind)
            if plain != data[key]:
                out[key] = _typed(plain, kind)
                read[key] = plain
    for listed in (field for field in declared if field.items):
        items = data.get(listed.name)
        if isinstance(items, list) and len(items) == 1 and isinstance(items[0], dict):  # the form's one order
            item = dict(items[0])
            for field in listed.items:
                if field.type in TYPED and isinstance(item.get(field.name), str):
                    plain = as_read(item[field.name], field.type)
                    if plain != item[field.name]:
                        item[field.name], read[field.name] = plain, plain
            out[listed.name] = [item]
    return out, read


def _typed(text: str, kind: str) -> Any:
    """A number typed into a form field as the JSON number it stands for (an integer stays one)."""
    if kind == "integer" and text.lstrip("+-").isdigit():
        return int(text)
    if kind == "number":
        return Decimal(text)
    return text


def compute_json(name: str, text: str, lang: str = "zh", csv_text: str | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> str:
    """For the widgets: JSON in, JSON out, never an exception for the user's input.

    Returns {"ok": true, "result": …, "json": "<the CLI's --json text>", "display": <display model>,
    "read": {field: as read}, "read_notes": {field: "read as …"}, "csv": "…", "rates": …} or
    {"ok": false, "errors": [{"field", "id", "row", "message"}], …}; a CSV with bad rows adds the good
    rows' "partial" result and its "display".
    """
    with reporting_progress(progress):
        answer, made = _answer(name, text, lang, csv_text)
    if made is not None:
        answer |= made.files()
    return _dump(answer)


class _Made:
    """A computed answer's result and the rows left out, from which its texts are written when needed."""

    __slots__ = ("name", "result", "problems", "lang")

    def __init__(self, name: str, result: dict[str, Any], problems: list[Problem], lang: str) -> None:
        self.name, self.result, self.problems, self.lang = name, result, problems, lang

    def files(self) -> dict[str, str]:
        """The answer's texts: the CLI's --json (when every row was computed) and the CSV files."""
        texts = {} if self.problems else {"json": dumps(self.result)}
        if self.name == "fees":
            texts["csv"] = self.file("csv")
            if self.problems:
                texts["errors_csv"] = self.file("errors_csv")
        return texts

    def file(self, which: str) -> str:
        if which == "csv":
            return fees_csv(self.result, self.problems, self.lang)
        return errors_csv(self.problems, self.lang) if which == "errors_csv" and self.problems else ""


def _answer(name: str, text: str, lang: str, csv_text: str | None,
            page: int | None = None, large: int = WHOLE_TABLE) -> tuple[dict[str, Any], _Made | None]:
    """The widget's answer without its texts (JSON, CSV), and what they are written from. Its display
    model lists the fee table whole, or with `page`, a page of it when it has over `large` orders."""
    read: dict[str, str] = {}
    try:
        data, read = read_as_typed(name, parse_json(text))
        if csv_text is not None and len(csv_text) > MAX_PAGE_CSV:  # the page refuses such a file first
            raise InputError([Problem("csv", "csv_too_large", maximum=f"{MAX_PAGE_CSV:,}", command=CSV_COMMAND)])
        if csv_text is not None:
            if not isinstance(data, dict):
                data = {}
            result, problems = fees_from_csv_rows(csv_text, data.get("onboarded_on"), lang, data.get("deposit"))
            if problems:  # good rows are kept: their result comes with the bad rows' problems
                shown, counts = row_summary(problems)
                return ({"ok": False, "errors": [p.as_json(lang) for p in shown], "error_rows": counts,
                         "partial": result, "display": display("fees", result, lang, page, large),
                         "rates": _rates(result)},
                        _Made(name, result, problems, lang))
        else:
            result = compute(name, data, lang)
    except InputError as error:
        return {"ok": False, "errors": [p.as_json(lang) for p in error.problems], "read": read,
                "read_notes": _read_notes(read, lang)}, None
    answer: dict[str, Any] = {"ok": True, "result": result, "display": display(name, result, lang, page, large),
                              "read": read, "read_notes": _read_notes(read, lang)}
    if name == "fees":
        answer["rates"] = _rates(result)
    return answer, _Made(name, result, [], lang)


# Characters of CSV the page's worker reads (the page refuses a larger file before reading it); the
# command line, which reads any size, is named instead.
MAX_PAGE_CSV = 16 * 1024 * 1024
CSV_COMMAND = "python -m calculators fees --csv orders.csv"
SHOWN_ROWS = 5  # rows the page names for each kind of problem ("rows 3, 4, 5, 6, 7 and more")


def row_summary(problems: list[Problem]) -> tuple[list[Problem], dict[str, Any]]:
    """What the page shows of a CSV's bad rows, however many: the problems of the first SHOWN_ROWS
    rows of each kind of problem (its code and field), every problem outside rows (up to
    MAX_PROBLEMS), and the rows counted: {"rows": bad rows, "groups": {"code|field": rows}}. The
    error report (errors_csv) lists them all; a page sent every one of 600,000 problems dies."""
    rows: set[int] = set()
    groups: dict[str, set[int]] = {}
    shown: list[Problem] = []
    outside = 0
    for problem in problems:
        if problem.row is None:
            outside += 1
            if outside <= MAX_PROBLEMS:
                shown.append(problem)
            continue
        rows.add(problem.row)
        group = groups.setdefault(f"{problem.code}|{problem.field}", set())
        if len(group) < SHOWN_ROWS or problem.row in group:
            shown.append(problem)
        group.add(problem.row)
    return shown, {"rows": len(rows), "groups": {key: len(group) for key, group in groups.items()}}


def _read_notes(read: dict[str, str], lang: str) -> dict[str, str]:
    """Beside each field typed as people type: what it was read as."""
    return {name: word("read_as", lang, value=value) for name, value in read.items()}


def _rates(result: dict[str, Any]) -> dict[str, Any]:
    """For the widget: each rate as a percentage, and the runs of orders by rate (more than one when
    the orders span a rate change)."""
    periods = [{**period, "percent": percent(period["rate"])} for period in rate_periods(result["orders"])]
    return {"percent": {p["rate"]: p["percent"] for p in periods} | {result["rate"]: percent(result["rate"])},
            "periods": periods}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else repr(value)


def _dump(answer: dict[str, Any]) -> str:
    """A widget's answer as the JSON text the page reads."""
    return json.dumps(answer, ensure_ascii=False, default=_plain)


# The page's worker's large answers (calculators.batches), kept in one object; what the worker calls.
_batches = Batches(_answer, contract, _dump)
compute_paged = _batches.compute_paged
batch_json_due = _batches.batch_json_due
batch_json = _batches.batch_json
batch_page = _batches.batch_page
batch_file = _batches.batch_file
