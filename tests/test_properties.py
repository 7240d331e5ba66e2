"""Properties that hold for every input (hypothesis)."""

from __future__ import annotations

import io
import json
import sys
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import calculate_fees
from calculators.api import CALCULATORS
from calculators.cli import main

DAYS = st.dates(min_value=__import__("datetime").date(2020, 1, 1), max_value=__import__("datetime").date(2030, 12, 31))
CENTS = st.integers(min_value=0, max_value=10**11)


@st.composite
def orders(draw: Any) -> dict[str, Any]:
    count = draw(st.integers(min_value=0, max_value=30))
    onboarded = draw(st.one_of(st.none(), DAYS))
    rows = []
    for index in range(count):
        amount = draw(CENTS)
        refunded = draw(st.integers(min_value=0, max_value=amount))
        day = draw(DAYS.filter(lambda d: onboarded is None or d >= onboarded))
        as_number = draw(st.booleans())
        money = (lambda cents: Decimal(cents) / 100) if as_number else (lambda cents: f"{Decimal(cents) / 100:.2f}")
        rows.append({"id": f"o{index}", "date": day.isoformat(), "amount": money(amount), "refunded": money(refunded)})
    data: dict[str, Any] = {"orders": rows}
    if onboarded is not None:
        data["onboarded_on"] = onboarded.isoformat()
    return data


@given(orders())
@settings(max_examples=150, deadline=None)
def test_fee_arithmetic_holds_for_every_order(data: dict[str, Any]) -> None:
    result = calculate_fees(data)
    totals = {key: Decimal(0) for key in result["totals"]}
    for order in result["orders"]:
        fee, base, receives = Decimal(order["fee"]), Decimal(order["fee_base"]), Decimal(order["provider_receives"])
        assert fee + receives == base
        assert base == Decimal(order["amount"]) - Decimal(order["refunded"])
        assert order["platform_invoice"] == order["fee"] and order["user_invoice"] == order["fee_base"]
        if order["waived"]:
            assert order["fee"] == "0.00"
        else:
            assert order["waived_fee"] == "0.00"
        for key in totals:
            totals[key] += Decimal(order[key])
        for key in ("amount", "refunded", "fee_base", "fee", "waived_fee", "provider_receives"):
            assert len(order[key].split(".")[1]) == 2
    assert {key: f"{value:.2f}" for key, value in totals.items()} == result["totals"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=15,
)
FIELDS = ["submitted_on", "orders", "onboarded_on", "id", "date", "amount", "refunded", "team_size",
          "license_established_on", "as_of", "real_name_verified", "support_hours_per_day", "deposit"]
PLAUSIBLE = st.dictionaries(st.sampled_from(FIELDS), JSON | st.dates().map(lambda d: d.isoformat()), max_size=8)


def _run_cli(calculator: str, text: str, capsys: Any) -> tuple[int, str, str]:
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")
    try:
        code = main([calculator, "-", "--json"])
    finally:
        sys.stdin = stdin
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@given(calculator=st.sampled_from(list(CALCULATORS)), data=JSON | PLAUSIBLE)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_json_exits_0_or_2_and_never_a_traceback(calculator: str, data: Any, capsys: Any) -> None:
    code, out, err = _run_cli(calculator, json.dumps(data), capsys)
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 0:
        json.loads(out)
    else:
        assert err.strip() and out == ""
