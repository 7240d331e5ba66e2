"""Headless Chromium for the browser tests and the benchmark: Debian's executable, one set of arguments.

Playwright for Python (pinned in requirements/dev.txt) drives /usr/bin/chromium (installed by
scripts/dev/install-chromium.sh); Playwright's own browser download is not used. `make test` and
`make bench` install both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def missing() -> str | None:
    """What is missing to drive Chromium, and how to install it; None when nothing is."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return ("Playwright for Python is not installed: `make test` installs it "
                "(or: .venv/bin/python -m pip install -r requirements/dev.txt)")
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: `make test` installs it (or run scripts/dev/install-chromium.sh)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium (a Playwright Browser), closed after the block. Raises
    RuntimeError saying how to install what is missing (see `missing`)."""
    problem = missing()
    if problem:
        raise RuntimeError(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
