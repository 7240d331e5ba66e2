"""The hardened loader of policy/*.yaml: one document with the line of every key, or file:line refusals.

Anchors, aliases, tags, duplicate keys, deep nesting, oversized files and texts, links and anything
but regular files in policy/ are refused, each refusal a Problem naming file, line and key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scripts.paths import ROOT

__all__ = ["FILES", "OPTIONAL", "POLICY_DIR", "SCHEMA_FILE", "Path_", "PolicyError", "Problem", "Source", "dotted",
           "load_file", "load_schema", "load_source", "placement_problem", "shown"]

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
                raise PolicyError([Problem(file, key_node.start_mark.line + 1, dotted(where + (key,)),
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
        raise PolicyError([Problem(file, node.start_mark.line + 1, dotted(where),
                                   f"this value cannot be read: {reason[:80]}")]) from None
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:  # what the schema does not bound either
        raise PolicyError([Problem(file, node.start_mark.line + 1, dotted(where),
                                   f"is longer than {MAX_TEXT_CHARS} characters ({len(value):,}); "
                                   "policy texts are short")])
    return value


def dotted(where: Path_) -> str:
    """A JSON path as a refusal names its key: criteria.conditions[2].text."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def shown(value: Any) -> str:
    """A value as a refusal quotes it: text in quotes, anything else as JSON, cut short past 60 characters."""
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) < 60 else text[:57] + "…"


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
        raise PolicyError([_yaml_problem(name, error)]) from None
    except _Refused as error:
        raise PolicyError([Problem(name, error.line, "", error.message)]) from None
    except UnicodeDecodeError:
        raise PolicyError([Problem(name, 0, "", "the file is not UTF-8 text")]) from None
    if node is None:
        raise PolicyError([Problem(name, 1, "", "the file is empty")])
    return _construct(node, loader, prefix, lines, name)


# What PyYAML says it was reading when a bracket or a quote opened and never closed: the line where
# it opened is the one to fix, not the later line where the parser gave up.
_UNCLOSED = ("while parsing a flow", "while scanning a quoted scalar")


def _yaml_problem(name: str, error: yaml.MarkedYAMLError) -> Problem:
    """The invalid YAML at the line to fix: where an unclosed bracket or quote opens, else where the
    parser stopped."""
    stopped = error.problem_mark.line + 1 if error.problem_mark else 0
    opened = error.context_mark.line + 1 if error.context_mark else 0
    if opened and (error.context or "").startswith(_UNCLOSED) and opened != stopped:
        what = error.context.removeprefix("while parsing a ").removeprefix("while scanning a ")
        return Problem(name, opened, "", f"this is not valid YAML: the {what} that opens on this line is not "
                       f"closed ({error.problem} at line {stopped})")
    return Problem(name, stopped or opened, "", f"this is not valid YAML: {error.problem or error}")


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
