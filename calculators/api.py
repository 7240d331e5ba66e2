"""One entry point for every surface: the command line, Python callers and the in-page widgets."""

from __future__ import annotations

from collections.abc import Callable

from .answers import answer, dump
from .batches import Batches
from .csv_io import fees_from_csv, fees_from_csv_rows
from .progress import reporting_progress
from .results import CALCULATORS, compute, contract, dumps

__all__ = ["CALCULATORS", "batch_file", "batch_json", "batch_json_due", "batch_page", "compute", "compute_json",
           "compute_paged", "contract", "dumps", "fees_from_csv", "fees_from_csv_rows", "new_batches"]


def compute_json(name: str, text: str, lang: str = "zh", csv_text: str | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> str:
    """For the widgets: JSON in, JSON out, never an exception for the user's input.

    Returns {"ok": true, "result": …, "json": "<the CLI's --json text>", "display": <display model>,
    "read": {field: as read}, "read_notes": {field: "read as …"}, "csv": "…", "rates": …} or
    {"ok": false, "errors": [{"field", "id", "row", "message"}], …}; a CSV with bad rows adds the good
    rows' "partial" result and its "display".
    """
    with reporting_progress(progress):
        reply, made = answer(name, text, lang, csv_text)
    if made is not None:
        reply |= made.files()
    return dump(reply)


def new_batches() -> Batches:
    """A page's own large answers (calculators.batches): the worker keeps one for each page it serves,
    so that pages sharing one runtime never replace each other's kept batch."""
    return Batches(answer, contract, dump)


# The large answers of a single caller, kept in one object.
_batches = new_batches()
compute_paged = _batches.compute_paged
batch_json_due = _batches.batch_json_due
batch_json = _batches.batch_json
batch_page = _batches.batch_page
batch_file = _batches.batch_file
