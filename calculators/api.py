"""One entry point for every surface: the command line, Python callers and the in-page widgets."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .eligibility import check_eligibility
from .fees import (
    calculate_fees,
    calculate_valid_rows,
    errors_csv,
    fees_csv,
    percent,
    rate_periods,
    read_orders_csv,
    reporting_progress,
)
from .inputs import InputError, Problem, parse_json
from .messages import LANGUAGES, escape_invisible
from .policy import load_policy
from .report import verdict, verdict_kind
from .review import estimate_review
from .typed import as_read

__all__ = ["CALCULATORS", "compute", "compute_json", "dumps", "fees_from_csv"]

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


def dumps(result: dict[str, Any]) -> str:
    """The contract's JSON text for a result, the same on every surface; control and bidi
    characters (from order ids) are escaped, so that the text is safe to print to a terminal."""
    return escape_invisible(json.dumps(result, ensure_ascii=False, indent=2))


def _csv_input(text: str, onboarded_on: str | None,
               deposit: str | None) -> tuple[dict[str, Any], list[int], list[Problem]]:
    orders, numbers, problems = read_orders_csv(text)
    data: dict[str, Any] = {"orders": orders}
    if onboarded_on:
        data["onboarded_on"] = onboarded_on
    if deposit:
        data["deposit"] = deposit
    return data, numbers, problems


def fees_from_csv(text: str, onboarded_on: str | None, lang: str = "zh",
                  deposit: str | None = None) -> dict[str, Any]:
    """Fees for orders given as CSV text; raises InputError naming every row at fault."""
    data, numbers, problems = _csv_input(text, onboarded_on, deposit)
    try:
        result = calculate_fees(data, lang=lang, row_numbers=numbers)
    except InputError as error:
        problems += error.problems
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row or 0)))
    return result


def fees_from_csv_rows(text: str, onboarded_on: str | None, lang: str = "zh",
                       deposit: str | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Fees for the good rows of a CSV, and a problem for each bad row (naming its row number)."""
    data, numbers, problems = _csv_input(text, onboarded_on, deposit)
    result, row_problems = calculate_valid_rows(data, numbers, lang=lang)
    return result, sorted(problems + row_problems, key=lambda p: (p.row or 0))


FEES_KINDS = {"onboarded_on": "date", "deposit": "money"}
ORDER_KINDS = {"date": "date", "amount": "money", "refunded": "money"}


def read_as_typed(name: str, data: Any) -> tuple[Any, dict[str, str]]:
    """The form's input with figures read as people type them ("２０", "1,280.00", "¥1280"), and what
    each changed field was read as (the widget shows it beside the field). The JSON API and the CLI
    read JSON types strictly, as the contract says; the form is typed by people."""
    if not isinstance(data, dict):
        return data, {}
    if name == "eligibility":
        kinds = {f["name"]: f["type"] for f in load_policy().fields if f["type"] in ("integer", "number", "date")}
        kinds["as_of"] = "date"
    else:
        kinds = FEES_KINDS if name == "fees" else {"submitted_on": "date"}
    read: dict[str, str] = {}
    out = dict(data)
    for key, kind in kinds.items():
        if isinstance(data.get(key), str):
            plain = as_read(data[key], kind)
            if plain != data[key]:
                out[key] = _typed(plain, kind)
                read[key] = plain
    orders = data.get("orders") if name == "fees" else None
    if isinstance(orders, list) and len(orders) == 1 and isinstance(orders[0], dict):  # the form's one order
        order = dict(orders[0])
        for key, kind in ORDER_KINDS.items():
            if isinstance(order.get(key), str):
                plain = as_read(order[key], kind)
                if plain != order[key]:
                    order[key], read[key] = plain, plain
        out["orders"] = [order]
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

    Returns {"ok": true, "result": …, "json": "<the CLI's --json text>", "csv": "…", "rates": …} or
    {"ok": false, "errors": [{"field", "id", "row", "message"}]}.
    """
    with reporting_progress(progress):
        return _compute_json(name, text, lang, csv_text)


def _compute_json(name: str, text: str, lang: str, csv_text: str | None) -> str:
    read: dict[str, str] = {}
    try:
        data, read = read_as_typed(name, parse_json(text))
        if csv_text is not None:
            if not isinstance(data, dict):
                data = {}
            result, problems = fees_from_csv_rows(csv_text, data.get("onboarded_on"), lang, data.get("deposit"))
            if problems:  # good rows are kept: their result comes with the bad rows' problems
                return json.dumps({"ok": False, "errors": [p.as_json(lang) for p in problems],
                                   "partial": result, "csv": fees_csv(result, problems, lang),
                                   "errors_csv": errors_csv(problems, lang), "rates": _rates(result)},
                                  ensure_ascii=False)
        else:
            result = compute(name, data, lang)
    except InputError as error:
        return json.dumps({"ok": False, "errors": [p.as_json(lang) for p in error.problems], "read": read},
                          ensure_ascii=False, default=_plain)
    answer: dict[str, Any] = {"ok": True, "result": result, "json": dumps(result), "read": read}
    if name == "fees":
        answer["csv"] = fees_csv(result)
        answer["rates"] = _rates(result)
    if name == "eligibility":
        parts = {"provider": result["provider"], **result["categories"]}
        answer["verdicts"] = {key: {"kind": verdict_kind(part), "text": verdict(part, lang)}
                              for key, part in parts.items()}
    return json.dumps(answer, ensure_ascii=False)


def _rates(result: dict[str, Any]) -> dict[str, Any]:
    """For the widget: each rate as a percentage, and the runs of orders by rate (more than one when
    the orders span a rate change)."""
    periods = [{**period, "percent": percent(period["rate"])} for period in rate_periods(result["orders"])]
    return {"percent": {p["rate"]: p["percent"] for p in periods} | {result["rate"]: percent(result["rate"])},
            "periods": periods}


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else repr(value)
