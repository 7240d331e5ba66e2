"""Running a calculator by name, and its result as the contract's JSON (calculators-json.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .eligibility import check_eligibility
from .fees import calculate_fees
from .messages import LANGUAGES, escape_invisible
from .review import estimate_review

__all__ = ["CALCULATORS", "DISPLAY_ONLY", "compute", "contract", "dumps"]

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
