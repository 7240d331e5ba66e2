"""Reading the fee calculator's input: the onboarding date, the planned deposit and the orders, each order checked."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from .contract import CONTRACTS
from .inputs import CENT, DATE_MAX, DATE_MIN, MAX_TEXT, InputError, Problem, Reader
from .periods import ISO_DATE
from .progress import PROGRESS_STEP, reporter

__all__ = ["MAX_ORDERS", "ORDER_FIELDS", "PLAIN_MONEY", "Order", "read_fees_input"]

MAX_ORDERS = 1_000_000
NO_REFUND = Decimal("0.00")
FEES = CONTRACTS["fees"]
INPUT_FIELDS = frozenset(field.name for field in FEES.inputs)
ORDER_FIELDS = FEES.item_names("orders")  # also the orders file's header, `refunded` optional
_ORDER_KEYS = frozenset(ORDER_FIELDS)

Order = tuple[str, dt.date, Decimal, Decimal]


def read_fees_input(data: Any, row_numbers: list[int] | None, keep_valid: bool = False,
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
        report, count = reporter(), len(raw_orders)
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


PLAIN_MONEY = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")


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
            or not PLAIN_MONEY.fullmatch(amount_text)):
        return None
    if day_text in days:
        day = days[day_text]
    else:
        day = days[day_text] = _plain_day(day_text, onboarded_on)
    if day is None:
        return None
    if refunded_text is None:
        refunded = NO_REFUND
    elif type(refunded_text) is str and PLAIN_MONEY.fullmatch(refunded_text):
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
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    if not DATE_MIN <= day <= DATE_MAX or (onboarded_on is not None and day < onboarded_on):
        return None
    return day


