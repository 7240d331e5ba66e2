"""Validate and compile the policy source in policy/*.yaml, naming file, line and key on error.

The loader's document (policy_load.py) is checked against the schema (its refusals in words:
policy_schema.py), then by the semantic rules (policy_rules.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from scripts.policy.assumption_check import assumption_warnings
from scripts.policy.policy_load import (
    FILES,
    OPTIONAL,
    POLICY_DIR,
    PolicyError,
    Problem,
    Source,
    load_schema,
    load_source,
)
from scripts.policy.policy_rules import semantic_problems
from scripts.policy.policy_schema import schema_problems

__all__ = ["compile_policy", "policy_warnings", "review_warning", "validate"]


def validate(source: Source, schema: dict[str, Any]) -> list[Problem]:
    """Every problem in the source: the schema's first, then the cross-references'."""
    problems = list(schema_problems(source, schema))
    if not problems:
        problems = list(semantic_problems(source))
    return problems


def review_warning(document: dict[str, Any], today: dt.date) -> str | None:
    """A warning when the policy's review-by date has passed (never an error)."""
    review_by = document["meta"]["review_by"]
    if review_by < today.isoformat():
        return (f"warning: policy/meta.yaml: review_by {review_by} has passed; check the source pages, "
                "then update reviewed_on and review_by")
    return None


def policy_warnings(source: Source, today: dt.date) -> list[str]:
    """What a valid policy should still look at, as "warning: file:line: key: sentence": assumptions
    to review (a value they qualify changed after their review, a passed review_by), and a notice's
    quote that cannot be checked yet (its text is not kept)."""
    warnings = assumption_warnings(source.document, today, source.locate)
    urls = {s["url"] for s in source.document["sources"]}
    for index, schedule in enumerate(source.document.get("calendar", OPTIONAL["calendar"])["schedules"]):
        if "quote" in schedule and schedule["source"]["url"] not in urls:
            file, line = source.locate(("calendar", "schedules", index, "quote"))
            warnings.append(f"warning: {file}:{line}: calendar.schedules[{index}].quote: not checked: the notice's "
                            "text is not kept; save it under policy/sources/ and list it in sources.yaml with this url")
    return warnings


def compile_policy(policy_dir: Path = POLICY_DIR, warnings: list[str] | None = None,
                   today: dt.date | None = None) -> dict[str, Any]:
    """The validated policy as one document (raises PolicyError); its warnings are added to
    `warnings` when a list is given."""
    source = load_source(policy_dir)
    problems = validate(source, load_schema(policy_dir))
    if problems:
        raise PolicyError(problems)
    if warnings is not None:
        warnings += policy_warnings(source, today or dt.date.today())
    document = {key: source.document.get(key, OPTIONAL.get(key)) for key in FILES}
    for entry in document["sources"]:  # an optional key, written out in the compiled policy
        entry.setdefault("title_inferred", False)
    return document
