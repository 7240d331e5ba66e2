"""The example inputs of examples/ (the ones the docs show) and the page of each calculator.

For the pages, the policy diff, the tests and the benchmark."""

from __future__ import annotations

import json
from typing import Any

from calculators.csv_io import read_orders_csv
from scripts.paths import ROOT

EXAMPLES = ROOT / "examples"
ORDERS_CSV = EXAMPLES / "orders.csv"
FEES_ONBOARDED_ON = "2026-01-10"  # the onboarding day the docs' fee example gives the orders of examples/orders.csv
# Each calculator's page (docs/<page>.md and its English twin), by the calculator's name in calculators.api
PAGES = {"eligibility": "self-check", "fees": "fee-calculator", "review": "review-time"}


def example(name: str) -> dict[str, Any]:
    """examples/NAME.json as data: `eligibility` (a provider meeting every general condition) or `review`."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def link_parameters(data: dict[str, Any]) -> dict[str, str]:
    """The same input as a shared link's query parameters: true/false, numbers and dates as written."""
    return {key: json.dumps(value) if isinstance(value, bool) else str(value) for key, value in data.items()}


def example_orders() -> list[dict[str, str]]:
    """examples/orders.csv as the fee calculator reads it: its orders (the file has no row of a wrong shape)."""
    orders, _, _ = read_orders_csv(ORDERS_CSV.read_text(encoding="utf-8"))
    return orders
