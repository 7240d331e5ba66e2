"""Load, validate and compile the policy source in policy/*.yaml, naming file, line and key on error."""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from calculators.contract import CONTRACTS, affectable
from calculators.kinds import KINDS, condition_fields
from calculators.policy import plain

from .assumption_check import assumption_warnings, value_problems
from .calendar_check import calendar_problems
from .paths import ROOT
from .quotes import Quote, cited_quotes, first_difference, kept_text_path, missing_quotes

__all__ = ["PolicyError", "Problem", "load_source", "validate", "compile_policy", "SCHEMA_FILE", "FILES"]

POLICY_DIR = ROOT / "policy"
SCHEMA_FILE = "schema.json"
FILES = ("meta", "sources", "criteria", "markets", "process", "fees", "assumptions", "changelog", "calendar")
OPTIONAL = {"calendar": {"schedules": []}}  # a file the policy may do without, and what its absence means

Path_ = tuple  # a JSON path: keys and indexes


@dataclass(frozen=True)
class Problem:
    """One fault in the policy source, located for a docs editor."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class PolicyError(Exception):
    """The policy source is broken; `problems` says where and how."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


LOCATED_QUOTES = 10  # missing quotes whose refusal says where they part from the text
MAX_FILE_BYTES = 512 * 1024  # the largest policy file is about 12 KB
MAX_NESTING = 20  # the policy nests six levels
MAX_TEXT_CHARS = 2000  # as the schema's maxLength for texts: the longest policy text is about 330


class _Refused(Exception):
    """A YAML feature the policy does not use, refused where it appears (before anything expands)."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1
        self.message = message


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, refuses duplicate keys, anchors, aliases and tags, and
    records each node's line."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if self.depth >= MAX_NESTING:
            raise _Refused(event.start_mark, f"nested more than {MAX_NESTING} levels deep")
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            name = event.anchor
            raise _Refused(event.start_mark, f"anchors and aliases (&{name}, *{name}) are not allowed in policy/; "
                           "write the value out where it is needed")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(event.start_mark, f"the tag {shown[:60]} is not allowed in policy/; "
                           "write plain values (text, numbers, true/false, null)")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct(node: yaml.Node, loader: _Loader, where: Path_, lines: dict[Path_, int], file: str) -> Any:
    lines.setdefault(where, node.start_mark.line + 1)  # a key's own line wins over its value's
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            key = key if isinstance(key, str) else str(key)
            if key in result:
                raise PolicyError([Problem(file, key_node.start_mark.line + 1, _dotted(where + (key,)),
                                           f"the key '{key}' appears twice (first on line {lines[where + (key,)]})")])
            lines[where + (key,)] = key_node.start_mark.line + 1
            result[key] = _construct(value_node, loader, where + (key,), lines, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, loader, where + (index,), lines, file) for index, item in enumerate(node.value)]
    try:
        value = loader.construct_object(node)
    except (yaml.MarkedYAMLError, ValueError) as error:  # "=" (a value tag), an integer of 5,000 digits
        reason = getattr(error, "problem", None) or str(error)
        raise PolicyError([Problem(file, node.start_mark.line + 1, _dotted(where),
                                   f"this value cannot be read: {reason[:80]}")]) from None
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:  # what the schema does not bound either
        raise PolicyError([Problem(file, node.start_mark.line + 1, _dotted(where),
                                   f"is longer than {MAX_TEXT_CHARS} characters ({len(value):,}); "
                                   "policy texts are short")])
    return value


def _dotted(where: Path_) -> str:
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def placement_problem(path: Path, policy_dir: Path) -> str | None:
    """Why `path` may not be read as a policy file, judged without reading it: a symbolic link (its
    target is never opened, nor named), anything but a regular file (a FIFO, a device), a file
    outside policy/. None for a regular file directly in `policy_dir`."""
    if path.is_symlink():
        return "is a symbolic link; policy files are regular files in policy/ (the link was not followed)"
    if not path.is_file():
        return "is not a regular file; policy files are regular files in policy/"
    if path.resolve().parent != policy_dir.resolve():
        return "is outside policy/; policy files are regular files in policy/"
    return None


def load_file(path: Path, lines: dict[Path_, int], prefix: Path_, policy_dir: Path = POLICY_DIR) -> Any:
    """One YAML file as plain data, recording the line of every key under `prefix`."""
    name = _display(path) if not path.is_symlink() else str(path)
    placement = placement_problem(path, policy_dir)
    if placement:
        raise PolicyError([Problem(name, 0, "", placement)])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise PolicyError([Problem(name, 0, "", f"the file is larger than {MAX_FILE_BYTES // 1024} KB; "
                                   "policy files hold short texts")])
    try:
        loader = _Loader(path.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise PolicyError([Problem(name, line, "", f"this is not valid YAML: {error.problem or error}")]) from None
    except _Refused as error:
        raise PolicyError([Problem(name, error.line, "", error.message)]) from None
    except UnicodeDecodeError:
        raise PolicyError([Problem(name, 0, "", "the file is not UTF-8 text")]) from None
    if node is None:
        raise PolicyError([Problem(name, 1, "", "the file is empty")])
    return _construct(node, loader, prefix, lines, name)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


@dataclass
class Source:
    """The policy source as one document, with where each key came from."""

    document: dict[str, Any]
    lines: dict[Path_, int]
    files: dict[str, str]  # top-level key -> file shown in messages
    directory: Path = POLICY_DIR  # where the files (and the source text they quote) are

    def locate(self, where: Path_) -> tuple[str, int]:
        file = self.files.get(str(where[0]), "policy/") if where else "policy/"
        for depth in range(len(where), 0, -1):
            if where[:depth] in self.lines:
                return file, self.lines[where[:depth]]
        return file, 0


def load_source(policy_dir: Path = POLICY_DIR) -> Source:
    """Read every policy/*.yaml file into one document keyed by file name."""
    lines: dict[Path_, int] = {}
    document: dict[str, Any] = {}
    files: dict[str, str] = {}
    problems: list[Problem] = []
    for path in sorted(policy_dir.glob("*.y*ml")):
        key = path.stem
        files[key] = _display(path) if not path.is_symlink() else str(path)
        try:
            document[key] = load_file(path, lines, (key,), policy_dir)
        except PolicyError as error:
            problems += error.problems
    if problems:
        raise PolicyError(problems)
    return Source(document, lines, files, policy_dir)


def load_schema(policy_dir: Path = POLICY_DIR) -> dict[str, Any]:
    path = policy_dir / SCHEMA_FILE
    placement = placement_problem(path, policy_dir)
    if placement:
        raise PolicyError([Problem(str(path), 0, "", placement)])
    return json.loads(path.read_text(encoding="utf-8"))


# --- validation -----------------------------------------------------------------------------------

def _schema_problems(source: Source, schema: dict[str, Any]) -> Iterator[Problem]:
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
    key = _dotted(where)
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
        return Problem(file, line, _dotted(where + (name,)), f"unknown key '{name}' (a typo?){hint}")
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else "?"
        if name in ("zh", "en"):
            return Problem(file, line, key, f"missing key '{name}' (every text needs both zh and en)")
        return Problem(file, line, key, f"missing key '{name}'{_how_to_write(error.schema, name, root)}")
    if error.validator == "type":
        return Problem(file, line, key, f"expected {_types(error.validator_value)}, found {_shown(error.instance)}")
    if error.validator == "enum":
        return Problem(file, line, key, f"{_shown(error.instance)} is not one of: "
                       + ", ".join(map(str, error.validator_value)))
    if error.validator in ("pattern", "format") and "propertyNames" in error.relative_schema_path:
        return Problem(file, line, key, f"{_shown(error.instance)} is not a date as YYYY-MM-DD")
    if error.validator in ("pattern", "format"):
        # in words, with an example of the right form: never the pattern itself
        described = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
        if not described:
            return Problem(file, line, key, f"{_shown(error.instance)} does not have the expected form")
        return Problem(file, line, key, f"{_shown(error.instance)} is not {described[0].lower()}{described[1:]}")
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


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) < 60 else text[:57] + "…"


def _semantic_problems(source: Source) -> Iterator[Problem]:
    doc = source.document

    def problem(where: Path_, message: str) -> Problem:
        file, line = source.locate(where)
        return Problem(file, line, _dotted(where), message)

    # ids are unique across the whole policy: they are page anchors too
    ids: dict[str, Path_] = {}
    for where, value in _walk(doc, ()):
        placed = len(where) >= 3 and where[0] == "markets" and where[-3] == "conditions"  # a reference
        if where and where[-1] == "id" and isinstance(value, str) and not placed:
            if value in ids:
                first_file, first_line = source.locate(ids[value])
                yield problem(where, f"the id '{value}' is already used ({first_file}:{first_line}); "
                              "ids must be unique")
            else:
                ids[value] = where
    # dated values: ascending keys
    for where, value in _walk(doc, ()):
        if isinstance(value, dict) and value and all(isinstance(k, str) and _DATE.fullmatch(k) for k in value):
            keys = list(value)
            if keys != sorted(keys):
                yield problem(where, "dated values must be in date order, oldest first: " + ", ".join(keys))
    criteria = doc.get("criteria", {})
    fields = {f.get("name"): f for f in criteria.get("fields", []) if isinstance(f, dict)}
    groups = {g.get("id") for g in criteria.get("groups", []) if isinstance(g, dict)}
    conditions = {c.get("id"): c for c in criteria.get("conditions", []) if isinstance(c, dict)}
    sources = {s.get("id") for s in doc.get("sources", []) if isinstance(s, dict)}
    for index, field in enumerate(criteria.get("fields", [])):
        if isinstance(field, dict) and field.get("group") not in groups:
            yield problem(("criteria", "fields", index, "group"),
                          f"the group '{field.get('group')}' is not one of the groups: {', '.join(sorted(groups))}")
    for index, condition in enumerate(criteria.get("conditions", [])):
        if not isinstance(condition, dict):
            continue
        base = ("criteria", "conditions", index)
        kind = KINDS.get(condition.get("kind", ""))
        for key, name in condition_fields(condition):
            needed = kind.fields.get(key) if kind else None
            if name not in fields:
                yield problem(base + (key,), f"the field '{name}' is not declared under criteria.fields")
            elif needed and fields[name].get("type") != needed:
                yield problem(base + (key,), f"a {kind.name} condition needs a {needed} field in {key}; "
                              f"'{name}' is {fields[name].get('type')}")
        yield from (problem(base + ("text",) + w, m) for w, m in _template_problems(condition))
    for where, value in _walk(doc, ()):
        if where and where[-1] == "ref" and isinstance(value, dict) and value.get("source") not in sources:
            yield problem(where + ("source",), f"the source '{value.get('source')}' is not listed in sources.yaml")
    markets_doc = doc.get("markets", {})
    lists = [(("markets", "provider", "conditions"), markets_doc.get("provider", {}).get("conditions", []))]
    lists += [(("markets", "markets", i, "conditions"), m.get("conditions", []))
              for i, m in enumerate(markets_doc.get("markets", [])) if isinstance(m, dict)]
    for where, names in lists:
        for position, item in enumerate(names if isinstance(names, list) else []):
            name = item.get("id") if isinstance(item, dict) else item
            if name not in conditions:
                yield problem(where + (position,), f"'{name}' is not a condition id in criteria.yaml")
            else:
                yield from _window_problems(conditions[name], item, where + (position,), problem)
    for index, condition in enumerate(criteria.get("conditions", [])):
        if isinstance(condition, dict) and condition.get("from", "") > condition.get("to", "9999"):
            yield problem(("criteria", "conditions", index, "to"), f"'{condition['to']}' is before from "
                          f"'{condition['from']}'; write the first day the condition applies in from, the last in to")
    keys: dict[str, int] = {}
    for index, market in enumerate(markets_doc.get("markets", [])):
        if isinstance(market, dict) and market.get("key") in keys:
            yield problem(("markets", "markets", index, "key"), f"the key '{market.get('key')}' is used twice")
        elif isinstance(market, dict):
            keys[market.get("key")] = index
    for index, assumption in enumerate(doc.get("assumptions", [])):
        for position, target in enumerate(assumption.get("applies_to", []) if isinstance(assumption, dict) else []):
            if target not in ids:
                yield problem(("assumptions", index, "applies_to", position), f"'{target}' is not the id of any fact")
    fees_doc = doc.get("fees", {})
    charge_ids = {fees_doc[k].get("id") for k in ("deposit", "platform_fee") if isinstance(fees_doc.get(k), dict)}
    for position, charge in enumerate(fees_doc.get("charges", []) if isinstance(fees_doc.get("charges"), list) else []):
        if charge not in charge_ids:
            yield problem(("fees", "charges", position), f"'{charge}' is not a charge of fees.yaml; the charges are: "
                          + ", ".join(sorted(str(c) for c in charge_ids)))
    yield from _affects_problems(doc, problem)
    yield from _quote_problems(source, problem)
    yield from calendar_problems(doc.get("calendar", OPTIONAL["calendar"]), problem,
                                 lambda where: source.locate(where)[1])
    yield from value_problems(doc, problem)
    review = doc.get("process", {}).get("review", {})
    if isinstance(review, dict):
        for day in set(review.get("min_working_days", {})) & set(review.get("max_working_days", {})):
            if plain(review["min_working_days"][day]) > plain(review["max_working_days"][day]):
                yield problem(("process", "review", "min_working_days", day),
                              "the minimum working days is larger than the maximum")
    meta, changelog = doc.get("meta", {}), doc.get("changelog", [])
    if isinstance(changelog, list) and changelog and isinstance(changelog[0], dict) and isinstance(meta, dict) \
            and changelog[0].get("version") != meta.get("version"):
        yield problem(("changelog", 0, "version"), f"the newest changelog entry must be for version "
                      f"{meta.get('version')} (meta.yaml); add an entry describing this change")
    yield from _changelog_problems(doc, problem, dt.date.today())


def _version(text: Any) -> tuple[int, ...]:
    return tuple(int(part) for part in str(text).split(".")) if _VERSION.fullmatch(str(text)) else ()


_VERSION = re.compile(r"[0-9]+(\.[0-9]+)*")


def dated_days(value: Any) -> set[str]:
    """Every day on which some dated value of the policy takes a value."""
    days: set[str] = set()
    for _, item in _walk(value, ()):
        if isinstance(item, dict) and item and all(isinstance(k, str) and _DATE.fullmatch(k) for k in item):
            days |= set(item)
    return days


def _changelog_problems(doc: dict[str, Any], problem: Any, today: dt.date) -> Iterator[Problem]:
    """Versions newest first and only increasing, none twice; each entry takes effect on a day some value
    changes (the first version excepted); none published after today."""
    changelog = doc.get("changelog", [])
    entries = [(i, e) for i, e in enumerate(changelog) if isinstance(e, dict)] if isinstance(changelog, list) else []
    seen: dict[str, int] = {}
    days = dated_days({key: value for key, value in doc.items() if key != "changelog"})
    for index, entry in entries:
        version = str(entry.get("version"))
        if version in seen:
            yield problem(("changelog", index, "version"),
                          f"version {version} already has an entry (changelog[{seen[version]}]); "
                          "each version has one entry: merge the two, or give this one a new version")
            continue
        seen[version] = index
        older = next((e for i, e in entries if i > index and str(e.get("version")) != version), None)
        if older is not None and _version(version) <= _version(older.get("version")):
            yield problem(("changelog", index, "version"),
                          f"version {version} is not higher than {older.get('version')}, the entry below it; "
                          "entries are newest first and versions only increase")
        effective = entry.get("effective_from")
        if index != len(changelog) - 1 and effective not in days:
            shown = ", ".join(sorted(d for d in days if d >= str(entry.get("published_on", "")))[:5]) or "none"
            yield problem(("changelog", index, "effective_from"),
                          f"no value of the policy changes on {effective}; set it to the date its new values take "
                          f"effect (a date key of a dated value, such as {shown})")
        published = entry.get("published_on")
        if isinstance(published, str) and published > today.isoformat():
            yield problem(("changelog", index, "published_on"),
                          f"{published} is in the future; set it to the day the version is published "
                          f"(today is {today.isoformat()})")


def _window_problems(condition: dict[str, Any], item: Any, where: Path_, problem: Any) -> Iterator[Problem]:
    """A condition placed in a list from and/or to a date: a sound span, on days the condition applies."""
    if not isinstance(item, dict):
        return
    if item.get("from", "") > item.get("to", "9999"):
        yield problem(where + ("to",), f"'{item['to']}' is before from '{item['from']}'; write the first day the "
                      "condition applies in this list in from, the last in to")
        return
    starts = max(d for d in (condition.get("from"), item.get("from"), "") if d is not None)
    ends = min(d for d in (condition.get("to"), item.get("to"), "9999") if d is not None)
    if starts > ends:
        yield problem(where, f"the condition '{item.get('id')}' would never apply here: its place runs "
                      f"{item.get('from', '…')} to {item.get('to', '…')}, the condition itself "
                      f"{condition.get('from', '…')} to {condition.get('to', '…')} (criteria.yaml)")


# What an assumption's `affects` may name besides the eligibility input fields: the calculators'
# other inputs and their JSON result keys (the public contract), as calculators/contract.py declares them.
AFFECTABLE = {calculator: affectable(calculator) for calculator in CONTRACTS}


def _affects_problems(doc: dict[str, Any], problem: Any) -> Iterator[Problem]:
    fields = {f.get("name") for f in doc.get("criteria", {}).get("fields", []) if isinstance(f, dict)}
    for index, assumption in enumerate(doc.get("assumptions", [])):
        affects = assumption.get("affects", {}) if isinstance(assumption, dict) else {}
        for calculator, names in affects.items():
            known = AFFECTABLE[calculator] | (fields if calculator == "eligibility" else set())
            for position, name in enumerate(names):
                if name not in known:
                    yield problem(("assumptions", index, "affects", calculator, position),
                                  f"'{name}' is not an input or result of the {calculator} calculator; "
                                  f"known: {', '.join(sorted(known))}")


def _quote_problems(source: Source, problem: Any) -> Iterator[Problem]:
    """Every source's kept text exists, under its name and date; every quote stands verbatim (line
    breaks aside) in the kept text of the source it cites."""
    texts: dict[str, tuple[str, str]] = {}  # source id -> (file shown, text)
    for index, entry in enumerate(source.document.get("sources", [])):
        name, taken_on = entry["text"]["file"], entry["text"]["taken_on"]
        where = ("sources", index, "text")
        path = kept_text_path(entry, source.directory)
        if not name.endswith(f"-{taken_on}.txt"):
            yield problem(where + ("file",), f"the file name must end with the day its text was taken ({taken_on}): "
                          f"for example sources/{entry['id']}-{taken_on}.txt")
        elif path.is_symlink() or not path.resolve().is_relative_to(source.directory.resolve()):
            yield problem(where + ("file",), f"the kept text policy/{name} is a symbolic link or lies outside policy/ "
                          "(it was not read); keep the text as a regular file under policy/sources/")
        elif not path.is_file():
            yield problem(where + ("file",), f"the kept text policy/{name} does not exist; save the source's text, "
                          f"as taken on {taken_on}, in that file")
        elif path.stat().st_size > MAX_FILE_BYTES:
            yield problem(where + ("file",), f"the kept text policy/{name} is larger than {MAX_FILE_BYTES // 1024} KB; "
                          "keep only the text of the source")
        else:
            try:
                texts[entry["id"]] = (f"policy/{name}", path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                yield problem(where + ("file",), f"the kept text policy/{name} is not UTF-8 text")
    by_text: dict[str, list[Quote]] = {}
    for quote in cited_quotes(source.document):
        if quote.source in texts:
            by_text.setdefault(quote.source, []).append(quote)
    located = 0  # where a missing quote parts from its text, said for the first few (a search each)
    for cited, quotes in by_text.items():
        shown, text = texts[cited]
        for quote in missing_quotes(quotes, text):
            parted = first_difference(quote.text, text) if located < LOCATED_QUOTES else ()
            located += 1
            where_parted = ("" if parted == () else
                            f"; it agrees with the text up to {parted[0]!r}, where the text goes on "
                            f"{parted[1]!r}" if parted and parted[1] else
                            f"; the text ends after {parted[0]!r}" if parted else
                            "; not even its first words stand in that text (the wrong source?)")
            yield problem(quote.where, f"this quote is not in the source text {shown} of {cited} "
                          f"(it must be verbatim, line breaks aside): {_shown(quote.text)}{where_parted}")


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _template_problems(condition: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    kind = KINDS.get(condition.get("kind", ""))
    allowed = kind.placeholders if kind else frozenset()
    for lang, text in (condition.get("text") or {}).items():
        if not isinstance(text, str):
            continue
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                      if name is not None]
        except ValueError as error:
            yield (lang,), f"the text has a broken {{placeholder}}: {error}"
            continue
        used = {name for name, _, _ in fields}
        for name, spec, conversion in fields:
            if spec or conversion:  # {threshold:>300000000} would pad the page with 300 million spaces
                shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                yield (lang,), (f"the placeholder {{{shown[:40]}}} has a format; write it plain as {{{name[:40]}}}"
                                " (the figure is formatted by its kind)")
        for name in sorted(used - allowed):
            yield (lang,), f"the placeholder {{{name}}} is not available here; use " + (
                ", ".join("{" + n + "}" for n in sorted(allowed)) or "no placeholder")
        if kind and "threshold" in condition and not used & kind.figure:
            yield (lang,), "the text must show the figure: use " + " or ".join(
                "{" + n + "}" for n in sorted(kind.figure))


def _walk(value: Any, where: Path_) -> Iterator[tuple[Path_, Any]]:
    yield where, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, where + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, where + (index,))


def validate(source: Source, schema: dict[str, Any]) -> list[Problem]:
    """Every problem in the source: the schema's first, then the cross-references'."""
    problems = list(_schema_problems(source, schema))
    if not problems:
        problems = list(_semantic_problems(source))
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
