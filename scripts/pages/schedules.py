"""The schedule engine: a figure over time from its dated values, in words.

"10% until 2027-06-30; 8.5% from 2027-07-01", each value that carries its own source cited, and the
source's words of each such value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from calculators.messages import colon, joined, parenthesised, word
from calculators.policy import plain, value_at
from scripts.pages.fidelity import source_ref, source_words
from scripts.pages.page_text import text

__all__ = ["Schedules"]


class Schedules:
    """The schedules of the figures of one policy, seen from `today`; `sources` are the policy's
    sources by id, which the values that carry their own source cite."""

    def __init__(self, today: dt.date, sources: dict[str, dict[str, Any]]) -> None:
        self.today = today
        self.sources = sources

    def at(self, dated: dict[str, Any]) -> Any:
        """The value of `dated` in force today."""
        return value_at(dated, self.today)

    def changes(self, *dated: dict[str, Any]) -> list[dt.date]:
        """The days after today on which any of `dated` takes a new value."""
        return sorted({dt.date.fromisoformat(day) for values in dated for day in values
                       if day > self.today.isoformat()})

    def sourced(self, dated: list[dict[str, Any]], day: dt.date) -> list[tuple[str, dict[str, Any]]]:
        """The dated values in force on `day` that carry their own source ({value, ref, quote}), each
        with its effective date."""
        found = []
        for values in dated:
            keys = [key for key in sorted(values) if key <= day.isoformat()] or sorted(values)[:1]
            entry = values[keys[-1]]
            if isinstance(entry, dict) and "ref" in entry and (keys[-1], entry) not in found:
                found.append((keys[-1], entry))
        return found

    def schedule(self, dated: list[dict[str, Any]], show: Callable[[dt.date], str | None], lang: str,
                 escape: bool = True) -> str:
        """A figure over time from its dated values: today's, then each later one with its first day,
        in both languages ("10% until 2027-06-30; 8.5% from 2027-07-01"). `show(day)` gives the
        figure in force on `day`, or None where a null value ended the rule. A value with its own
        source is followed by that source (not in the figures of hand-written sentences). Figures are
        escaped as page text unless `escape` is false (figures made here, with no policy text in them)."""
        periods: list[tuple[dt.date, str | None]] = []
        for day in [self.today, *self.changes(*dated)]:
            raw = show(day)
            shown = None if raw is None else text(raw) if escape else raw
            if not periods or periods[-1][1] != shown:
                periods.append((day, shown))
        if periods[0][1] is None:  # ended before today: from when
            ended = max(dt.date.fromisoformat(day) for values in dated for day in values
                        if day <= self.today.isoformat() and plain(values[day]) is None)
            periods[0] = (ended, None)
        pieces = []
        for index, (day, shown) in enumerate(periods):
            until = (periods[index + 1][0] - dt.timedelta(days=1)).isoformat() if index + 1 < len(periods) else None
            if shown is None:
                pieces.append(word("sched_ended", lang, day=day.isoformat()))
            elif index == 0:
                pieces.append(shown if until is None else word("sched_until", lang, value=shown, until=until))
            elif until is None:
                pieces.append(word("sched_from", lang, value=_spaced(shown, lang), day=day.isoformat()))
            else:
                pieces.append(word("sched_between", lang, value=_spaced(shown, lang), day=day.isoformat(), until=until))
            cited = self.sourced(dated, day) if escape else []
            if cited:
                pieces[-1] = parenthesised(pieces[-1], joined([self.ref(e["ref"], lang) for _, e in cited], lang,
                                                              "semicolon"), lang)
        return joined(pieces, lang, "semicolon")

    def value_quotes(self, dated: list[dict[str, Any]], lang: str) -> str:
        """The source's words for each value of a schedule still in force or to come that quotes its own
        source, in a quote box named by the value's date."""
        days = [self.today, *self.changes(*dated)]
        boxes = []
        for key, entry in dict(item for day in days for item in self.sourced(dated, day)).items():
            if entry.get("quote"):
                boxes.append(source_words(entry, lang, word("quote_from", lang, day=key)))
        return "\n".join(boxes)

    def scheduled(self, dated: list[dict[str, Any]], show: Callable[[dt.date], str | None], lang: str) -> str:
        """A schedule line for a page when the figure changes after today or a value in force has its
        own source (then with the source's words of each such value), else nothing."""
        if not self.changes(*dated) and not self.sourced(dated, self.today):
            return ""
        quotes = self.value_quotes(dated, lang)
        return f"**{word('schedule', lang)}**{colon(lang)}{self.schedule(dated, show, lang)}\n" \
            + (f"\n{quotes}" if quotes else "")

    def ref(self, ref: dict[str, Any], lang: str) -> str:
        """A fact's reference to its source, as a line of the page."""
        return source_ref(self.sources[ref["source"]], ref, lang)


def _spaced(text: str, lang: str) -> str:
    """In Chinese, a figure after a word gets a space before it (自 2027-07-01 起 8.5%); words do not."""
    return " " + text if lang == "zh" and text[:1].isascii() else text
