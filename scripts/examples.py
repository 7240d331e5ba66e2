"""The example inputs of examples/ (the ones the docs show), for the tests and the benchmark."""

from __future__ import annotations

import json
from typing import Any

from .paths import ROOT

EXAMPLES = ROOT / "examples"
ORDERS_CSV = EXAMPLES / "orders.csv"


def example(name: str) -> dict[str, Any]:
    """examples/NAME.json as data: `eligibility` (a provider meeting every general condition) or `review`."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def link_parameters(data: dict[str, Any]) -> dict[str, str]:
    """The same input as a shared link's query parameters: true/false, numbers and dates as written."""
    return {key: json.dumps(value) if isinstance(value, bool) else str(value) for key, value in data.items()}
