"""The page's widget's answers: typed figures read, the result with its display model and files, bad rows summed up."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from .contract import CONTRACTS
from .csv_io import errors_csv, fees_csv, fees_from_csv_rows
from .display import WHOLE_TABLE, display
from .fees import percent, rate_periods
from .inputs import MAX_DIGITS, MAX_PROBLEMS, InputError, Problem
from .json_input import parse_json
from .messages import word
from .policy import load_policy
from .results import compute, dumps
from .typed import as_read

__all__ = ["CSV_COMMAND", "MAX_PAGE_CSV", "Made", "answer", "dump", "read_as_typed", "row_summary"]

_PLAIN_FIGURE = re.compile(  # leading zeros (a few) and a point at either end, as the page types .5 and 5.
    rf"[+-]?0{{0,{MAX_DIGITS}}}(?:[0-9]{{1,{MAX_DIGITS}}}(?:\.[0-9]{{0,{MAX_DIGITS}}})?|\.[0-9]{{1,{MAX_DIGITS}}})")
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
                read[key] = plain
            # a figure too long for the page to type as a number comes as text: typed here, so that its
            # check says what is wrong with it (out of range), not that it is no number
            out[key] = _typed(plain, kind)
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


def _typed(text: Any, kind: str) -> Any:
    """A number typed into a form field as the JSON number it stands for (an integer stays one); other
    text (and a number longer than the calculators take) as it is, for the field's check to name."""
    if not isinstance(text, str) or not _PLAIN_FIGURE.fullmatch(text):
        return text
    if kind == "integer" and "." not in text:
        return int(text)
    if kind == "number":
        return Decimal(text)
    return text


class Made:
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


def answer(name: str, text: str, lang: str, csv_text: str | None,
           page: int | None = None, large: int = WHOLE_TABLE) -> tuple[dict[str, Any], Made | None]:
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
                        Made(name, result, problems, lang))
        else:
            result = compute(name, data, lang)
    except InputError as error:
        return {"ok": False, "errors": [p.as_json(lang) for p in error.problems], "read": read,
                "read_notes": _read_notes(read, lang)}, None
    reply: dict[str, Any] = {"ok": True, "result": result, "display": display(name, result, lang, page, large),
                             "read": read, "read_notes": _read_notes(read, lang)}
    if name == "fees":
        reply["rates"] = _rates(result)
    return reply, Made(name, result, [], lang)


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


def dump(reply: dict[str, Any]) -> str:
    """A widget's answer as the JSON text the page reads."""
    return json.dumps(reply, ensure_ascii=False, default=_plain)
