"""Parsing the calculators' JSON input: exact decimals, bounded size, depth and numbers, no key given twice."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from .inputs import InputError, Problem
from .messages import printable, show_value

__all__ = ["MAX_DEPTH", "MAX_INPUT_CHARS", "MAX_NUMBER_CHARS", "parse_json"]

MAX_DEPTH = 64  # the calculators' inputs nest three levels; the parser must never recurse deeply
MAX_INPUT_CHARS = 100_000_000  # about a million orders; more is refused before parsing
MAX_NUMBER_CHARS = 100  # a JSON number token longer than this is refused while parsing
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"?')  # after escapes are gone a string ends at the next quote (or the end)
_BRACKETS = re.compile(r"[\[\]{}]")


def _too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than MAX_DEPTH (strings do not count).

    Checked before parsing: in Pyodide the WebAssembly stack runs out before Python's recursion
    limit, which would end the whole runtime rather than raise an error. Linear time: escapes
    are removed first, so a string is a quote, anything but a quote, and a quote (or the end).
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_STRING.sub("", _ESCAPE.sub("", text))):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice is an error (json's default keeps the last silently)."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


class _FarOut(Decimal):
    """A JSON number whose exponent is beyond what every runtime's decimal can hold (Pyodide's
    32-bit decimal stops at 1e±425000000): held as 1e±999999, shown as typed. Any bound refuses it."""

    token = ""

    def __str__(self) -> str:
        return self.token


_EXPONENT = re.compile(r"[eE]([+-]?)([0-9]+)$")


def _decimal(token: str) -> Decimal:
    """A JSON number as a Decimal, the same in CPython and in Pyodide, however large its exponent."""
    exponent = _EXPONENT.search(token)
    if exponent is None or len(exponent.group(2)) <= 6:
        return Decimal(token)
    mantissa = token[: exponent.start()]
    if not mantissa.strip("-0."):
        return Decimal(0)
    far = _FarOut(("-" if mantissa.startswith("-") else "") + "1e" + (exponent.group(1) or "+") + "999999")
    far.token = token
    return far


def _number_token(kind: Any) -> Any:
    def parse(token: str) -> Any:
        if len(token) > MAX_NUMBER_CHARS:
            raise ValueError(f"a number longer than {MAX_NUMBER_CHARS} characters ({token[:12]}…)")
        return kind(token)
    return parse


def parse_json(text: str) -> Any:
    """Parse JSON with exact decimals; raise InputError for anything that is not JSON, is too large
    or too deep, or gives one key twice in an object."""
    if len(text) > MAX_INPUT_CHARS:
        raise InputError([Problem("", "input_too_large", maximum=f"{MAX_INPUT_CHARS:,}")])
    if _too_deep(text):
        raise InputError([Problem("", "not_json", detail=f"nested more than {MAX_DEPTH} levels deep")])
    try:
        return json.loads(text, parse_float=_number_token(_decimal), parse_int=_number_token(int),
                          parse_constant=_reject_constant, object_pairs_hook=_object)
    except _DuplicateKey as error:
        raise InputError([Problem(printable(error.key[:80]), "duplicate_key", value=show_value(error.key))]) from None
    except (ValueError, RecursionError) as error:
        detail = str(error) if not isinstance(error, RecursionError) else "nested too deeply"
        raise InputError([Problem("", "not_json", detail=printable(detail[:80]))]) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")
