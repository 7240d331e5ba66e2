"""Progress over large batches of orders: who is told, and how often, while orders are checked and computed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["PROGRESS_STEP", "Report", "reporter", "reporting_progress"]

# A callable(phase, done, total) set by `reporting_progress`, called every PROGRESS_STEP orders while
# orders are checked ("check") and computed ("compute").
Report = Callable[[str, int, int], None]
PROGRESS_STEP = 10_000
_progress: ContextVar[Report | None] = ContextVar("progress", default=None)


@contextmanager
def reporting_progress(report: Report | None) -> Iterator[None]:
    """Within the block, large batches report (phase, orders done, orders in all) to `report`."""
    token = _progress.set(report)
    try:
        yield
    finally:
        _progress.reset(token)


def reporter() -> Report | None:
    """The callable large batches report to here, or None."""
    return _progress.get()
