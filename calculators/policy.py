"""The compiled policy, read from the package's own data, with its dated values."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Policy", "load_policy", "value_at", "plain"]

POLICY_RESOURCE = "policy.json"


def plain(entry: Any) -> Any:
    """A dated value as the calculators use it: a value written with its own source
    ({value, ref, quote}) is its `value`."""
    return entry["value"] if isinstance(entry, dict) and "value" in entry else entry


def value_at(dated: dict[str, Any], day: dt.date) -> Any:
    """The value in force on `day` from a mapping of ISO effective dates to values.

    Before the first effective date the first value applies (assumption `policy-dates`); a null
    value ends a rule from its date. A value written with its own source is its `value`.
    """
    key = day.isoformat()
    chosen = None
    for effective in sorted(dated):
        if effective <= key or chosen is None:
            chosen = effective
        else:
            break
    return plain(dated[chosen])


class Policy:
    """Typed access to the compiled policy document."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.version: str = data["meta"]["version"]
        self.fields: list[dict[str, Any]] = data["criteria"]["fields"]
        self.conditions: list[dict[str, Any]] = data["criteria"]["conditions"]
        self.provider: dict[str, Any] = data["markets"]["provider"]
        self.markets: list[dict[str, Any]] = data["markets"]["markets"]
        self.fees: dict[str, Any] = data["fees"]
        self.review: dict[str, Any] = data["process"]["review"]
        # the State Council's schedules entered in policy/calendar.yaml, by year
        self.schedules: dict[int, dict[str, Any]] = {
            schedule["year"]: schedule for schedule in data.get("calendar", {}).get("schedules", [])}
        self._fields = {field["name"]: field for field in self.fields}
        self._conditions = {condition["id"]: condition for condition in self.conditions}

    def field(self, name: str) -> dict[str, Any]:
        return self._fields[name]

    def condition(self, condition_id: str) -> dict[str, Any]:
        return self._conditions[condition_id]


@lru_cache(maxsize=1)
def load_policy() -> Policy:
    """The policy compiled into this package by `scripts/compile_policy.py`."""
    try:
        text = resources.files(__package__).joinpath(POLICY_RESOURCE).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuntimeError("the compiled policy is missing from the calculators package: "
                           "run `make setup` (or `python -m scripts.compile_policy`)") from None
    return Policy(json.loads(text))
