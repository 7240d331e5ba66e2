"""The source's own words in the policy: every `quote`, and whether it stands verbatim in a text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Quote", "normalise", "quotes_in", "cited_quotes", "missing_quotes", "first_difference",
           "kept_text_path"]

# Whitespace around a line break, and the break itself: the only difference allowed between a quote
# and its source (the extraction wraps long lines inside words, and a page wraps wherever it likes).
_LINE_JOIN = re.compile(r"[ \t\u3000\u00a0]*(?:\r\n|\r|\n)[ \t\u3000\u00a0\r\n]*")


@dataclass(frozen=True)
class Quote:
    """One passage a fact quotes: where it stands in the policy, the page it cites, and the words."""

    where: tuple  # the JSON path of the quote in the policy document
    source: str  # the id of the source page (the fact's ref.source)
    text: str


def normalise(text: str) -> str:
    """The text with its line breaks (and the spaces around them) removed, as quotes are compared."""
    return _LINE_JOIN.sub("", text.replace("\u00a0", " "))


def quotes_in(document: Any, where: tuple = ()) -> Iterator[Quote]:
    """Every quote in the policy document, each passage of a list on its own."""
    if isinstance(document, dict):
        if "quote" in document:
            source = (document.get("ref") or {}).get("source", "") if isinstance(document.get("ref"), dict) else ""
            value = document["quote"]
            if isinstance(value, str):
                yield Quote(where + ("quote",), source, value)
            elif isinstance(value, list):
                for index, passage in enumerate(value):
                    if isinstance(passage, str):
                        yield Quote(where + ("quote", index), source, passage)
        for key, item in document.items():
            if key != "quote":
                yield from quotes_in(item, where + (key,))
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield from quotes_in(item, where + (index,))


def _pattern(quote: str) -> re.Pattern[str]:
    """The quote as a pattern: its characters in order, where a line break (with the spaces around it)
    may stand between any two, and a space of the quote may also be a line break."""
    parts = []
    for char in quote:
        parts.append(_SPACE_OR_JOIN if char == " " else re.escape(char))
    return re.compile(_JOIN.join(parts))


_BLANK = "[ \\t\u3000\u00a0]"
_BREAK = "(?:\\r\\n|\\r|\\n)"
_JOIN = f"(?:{_BLANK}*{_BREAK}[ \\t\u3000\u00a0\\r\\n]*)?"
_SPACE_OR_JOIN = f"(?:{_BLANK}+|{_BLANK}*{_BREAK}[ \\t\u3000\u00a0\\r\\n]*)"


def missing_quotes(quotes: list[Quote], text: str) -> list[Quote]:
    """The quotes that do not stand verbatim in `text`, line breaks aside: a line break (and the
    spaces around it) may fall anywhere in a quote, and where the quote has a space."""
    return [quote for quote in quotes if not _pattern(quote.text).search(text)]


def first_difference(quote: str, text: str, context: int = 12) -> tuple[str, str] | None:
    """Where a quote missing from `text` parts from it: the longest start of the quote that stands in
    the text (line breaks aside) and what the text has next, up to `context` characters each (the text's
    line breaks removed); None when not even its first characters stand in the text."""
    low, high = 0, len(quote)  # the start of length `low` stands in the text; `high` + 1 does not
    while low < high:
        middle = (low + high + 1) // 2
        if _pattern(quote[:middle]).search(text):
            low = middle
        else:
            high = middle - 1
    if low < min(4, len(quote)):
        return None
    found = _pattern(quote[:low]).search(text)
    assert found is not None
    after = normalise(text[found.end():found.end() + 4 * context])[:context]
    start = quote[:low]
    return (start if len(start) <= context else "…" + start[-context:]), after


def cited_quotes(document: dict[str, Any]) -> list[Quote]:
    """Every quote with the source it cites: a fact's by its `ref.source`, a published holiday
    schedule's (calendar.yaml, which names its notice by title and url) by the source of sources.yaml
    with the same url, if any ("" otherwise: its text is not kept, and it cannot be checked)."""
    quotes = [q for q in quotes_in({k: v for k, v in document.items() if k != "calendar"})]
    by_url = {s.get("url"): s.get("id") for s in document.get("sources", []) if isinstance(s, dict)}
    calendar = document.get("calendar") if isinstance(document.get("calendar"), dict) else {}
    for index, schedule in enumerate(calendar.get("schedules") or []):
        if not isinstance(schedule, dict):
            continue
        source = by_url.get((schedule.get("source") or {}).get("url"), "")
        quotes += [Quote(q.where, source, q.text) for q in quotes_in(schedule, ("calendar", "schedules", index))]
    return quotes


def kept_text_path(source: dict[str, Any], policy_dir: Path) -> Path:
    """The file that holds a source's text as taken (sources.yaml: text.file, under policy/)."""
    return policy_dir / source["text"]["file"]
