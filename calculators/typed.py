"""Figures as people type them: full-width digits (a Chinese input method), thousands separators,
a currency sign or 元, spaces around them. Only forms that cannot mean anything else are read; the rest stay as
typed, for the field's own check to name."""

from __future__ import annotations

import re
from typing import Any

from .periods import ISO_DATE

__all__ = ["ambiguous_date", "as_read", "plain_date", "plain_number"]

# ￥ and ¥ before, 元 or CNY/RMB after, spaces anywhere; 1,280.00 with commas every three digits
_CURRENCY = re.compile(r"^(?:[¥￥]|CNY|RMB)?\s*(?P<number>.*?)\s*(?:元|CNY|RMB)?$", re.IGNORECASE)
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
# a date with its year first, as the form, Excel and people write it: 2026-8-15, 2026/8/15, 2026年8月15日
_DATE = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<m1>[0-9]{1,2})-(?P<d1>[0-9]{1,2})|/(?P<m2>[0-9]{1,2})/(?P<d2>[0-9]{1,2})"
                   r"|年(?P<m3>[0-9]{1,2})月(?P<d3>[0-9]{1,2})日?)")
# a date that may be read day first or month first (15/8/2026, 8/15/26): never guessed
_AMBIGUOUS_DATE = re.compile(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2}(?:[0-9]{2})?")
MAX_TYPED = 64  # longer text is nobody's figure: left as typed, for the field's check to refuse
# Text already plain (ASCII digits, no spaces, signs or separators to read): what plain_number and
# plain_date would return unchanged, recognised without normalising it (a large CSV is mostly this).
_ALREADY_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


# Full-width forms (U+FF01…U+FF5E, what a Chinese input method types) as their ASCII forms, the
# ideographic space as a space, 。 as a decimal point. Nothing else: NFKC would also read ①⓪⓪ as
# 100, ¹² as 12 and ½ as 1⁄2, forms that stand for something else than a typed figure.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, ord("。"): ord(".")}


def _narrow(text: str) -> str:
    """Full-width digits, signs and punctuation as their ASCII forms, and nothing else."""
    return text.translate(_FULL_WIDTH).strip()


def plain_number(text: str, money: bool = False) -> str:
    """"２０" -> "20", "1,280.00" -> "1280.00", and for money "¥1280" / "1280 元" -> "1280"; anything
    else is returned unchanged."""
    if len(text) > MAX_TYPED:
        return text
    narrow = _narrow(text)
    if money:
        match = _CURRENCY.match(narrow)
        narrow = match.group("number") if match else narrow
    # spaces only around the figure and its currency: "1 2" may be 12 or two figures, "1 , 234"
    # a list; neither is read (as JSON reads neither)
    if _GROUPED.fullmatch(narrow):
        narrow = narrow.replace(",", "")
    return narrow if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", narrow) else text


def plain_date(text: str) -> str:
    """"２０２６－１１－２６" -> "2026-11-26", "2026-1-5" -> "2026-01-05", "2026/8/15" and "2026年8月15日"
    -> "2026-08-15" (the year first: nothing to guess); anything else unchanged."""
    if len(text) > MAX_TYPED:
        return text
    narrow = _narrow(text).replace(" ", "")
    match = _DATE.fullmatch(narrow)
    if not match:
        return text
    month = match["m1"] or match["m2"] or match["m3"]
    day = match["d1"] or match["d2"] or match["d3"]
    return f"{match['year']}-{int(month):02d}-{int(day):02d}"


def ambiguous_date(text: str) -> bool:
    """Whether `text` is a date whose day and month order cannot be told (15/8/2026, 8/15/26)."""
    return len(text) <= MAX_TYPED and bool(_AMBIGUOUS_DATE.fullmatch(_narrow(text).replace(" ", "")))


def as_read(value: Any, kind: str) -> Any:
    """A typed value as the calculators read it: text of a number or date made plain; other values as
    they are. `kind`: integer, number, money or date."""
    if not isinstance(value, str):
        return value
    if kind == "date":
        return value if ISO_DATE.fullmatch(value) else plain_date(value)
    return value if _ALREADY_NUMBER.fullmatch(value) else plain_number(value, money=kind == "money")
