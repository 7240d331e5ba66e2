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


# An init script for a browser without shared workers: each page then runs the calculators in a worker
# of its own (assets/js/calc/connection.mjs). Playwright routes the requests of a page's own worker,
# and Chromium's network emulation throttles them, but neither reaches a shared worker's: tests that
# fake a host's answers, and the bench on an emulated slow link, run the page this way.
NO_SHARED_WORKERS = "delete window.SharedWorker;"


def end_shared_workers(browser: Any, ending: str = "assets/js/calc-worker.mjs") -> int:
    """End the browser's shared workers whose URL ends with `ending`, as the browser does once the last
    page using one has been gone for its extended lifetime (DevTools' Target.closeTarget); how many."""
    session = browser.new_browser_cdp_session()
    try:
        targets = session.send("Target.getTargets")["targetInfos"]
        ended = [t for t in targets if t["type"] == "shared_worker" and t["url"].endswith(ending)]
        for target in ended:
            session.send("Target.closeTarget", {"targetId": target["targetId"]})
        return len(ended)
    finally:
        session.detach()
