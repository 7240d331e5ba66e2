"""费用计算: the platform service fee per order, the one-year waiver, invoices and totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .inputs import Problem
from .messages import word
from .orders import Order, read_fees_input
from .periods import period_end, today_in_china
from .policy import Policy, load_policy, value_at
from .progress import PROGRESS_STEP, reporter

__all__ = ["calculate_fees", "calculate_valid_rows", "percent", "rate_on", "rate_periods"]


def calculate_fees(data: Any, lang: str = "zh", policy: Policy | None = None,
                   today: dt.date | None = None, row_numbers: list[int] | None = None) -> dict[str, Any]:
    """Fees for a list of orders (raises InputError on bad input).

    `row_numbers`, for orders read from CSV, names each order's row in problems instead of its index.
    """
    onboarded_on, deposit, orders = read_fees_input(data, row_numbers)
    return _fees(onboarded_on, deposit, orders, lang, policy or load_policy(), today)


def calculate_valid_rows(data: Any, row_numbers: list[int], lang: str = "zh", policy: Policy | None = None,
                         today: dt.date | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Fees for the valid rows of a CSV, and the problems of the others (each naming its row)."""
    problems: list[Problem] = []
    onboarded_on, deposit, orders = read_fees_input(data, row_numbers, keep_valid=True, problems=problems)
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
    report = reporter()
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
