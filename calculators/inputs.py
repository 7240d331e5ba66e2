"""Reading the calculators' JSON input: strict types, every error collected with its field."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from .messages import message, printable, show_value
from .periods import parse_iso_date

__all__ = ["InputError", "Problem", "Reader", "parse_json"]

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)
MONEY_MAX = Decimal("999999999999.99")
DECIMAL_TEXT = re.compile(r"[0-9]{1,15}(\.[0-9]{1,20})?")
CENT = Decimal("0.01")


class Problem:
    """One thing wrong with the input: the field's path, an optional order id, a message code."""

    __slots__ = ("field", "order_id", "row", "code", "params")

    def __init__(self, field: str, code: str, order_id: str | None = None, row: int | None = None,
                 **params: Any) -> None:
        self.field = field
        self.order_id = order_id
        self.row = row
        self.code = code
        self.params = params

    def text(self, lang: str) -> str:
        where = printable(self.field[:80])
        if self.row is not None:
            row = f"CSV row {self.row}" if lang == "en" else f"CSV 第 {self.row} 行"
            where = f"{row} {where}" if where else row
        if self.order_id is not None:
            shown = printable(self.order_id[:40])
            where += f' (id "{shown}")' if lang == "en" else f"（订单编号 “{shown}”）"
        body = message(self.code, lang, **self.params)
        return f"{where}: {body}" if where else body

    def as_json(self, lang: str) -> dict[str, Any]:
        return {"field": self.field, "id": self.order_id, "row": self.row, "message": self.text(lang),
                "detail": message(self.code, lang, **self.params), "code": self.code}


class InputError(ValueError):
    """The input is invalid; `problems` lists every field at fault."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.text("en") for problem in problems))
        self.problems = problems

    def text(self, lang: str) -> str:
        return "\n".join(problem.text(lang) for problem in self.problems)


MAX_DEPTH = 64  # the calculators' inputs nest three levels; the parser must never recurse deeply
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than MAX_DEPTH (strings do not count).

    Checked before parsing: in Pyodide the WebAssembly stack runs out before Python's recursion
    limit, which would end the whole runtime rather than raise an error.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def parse_json(text: str) -> Any:
    """Parse JSON with exact decimals; raise InputError for anything that is not JSON."""
    if _too_deep(text):
        raise InputError([Problem("", "not_json", detail=f"nested more than {MAX_DEPTH} levels deep")])
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        detail = str(error) if not isinstance(error, RecursionError) else "nested too deeply"
        raise InputError([Problem("", "not_json", detail=detail[:80])]) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


class Reader:
    """Reads typed values out of one JSON object, collecting every problem instead of stopping."""

    def __init__(self, data: Any, prefix: str = "", order_id: str | None = None,
                 problems: list[Problem] | None = None, row: int | None = None) -> None:
        self.problems: list[Problem] = [] if problems is None else problems
        self.prefix = prefix
        self.order_id = order_id
        self.row = row
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            self.fail("", "not_object" if not (prefix or row) else "order_object")

    def path(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix and name else (self.prefix or name)

    def fail(self, name: str, code: str, **params: Any) -> None:
        self.problems.append(Problem(self.path(name), code, self.order_id, self.row, **params))

    def reject_unknown(self, allowed: set[str]) -> None:
        for name in self.data:
            if name not in allowed:
                self.fail(str(name), "unknown_field", value=show_value(str(name)))

    def present(self, name: str, required: bool) -> bool:
        if name in self.data and self.data[name] is not None:
            return True
        if required:
            self.fail(name, "missing")
        return False

    def boolean(self, name: str, required: bool) -> bool | None:
        if not self.present(name, required):
            return None
        value = self.data[name]
        if value is True or value is False:
            return value
        return self.fail(name, "bool", value=show_value(value))

    def integer(self, name: str, required: bool, minimum: Any = None, maximum: Any = None) -> int | None:
        if not self.present(name, required):
            return None
        value = self.data[name]
        if not isinstance(value, int) or isinstance(value, bool):
            return self.fail(name, "integer", value=show_value(value))
        return value if self._within(name, value, minimum, maximum) else None

    def number(self, name: str, required: bool, minimum: Any = None, maximum: Any = None) -> Decimal | None:
        if not self.present(name, required):
            return None
        value = self.data[name]
        number = _as_decimal(value)
        if number is None:
            return self.fail(name, "number", value=show_value(value))
        return number if self._within(name, number, minimum, maximum) else None

    def _within(self, name: str, value: Any, minimum: Any, maximum: Any) -> bool:
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            if maximum is None:
                self.fail(name, "at_least", minimum=minimum, value=show_value(value))
            else:
                self.fail(name, "range", minimum=minimum, maximum=maximum, value=show_value(value))
            return False
        return True

    def date(self, name: str, required: bool, not_after: dt.date | None = None,
             not_before: dt.date | None = None, code_before: str = "", **params: Any) -> dt.date | None:
        if not self.present(name, required):
            return None
        value = self.data[name]
        try:
            day = parse_iso_date(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            # 2024-02-30 has the form of a date but is none: say so, not that the form is wrong
            shaped = isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)
            return self.fail(name, "no_such_date" if shaped else "date", value=show_value(value))
        if not DATE_MIN <= day <= DATE_MAX:
            return self.fail(name, "date_range", minimum=DATE_MIN.isoformat(), maximum=DATE_MAX.isoformat(),
                             value=show_value(value))
        if not_after is not None and day > not_after:
            return self.fail(name, "after_as_of", as_of=not_after.isoformat(), value=show_value(value))
        if not_before is not None and day < not_before:
            return self.fail(name, code_before, value=show_value(value), **params)
        return day

    def text(self, name: str, required: bool) -> str | None:
        if not self.present(name, required):
            return None
        value = self.data[name]
        if isinstance(value, str) and value.strip():
            return value
        return self.fail(name, "string", value=show_value(value))

    def money(self, name: str, required: bool) -> Decimal | None:
        if not self.present(name, required):
            return None
        value = self.data[name]
        amount = _as_decimal(value, strings=True)
        if amount is not None and amount > MONEY_MAX:
            return self.fail(name, "money_too_large", maximum=str(MONEY_MAX), value=show_value(value))
        if amount is None or amount < 0 or amount != amount.quantize(CENT):
            return self.fail(name, "money", value=show_value(value))
        return abs(amount.quantize(CENT))  # abs: no "-0.00"


def _as_decimal(value: Any, strings: bool = False) -> Decimal | None:
    """A finite Decimal from a JSON number (or, with `strings`, a plain decimal string)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if strings and isinstance(value, str) and DECIMAL_TEXT.fullmatch(value.strip()):
        value = Decimal(value.strip())
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None
