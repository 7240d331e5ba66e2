"""Assumptions that follow the change: the dated values each one qualifies, and when it needs reviewing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from calculators.policy import is_dated

__all__ = ["dated_values", "value_problems", "assumption_warnings"]


def dated_values(document: Any, where: tuple = ()) -> dict[str, tuple[tuple, dict[str, Any]]]:
    """Every dated value of the policy by its name, `<fact id>.<key>` (fee-waiver.years,
    platform-service-fee.rate, team-size.threshold), with its path and its dated mapping."""
    found: dict[str, tuple[tuple, dict[str, Any]]] = {}
    if isinstance(document, dict):
        for key, value in document.items():
            if is_dated(value) and isinstance(document.get("id"), str):
                found[f"{document['id']}.{key}"] = (where + (key,), value)
            else:
                found.update(dated_values(value, where + (key,)))
    elif isinstance(document, list):
        for index, item in enumerate(document):
            found.update(dated_values(item, where + (index,)))
    return found


def value_problems(document: dict[str, Any], problem: Callable[..., Any]) -> Iterator[Any]:
    """Each name under an assumption's `values` must be a dated value of the policy."""
    known = dated_values(document)
    for index, assumption in enumerate(document.get("assumptions", [])):
        for position, name in enumerate(assumption.get("values", [])):
            if name not in known:
                fact = name.split(".")[0]
                near = sorted(n for n in known if n.startswith(fact + "."))
                hint = (f"the dated values of {fact} are: {', '.join(near)}" if near else
                        "write <fact id>.<key>, for example fee-waiver.years or platform-service-fee.rate")
                yield problem(("assumptions", index, "values", position), f"'{name}' is not a dated value; {hint}")


def _known_on(day: str, entry: Any, taken: dict[str, str]) -> tuple[str, str | None]:
    """The day a dated value became known to the policy, and the source that dates it: the day its
    own source's text was taken (an announcement sets a figure ahead of its date), else its own date."""
    source = entry.get("ref", {}).get("source") if isinstance(entry, dict) else None
    return (taken[source], source) if source in taken else (day, None)


def assumption_warnings(document: dict[str, Any], today: dt.date,
                        locate: Callable[[tuple], tuple[str, int]]) -> list[str]:
    """Warnings (never errors), each as file:line: key: sentence: an assumption whose review_by has
    passed, and one of whose values took a new dated value after it was last reviewed (its own
    reviewed_on, else the policy's). A value citing its own source is new from the day that source's
    text was taken, so a review on or after that day clears it, even for a value dated in the future;
    any other value is new from its own date."""
    known = dated_values(document)
    taken = {s["id"]: s["text"]["taken_on"] for s in document.get("sources", [])
             if isinstance(s.get("text"), dict) and "taken_on" in s["text"]}
    policy_reviewed = document["meta"]["reviewed_on"]
    warnings = []

    def warn(where: tuple, message: str) -> None:
        file, line = locate(where)
        key = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(where))
        warnings.append(f"warning: {file}:{line}: {key}: {message}")

    for index, assumption in enumerate(document.get("assumptions", [])):
        reviewed = assumption.get("reviewed_on", policy_reviewed)
        for position, name in enumerate(assumption.get("values", [])):
            dated = known[name][1] if name in known else {}
            later = sorted((day, *_known_on(day, entry, taken)) for day, entry in dated.items()
                           if _known_on(day, entry, taken)[0] > reviewed)
            if not later:
                continue
            day, on, source = later[0]
            if source:
                how = (f"review it against the change, then set its reviewed_on to the day you reviewed it "
                       f"(on or after {on}, when the text of {source}, which sets that value, was taken)")
                change = f"{name} has a new dated value from {day}, set by {source} (its text taken on {on})"
            elif day > today.isoformat():
                how = ("review it against the change, then set its reviewed_on to the day you reviewed it; since "
                       "that value is dated after today, also give it the ref of the source that sets it "
                       "({value: …, ref: {source: …}}): a review from the day that source's text was taken clears it")
                change = f"{name} has a new dated value from {day}"
            else:
                how = "review it against the change, then set its reviewed_on to the day you reviewed it"
                change = f"{name} has a new dated value from {day}"
            warn(("assumptions", index, "values", position),
                 f"{change}, after this assumption ({assumption['id']}) was last reviewed on {reviewed}; {how}")
        review_by = assumption.get("review_by")
        if review_by and review_by < today.isoformat():
            warn(("assumptions", index, "review_by"), f"review_by {review_by} of the assumption {assumption['id']} "
                 "has passed; check it against the source, then update its reviewed_on and review_by")
    return warnings
