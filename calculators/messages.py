"""The calculators' words in Chinese and English, read from the one catalogue (catalogue.toml)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["LANGUAGES", "capital", "catalogue", "colon", "escape_invisible", "joined", "json_escape", "labelled",
           "parenthesised", "printable", "section", "show_value", "word"]

LANGUAGES = ("zh", "en")
CATALOGUE_RESOURCE = "catalogue.toml"


@lru_cache(maxsize=1)
def _sections() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files(__package__).joinpath(CATALOGUE_RESOURCE).read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every entry of the catalogue by its key (keys are unique across its sections)."""
    entries: dict[str, dict[str, str]] = {}
    for name, table in _sections().items():
        for key, entry in table.items():
            if key in entries:
                raise ValueError(f"{CATALOGUE_RESOURCE}: the key {key!r} of [{name}] is already used")
            entries[key] = entry
    return entries


def section(name: str) -> list[str]:
    """The keys of one section of the catalogue, in order."""
    return list(_sections()[name])


def word(key: str, lang: str, **params: Any) -> str:
    """The entry `key` in `lang` with its parameters filled in; the singular form (`en_one`) where
    the entry has one and its `count` (or `n`) is 1."""
    entry = catalogue()[key]
    count = params.get("count", params.get("n"))
    text = entry.get(f"{lang}_one", entry[lang]) if count == 1 else entry[lang]
    return text.format(**params) if params else text


def capital(text: str) -> str:
    """`text` with its first letter in upper case (a heading or a label; Chinese is unchanged)."""
    return text[:1].upper() + text[1:]


def colon(lang: str) -> str:
    return word("colon", lang)


def labelled(key: str, lang: str, value: str) -> str:
    """A label from the catalogue, its language's colon, then `value`: "合计：…" / "Totals: …"."""
    return capital(word(key, lang)) + colon(lang) + value


def joined(items: list[str], lang: str, separator: str = "list_separator") -> str:
    """`items` joined with a separator of their language: 、 / ", " (or "semicolon": ； / "; ")."""
    return word(separator, lang).join(items)


def parenthesised(text: str, note: str, lang: str) -> str:
    """`text (note)` with the parentheses of the language: 元旦（1 天） / New Year (1 day)."""
    return text + word("paren_open", lang) + note + word("paren_close", lang)


def printable(text: str) -> str:
    """`text` with control and other non-printable characters escaped (\\uXXXX): user text must
    not reach a terminal or a page as control sequences."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def json_escape(char: str) -> str:
    """One character as a JSON escape (\\uXXXX, a surrogate pair above U+FFFF)."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def escape_invisible(text: str) -> str:
    """`text` (a JSON document or a report, many lines) with every control, format (bidi) or other
    non-printable character but the line break written as a JSON escape \\uXXXX. In a JSON
    string the escape means the same character, so the data is unchanged; a terminal shows it
    as text instead of obeying it."""
    if text.replace("\n", "").isprintable():
        return text
    return "\n".join(line if line.isprintable() else "".join(
        c if c.isprintable() or c == " " else json_escape(c) for c in line) for line in text.split("\n"))


def show_value(value: Any) -> str:
    """A short, safe rendering of a user's value for a message."""
    if value is None:
        text = "null"
    elif value is True or value is False:
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + printable(value[:60]) + '"'
    elif isinstance(value, (list, dict)):
        text = {list: "[…]", dict: "{…}"}[type(value)]
    else:
        try:
            text = str(value)
        except ValueError:  # an integer too long to print
            text = "…"
    return text if len(text) <= 40 else text[:37] + "…"


