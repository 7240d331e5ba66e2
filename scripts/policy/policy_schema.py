"""The schema's refusals of the policy (policy/schema.json) as sentences for a docs editor.

Each names file, line and key and says what to write instead, in words and with an example, never
with the schema's pattern."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema

from scripts.policy.policy_load import FILES, Problem, Source, dotted, shown

__all__ = ["schema_problems"]


def schema_problems(source: Source, schema: dict[str, Any]) -> Iterator[Problem]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for error in sorted(validator.iter_errors(source.document), key=lambda e: list(map(str, e.absolute_path))):
        for leaf in _leaves(error):
            yield _schema_problem(source, leaf, schema)


def _leaves(error: jsonschema.ValidationError) -> Iterator[jsonschema.ValidationError]:
    """For oneOf/anyOf, the errors of the branch meant (the one whose `kind` matched), else the error."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        branches: dict[int, list[jsonschema.ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        meant = [errors for errors in branches.values()
                 if not any(e.validator == "const" and list(e.relative_path) == ["kind"] for e in errors)]
        if len(meant) == 1:
            for sub in meant[0]:
                yield from _leaves(sub)
            return
    yield error


def _described(schema: Any, root: dict[str, Any]) -> str:
    """The description of a schema, following its local $ref ("#/$defs/date") when it has none itself."""
    seen = 0
    while isinstance(schema, dict) and "description" not in schema and isinstance(schema.get("$ref"), str) \
            and schema["$ref"].startswith("#/") and seen < 8:
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        schema, seen = target, seen + 1
    return schema.get("description", "") if isinstance(schema, dict) else ""


def _how_to_write(schema: Any, name: str, root: dict[str, Any]) -> str:
    """For a missing key: what it holds (its schema's description) and the keys an entry there needs."""
    if not isinstance(schema, dict):
        return ""
    described = _described((schema.get("properties") or {}).get(name), root).rstrip(".")
    needs = [key for key in schema.get("required", []) if isinstance(key, str)]
    said = f"; add {name}: {described[0].lower()}{described[1:]}" if described else f"; add {name}"
    return said + (f" (an entry here needs {', '.join(needs)})" if len(needs) > 1 else "")


def _schema_problem(source: Source, error: jsonschema.ValidationError, root: dict[str, Any]) -> Problem:
    where = tuple(error.absolute_path)
    file, line = source.locate(where)
    key = dotted(where)
    if error.validator == "additionalProperties" or error.validator == "unevaluatedProperties":
        known = set(error.schema.get("properties") or {}) if isinstance(error.schema, dict) else set()
        if error.validator == "unevaluatedProperties":
            known = set(_evaluated_names(error.schema, root))
        extra = [name for name in (error.instance or {}) if name not in known]
        if not where:
            names = ", ".join(f"policy/{name}.yaml" for name in extra)
            return Problem("policy/", 0, "", f"unexpected file(s) {names}; the policy files are "
                           + ", ".join(f"{f}.yaml" for f in FILES))
        name = extra[0] if extra else "?"
        file, line = source.locate(where + (name,))
        allowed = sorted((error.schema.get("properties") or {}).keys()) if isinstance(error.schema, dict) else []
        hint = f"; allowed keys here: {', '.join(allowed)}" if allowed else ""
        return Problem(file, line, dotted(where + (name,)), f"unknown key '{name}' (a typo?){hint}")
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else "?"
        if name in ("zh", "en"):
            return Problem(file, line, key, f"missing key '{name}' (every text needs both zh and en)")
        return Problem(file, line, key, f"missing key '{name}'{_how_to_write(error.schema, name, root)}")
    if error.validator == "type":
        return Problem(file, line, key, f"expected {_types(error.validator_value)}, found {shown(error.instance)}")
    if error.validator == "enum":
        return Problem(file, line, key, f"{shown(error.instance)} is not one of: "
                       + ", ".join(map(str, error.validator_value)))
    if error.validator in ("pattern", "format") and "propertyNames" in error.relative_schema_path:
        return Problem(file, line, key, f"{shown(error.instance)} is not a date as YYYY-MM-DD")
    if error.validator in ("pattern", "format"):
        # in words, with an example of the right form: never the pattern itself
        described = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
        if not described:
            return Problem(file, line, key, f"{shown(error.instance)} does not have the expected form")
        return Problem(file, line, key, f"{shown(error.instance)} is not {described[0].lower()}{described[1:]}")
    if error.validator == "dependentRequired":
        return Problem(file, line, key, "a quote needs the ref of the source it quotes: add "
                       "ref: {source: <an id of sources.yaml>, section: <its heading>} beside it")
    if error.validator == "minLength":
        return Problem(file, line, key, "must not be empty")
    if error.validator == "maxLength":
        return Problem(file, line, key, f"is longer than {error.validator_value} characters "
                       f"({len(error.instance):,}); policy texts are short")
    return Problem(file, line, key, error.message)


def _evaluated_names(schema: dict[str, Any], root: dict[str, Any]) -> Iterator[str]:
    """Every property name a schema (with its local $ref and oneOf branches) declares; a $ref such as
    "#/$defs/conditionBase" is resolved in `root`, the schema being validated against."""
    yield from (schema.get("properties") or {})
    for branch in schema.get("oneOf", []):
        yield from (branch.get("properties") or {})
    if schema.get("$ref", "").startswith("#/"):
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            target = target[part]
        yield from _evaluated_names(target, root)


def _types(value: Any) -> str:
    names = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
             "object": "a mapping of keys", "array": "a list", "null": "null"}
    values = value if isinstance(value, list) else [value]
    return " or ".join(names.get(v, v) for v in values)
