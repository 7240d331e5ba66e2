"""The page's worker's large batches: the newest large answer kept, its totals sent at once, the rest when asked."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Protocol

from .display import PAGE_SIZE, WHOLE_TABLE, fee_rows
from .inputs import Problem
from .progress import reporting_progress

# The page gets a large answer's totals and first page of orders at once, the result's JSON (for
# data-result) just after, further pages and the CSV files on demand. Writing all of it before
# showing anything would take seconds for a hundred thousand orders. The sizes of a page and of a
# large answer are display.PAGE_SIZE and display.WHOLE_TABLE, the defaults the worker calls with.


class Made(Protocol):
    """A computed answer's result and the rows left out (answers.Made), from which its texts are written."""

    result: dict[str, Any]
    problems: list[Problem]
    lang: str

    def files(self) -> dict[str, str]: ...

    def file(self, which: str) -> str: ...


Answer = Callable[..., tuple[dict[str, Any], "Made | None"]]


class Batches:
    """The page's worker's computations, keeping the newest large one. `answer(name, text, lang,
    csv_text, page, large)` makes an answer without its texts and what they are written from;
    `contract` gives a result as the contract's JSON does; `dump` writes an answer as JSON text."""

    def __init__(self, answer: Answer, contract: Callable[[dict[str, Any]], dict[str, Any]],
                 dump: Callable[[dict[str, Any]], str]) -> None:
        self._answer, self._contract, self._dump = answer, contract, dump
        self._kept: Made | None = None
        self._json_due = False

    def compute_paged(self, name: str, text: str, lang: str = "zh", csv_text: str | None = None,
                      progress: Callable[[str, int, int], None] | None = None, page: int = PAGE_SIZE,
                      large: int = WHOLE_TABLE) -> str:
        """compute_json for the page's worker. An answer of more than `large` orders is kept here and
        comes out without its texts and with its first `page` orders only, marked "paged": {total,
        page, files}; batch_json, batch_page and batch_file give the rest. Smaller answers come out
        whole."""
        self._kept, self._json_due = None, False
        with reporting_progress(progress):
            answer, made = self._answer(name, text, lang, csv_text, page, large)
        key = "result" if answer["ok"] else "partial"
        orders = answer[key]["orders"] if made is not None and name == "fees" else []
        if len(orders) <= large and (made is None or len(made.problems) <= large):
            if made is not None:
                answer |= made.files()
            return self._dump(answer)
        self._kept, self._json_due = made, answer["ok"]
        answer[key] = {**answer[key], "orders": orders[:page]}
        answer["paged"] = {"total": len(orders), "page": page,
                           "files": {"csv": True, "errors_csv": not answer["ok"]}}
        return self._dump(answer)

    def batch_json_due(self) -> bool:
        """Whether the kept batch's JSON is still to be sent (a batch computed in full)."""
        return self._json_due

    def batch_json(self) -> str:
        """The kept batch's result as JSON: the same JSON as the CLI's --json prints, written compact
        and ASCII-only (JSON escapes): a third of the size and one byte a character for the page to
        hold."""
        self._json_due = False
        if self._kept is None:
            return ""
        return json.dumps(self._contract(self._kept.result), separators=(",", ":"))

    def batch_page(self, start: int, count: int) -> str:
        """The fee table's rows of orders start… start+count of the kept batch, worded as its display
        model words them (calculators.display), as a JSON list."""
        if self._kept is None:
            return "[]"
        orders = self._kept.result["orders"][max(0, start):max(0, start) + max(0, count)]
        return json.dumps(fee_rows(orders, self._kept.lang), ensure_ascii=False)

    def batch_file(self, which: str) -> str:
        """A CSV file of the kept batch ("csv": the result, "errors_csv": the rows left out), or ""."""
        return self._kept.file(which) if self._kept is not None else ""
