"""One entry point for every surface: the command line, Python callers and the in-page widgets."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .eligibility import check_eligibility
from .fees import calculate_fees, calculate_valid_rows, errors_csv, fees_csv, percent, rate_periods, read_orders_csv
from .inputs import InputError, Problem, parse_json
from .messages import LANGUAGES
from .report import verdict, verdict_kind
from .review import estimate_review

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
    """The contract's JSON text for a result, the same on every surface."""
    return json.dumps(result, ensure_ascii=False, indent=2)


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


def compute_json(name: str, text: str, lang: str = "zh", csv_text: str | None = None) -> str:
    """For the widgets: JSON in, JSON out, never an exception for the user's input.

    Returns {"ok": true, "result": …, "json": "<the CLI's --json text>", "csv": "…", "rates": …} or
    {"ok": false, "errors": [{"field", "id", "row", "message"}]}.
    """
    try:
        data = parse_json(text)
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
        return json.dumps({"ok": False, "errors": [p.as_json(lang) for p in error.problems]},
                          ensure_ascii=False, default=_plain)
    answer: dict[str, Any] = {"ok": True, "result": result, "json": dumps(result)}
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
