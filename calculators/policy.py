"""The compiled policy, read from the package's own data, with its dated values."""

from __future__ import annotations

import datetime as dt
import json
import os
from functools import lru_cache
from importlib import resources
from typing import Any

from .periods import ISO_DATE

__all__ = ["Policy", "load_policy", "value_at", "plain", "is_dated", "Place"]

POLICY_RESOURCE = "policy.json"
# A compiled policy file read instead of the package's own: the developers' tests set it to their frozen
# fixture (tests/fixtures/policy.json), so a change of the live policy/ never turns them red.
POLICY_ENV = "CALCULATORS_POLICY"


def plain(entry: Any) -> Any:
    """A dated value as the calculators use it: a value written with its own source
    ({value, ref, quote}) is its `value`."""
    return entry["value"] if isinstance(entry, dict) and "value" in entry else entry


def is_dated(value: Any) -> bool:
    """Whether `value` is a dated value of the policy: a non-empty mapping of ISO effective dates to values."""
    return isinstance(value, dict) and bool(value) and all(isinstance(k, str) and ISO_DATE.fullmatch(k) for k in value)


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


class Place:
    """A condition in a list (the provider's or a market's), with the days it applies there: from the
    later of the condition's and the place's `from` to the earlier of their `to` (both included;
    None: no bound)."""

    def __init__(self, condition: dict[str, Any], place: str | dict[str, Any]) -> None:
        place = place if isinstance(place, dict) else {"id": place}
        self.id: str = place["id"]
        starts = [d for d in (condition.get("from"), place.get("from")) if d]
        ends = [d for d in (condition.get("to"), place.get("to")) if d]
        self.starts: str | None = max(starts) if starts else None
        self.ends: str | None = min(ends) if ends else None

    def applies_on(self, day: dt.date) -> bool:
        key = day.isoformat()
        return (self.starts is None or self.starts <= key) and (self.ends is None or key <= self.ends)

    @property
    def dated(self) -> bool:
        return self.starts is not None or self.ends is not None


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

    def places(self, part: dict[str, Any]) -> list[Place]:
        """The conditions of the provider block or of a market, each with the days it applies there."""
        return [Place(self._conditions[item["id"] if isinstance(item, dict) else item], item)
                for item in part["conditions"]]

    def condition_ids(self, part: dict[str, Any], day: dt.date | None = None) -> list[str]:
        """The ids of a part's conditions (those that apply on `day`, when given), in the list's order."""
        return [place.id for place in self.places(part) if day is None or place.applies_on(day)]


@lru_cache(maxsize=1)
def load_policy() -> Policy:
    """The policy compiled into this package by `scripts/policy/compile_policy.py` (or the file named by the
    environment variable CALCULATORS_POLICY, which the tests set to their fixture)."""
    override = os.environ.get(POLICY_ENV)
    if override:
        try:
            with open(override, encoding="utf-8") as file:
                return Policy(json.load(file))
        except OSError as error:
            raise RuntimeError(f"{POLICY_ENV}={override}: the compiled policy cannot be read "
                               f"({error.strerror})") from None
    try:
        text = resources.files(__package__).joinpath(POLICY_RESOURCE).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuntimeError("the compiled policy is missing from the calculators package: "
                           "run `make setup` (or `python -m scripts.policy.compile_policy`)") from None
    return Policy(json.loads(text))
