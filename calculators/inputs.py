"""Reading the calculators' parsed JSON input: strict types, every problem collected with its field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from .messages import colon, parenthesised, printable, show_value, word
from .periods import ISO_DATE, parse_iso_date
from .typed import ambiguous_date

__all__ = ["MAX_PROBLEMS", "InputError", "Problem", "Problems", "Reader"]

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)
MONEY_MAX = Decimal("999999999999.99")
DECIMAL_TEXT = re.compile(r"[0-9]{1,15}(\.[0-9]{1,20})?")
# an amount written with more whole units than MONEY_MAX has digits: too large, however long
_WHOLE_UNITS_OVER_MAX = re.compile(rf"0*[1-9][0-9]{{{len(str(int(MONEY_MAX)))},}}(?:\.[0-9]*)?")
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

    def text(self, lang: str, row: bool = True) -> str:
        """The problem as a sentence: where (the CSV row unless `row` is False, the field, the order id), then what."""
        where = printable(self.field[:80])
        if self.row is not None and row:
            row = word("csv_row", lang, row=self.row)
            where = f"{row} {where}" if where else row
        if self.order_id is not None:
            where = parenthesised(where, word("order_id", lang, id=printable(self.order_id[:40])), lang)
        body = word(self.code, lang, **self.params)
        return where + colon(lang) + body if where else body

    def as_json(self, lang: str) -> dict[str, Any]:
        """The problem for the widget; one that quotes the user's value also gives the value and its
        message with {value} in its place, so that a summary of many rows quotes only what they hold."""
        answer = {"field": self.field, "id": self.order_id, "row": self.row, "message": self.text(lang),
                  "detail": word(self.code, lang, **self.params), "code": self.code}
        if "value" in self.params:
            answer["value"] = str(self.params["value"])
            answer["template"] = word(self.code, lang, **{**self.params, "value": "{value}"})
        return answer


MAX_PROBLEMS = 200  # problems kept and printed; more are counted ("and 6,599,980 more")


class Problems(list[Problem]):
    """The problems found, in order: every one counted (`total`), the first `keep` kept (None: all).
    An input with millions of faults costs a counter, not millions of messages."""

    def __init__(self, keep: int | None = MAX_PROBLEMS) -> None:
        super().__init__()
        self.keep = keep
        self.total = 0

    @property
    def full(self) -> bool:
        """Whether a further problem would only be counted."""
        return self.keep is not None and len(self) >= self.keep

    def append(self, problem: Problem) -> None:
        self.total += 1
        if not self.full:
            super().append(problem)

    def count_one(self) -> None:
        """One more problem, not kept (its message is never made)."""
        self.total += 1

    @property
    def more(self) -> int:
        return self.total - len(self)


def bounded(problems: list[Problem], more: int = 0, keep: int = MAX_PROBLEMS) -> tuple[list[Problem], int]:
    """The first `keep` of `problems`, and how many are left out (with `more` already left out)."""
    extra = getattr(problems, "more", 0)
    return list(problems[:keep]), more + extra + max(0, len(problems) - keep)


class InputError(ValueError):
    """The input is invalid; `problems` lists the fields at fault (up to MAX_PROBLEMS of them),
    `more` counts the problems found beyond those."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        self.problems, self.more = bounded(problems, more)
        super().__init__("; ".join(problem.text("en") for problem in self.problems[:20]))

    @property
    def total(self) -> int:
        return len(self.problems) + self.more

    def text(self, lang: str) -> str:
        lines = [problem.text(lang) for problem in self.problems]
        if self.more:
            lines.append(word("problems_more", lang, count=f"{self.more:,}"))
        return "\n".join(lines)


MAX_DIGITS = 40  # significant digits of a number the calculators accept
MAX_EXPONENT = 30  # |adjusted exponent| of a non-zero number the calculators accept
MAX_TEXT = 200  # characters of a text value (an order id)


def _field(read: Callable[..., Any]) -> Callable[..., Any]:
    """A Reader method reading one field, called as reader.method(name, required, …): the field's
    value, when it is given (not absent, not null), goes to `read(reader, name, value, …)`; otherwise
    the method gives None, and names a required field missing."""
    @wraps(read)
    def method(self: Reader, name: str, required: bool, *args: Any, **params: Any) -> Any:
        if not self.present(name, required):
            return None
        return read(self, name, self.data[name], *args, **params)
    return method


class Reader:
    """Reads typed values out of one JSON object, collecting every problem instead of stopping."""

    def __init__(self, data: Any, prefix: str = "", order_id: str | None = None,
                 problems: list[Problem] | None = None, row: int | None = None) -> None:
        self.problems: list[Problem] = Problems() if problems is None else problems
        self.prefix = prefix
        self.order_id = order_id
        self.row = row
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            self.fail("", "not_object" if not (prefix or row) else "order_object")

    def path(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix and name else (self.prefix or name)

    def fail(self, name: str, code: str, **params: Any) -> None:
        if getattr(self.problems, "full", False):
            self.problems.count_one()  # type: ignore[attr-defined]
        else:
            self.problems.append(Problem(self.path(name), code, self.order_id, self.row, **params))

    def reject_unknown(self, allowed: set[str]) -> None:
        for name in self.data:
            if name not in allowed:
                if getattr(self.problems, "full", False):
                    self.problems.count_one()  # type: ignore[attr-defined]
                else:
                    self.fail(str(name), "unknown_field", value=show_value(str(name)))

    def present(self, name: str, required: bool) -> bool:
        if name in self.data and self.data[name] is not None:
            return True
        if required:
            self.fail(name, "missing")
        return False

    @_field
    def boolean(self, name: str, value: Any) -> bool | None:
        if value is True or value is False:
            return value
        return self.fail(name, "bool", value=show_value(value))

    @_field
    def integer(self, name: str, value: Any, minimum: Any = None, maximum: Any = None) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return self.fail(name, "integer", value=show_value(value))
        return value if self._within(name, value, minimum, maximum) else None

    @_field
    def number(self, name: str, value: Any, minimum: Any = None, maximum: Any = None) -> Decimal | None:
        if _out_of_shape(value):
            return self.fail(name, "number_shape", digits=MAX_DIGITS, exponent=MAX_EXPONENT, value=show_value(value))
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

    @_field
    def date(self, name: str, value: Any, not_after: dt.date | None = None,
             not_before: dt.date | None = None, code_before: str = "", **params: Any) -> dt.date | None:
        try:
            day = parse_iso_date(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            # 2024-02-30 has the form of a date but is none: say so, not that the form is wrong
            shaped = isinstance(value, str) and ISO_DATE.fullmatch(value)
            if isinstance(value, str) and ambiguous_date(value):  # 8/15/2026: never guessed
                return self.fail(name, "date_ambiguous", value=show_value(value))
            return self.fail(name, "no_such_date" if shaped else "date", value=show_value(value))
        if not DATE_MIN <= day <= DATE_MAX:
            return self.fail(name, "date_range", minimum=DATE_MIN.isoformat(), maximum=DATE_MAX.isoformat(),
                             value=show_value(value))
        if not_after is not None and day > not_after:
            return self.fail(name, "after_as_of", as_of=not_after.isoformat(), value=show_value(value))
        if not_before is not None and day < not_before:
            return self.fail(name, code_before, value=show_value(value), **params)
        return day

    @_field
    def text(self, name: str, value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return self.fail(name, "string", value=show_value(value))
        if len(value) > MAX_TEXT:
            return self.fail(name, "text_too_long", maximum=MAX_TEXT, length=len(value))
        if not _encodable(value):
            return self.fail(name, "text_surrogate", value=show_value(value))
        return value

    @_field
    def money(self, name: str, value: Any) -> Decimal | None:
        if isinstance(value, str) and _WHOLE_UNITS_OVER_MAX.fullmatch(value.strip()):
            return self.fail(name, "money_too_large", maximum=str(MONEY_MAX), value=show_value(value))
        if _out_of_shape(value):
            return self.fail(name, "money", value=show_value(value))
        amount = _as_decimal(value, strings=True)
        if amount is not None and amount > MONEY_MAX:
            return self.fail(name, "money_too_large", maximum=str(MONEY_MAX), value=show_value(value))
        if amount is None or amount < 0 or amount != amount.quantize(CENT):
            return self.fail(name, "money", value=show_value(value))
        return abs(amount.quantize(CENT))  # abs: no "-0.00"


def _encodable(text: str) -> bool:
    """Whether `text` can be written as UTF-8 (JSON's \\ud800 escapes give lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _out_of_shape(value: Any) -> bool:
    """A JSON number with too many digits or too large an exponent (zero excepted)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return False
    if isinstance(value, int):
        return len(str(abs(value))) > MAX_DIGITS
    return value.is_finite() and not value.is_zero() and (
        len(value.as_tuple().digits) > MAX_DIGITS or abs(value.adjusted()) > MAX_EXPONENT)


def _as_decimal(value: Any, strings: bool = False) -> Decimal | None:
    """A finite Decimal from a JSON number (or, with `strings`, a plain decimal string), within
    MAX_DIGITS significant digits and MAX_EXPONENT: 1e-999999999 is refused before anything
    formats it as plain digits (a billion zeros)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if strings and isinstance(value, str) and DECIMAL_TEXT.fullmatch(value.strip()):
        value = Decimal(value.strip())
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    if value.is_zero():
        return Decimal(0)
    if len(value.as_tuple().digits) > MAX_DIGITS or abs(value.adjusted()) > MAX_EXPONENT:
        return None
    return value
