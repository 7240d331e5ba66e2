"""Shared helpers: the developers' frozen policy, the declarative cases, what runs where (CPython or
Pyodide), the built site served on 127.0.0.1 (`site_url`) and headless Chromium (`browser`, and `page`,
a watched page).

The calculators' tests run against a policy of their own: tests/fixtures/policy.json (compiled from the
frozen copy tests/fixtures/policy/, made by `python -m scripts.policy.freeze_policy`), set here for this process
and every subprocess (the CLI), in CPython and in Pyodide alike. The live policy/ is for the checks that
must follow it (the site and its figures, the policy's own checks): they read it explicitly
(`live_policy()`, `live_env()`, `scripts.policy.policy_source.compile_policy()`)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from scripts.paths import ROOT

CASES = Path(__file__).parent / "cases"
EXAMPLES = ROOT / "examples"  # copied beside tests/ for the run in Pyodide too
IN_PYODIDE = sys.platform == "emscripten"
FIXTURES = Path(__file__).parent / "fixtures"
FROZEN_POLICY_DIR = FIXTURES / "policy"  # the frozen source, for tests that edit policy lines
FROZEN_POLICY = FIXTURES / "policy.json"  # its compiled form, which load_policy() reads in the tests

from calculators.policy import POLICY_ENV  # noqa: E402

os.environ[POLICY_ENV] = str(FROZEN_POLICY.resolve())


def live_env() -> dict[str, str]:
    """The environment for a subprocess that must read the live policy compiled into the package (the
    CLI compared with the built site)."""
    return {key: value for key, value in os.environ.items() if key != POLICY_ENV}


def live_policy() -> Any:
    """The live policy as the package carries it (calculators/policy.json, what the site ships)."""
    from calculators import Policy

    package_copy = ROOT / "calculators" / "policy.json"
    return Policy(json.loads(package_copy.read_text(encoding="utf-8")))

# Tests that need a subprocess, the policy tool chain (PyYAML, jsonschema) or the site are CPython-only.
cpython_only = pytest.mark.skipif(IN_PYODIDE, reason="needs subprocesses or build tools, absent in Pyodide")


def load_cases(name: str) -> dict[str, Any]:
    """A case file: YAML where PyYAML exists, else its JSON copy made for Pyodide by the build."""
    json_copy = CASES / f"{name}.json"
    if json_copy.exists() and IN_PYODIDE:
        return json.loads(json_copy.read_text(encoding="utf-8"))
    import yaml

    return yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))


def valid_inputs() -> dict[str, dict[str, Any]]:
    """One valid input per calculator, for tests that break or vary it: the eligibility cases' base
    provider, one fee order, and examples/review.json."""
    return {
        "eligibility": load_cases("eligibility")["base"],
        "fees": {"onboarded_on": "2026-01-10", "orders": [{"id": "A", "date": "2026-02-01", "amount": "10.00"}]},
        "review": json.loads((EXAMPLES / "review.json").read_text(encoding="utf-8")),
    }


def case_params(name: str) -> list[Any]:
    """The cases of a file as pytest params, each with its sentence name as id."""
    return [pytest.param(case, id=case["name"]) for case in load_cases(name)["cases"]]


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """The built site (built first if it is not) served as `make serve-static` serves it, on a free
    port of 127.0.0.1; the URL ends in /."""
    from scripts.dev.static_server import serving

    from .built_site import built_site

    with serving(built_site()) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (scripts/dev/browser.py). A missing Playwright or Chromium fails the test and says
    how to install it: browser tests never skip."""
    from scripts.dev.browser import chromium, missing

    problem = missing()
    if problem:
        pytest.fail(problem, pytrace=False)
    with chromium() as launched:
        yield launched


class SharedWorkers:
    """The browser's shared workers (the calculators' runtime runs in one: assets/js/calc/connection.mjs),
    watched over the DevTools protocol, since Playwright neither lists them nor reports their requests
    or console. Each is attached to as it is created, before it fetches the runtime; its requests and
    its errors are recorded."""

    def __init__(self, browser: Any) -> None:
        self.session = browser.new_browser_cdp_session()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.attached: dict[str, str] = {}  # target id -> our session with it
        self.session.on("Target.targetCreated", self._created)
        self.session.on("Target.receivedMessageFromTarget", self._received)
        self.session.send("Target.setDiscoverTargets", {"discover": True})

    def _created(self, event: dict[str, Any]) -> None:
        if event["targetInfo"]["type"] != "shared_worker":
            return
        target = event["targetInfo"]["targetId"]
        session = self.session.send("Target.attachToTarget", {"targetId": target, "flatten": False})["sessionId"]
        self.attached[target] = session
        for number, method in enumerate(("Network.enable", "Runtime.enable"), start=1):
            self.session.send("Target.sendMessageToTarget",
                              {"sessionId": session, "message": json.dumps({"id": number, "method": method})})

    def _received(self, event: dict[str, Any]) -> None:
        said = json.loads(event["message"])
        method, params = said.get("method"), said.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(" ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"]))
        elif method == "Runtime.exceptionThrown":
            self.errors.append(params["exceptionDetails"].get("text", "exception"))

    def running(self, ending: str = "assets/js/calc-worker.mjs") -> list[str]:
        """The URLs of the shared workers now running whose URL ends with `ending`."""
        targets = self.session.send("Target.getTargets")["targetInfos"]
        return [t["url"] for t in targets if t["type"] == "shared_worker" and t["url"].endswith(ending)]

    def end(self, ending: str = "assets/js/calc-worker.mjs") -> int:
        """End the shared workers whose URL ends with `ending`, as the browser does once the last page
        using one has been gone for its extended lifetime; how many were ended."""
        targets = self.session.send("Target.getTargets")["targetInfos"]
        ended = [t for t in targets if t["type"] == "shared_worker" and t["url"].endswith(ending)]
        for target in ended:  # a worker closed with a debugger attached would linger: detach first
            session = self.attached.pop(target["targetId"], None)
            if session:
                self.session.send("Target.detachFromTarget", {"sessionId": session})
            self.session.send("Target.closeTarget", {"targetId": target["targetId"]})
        return len(ended)

    def close(self) -> None:
        self.session.detach()


class Watched:
    """A page with every request and console error recorded, its shared workers' too (`workers`)."""

    def __init__(self, page: Any, workers: SharedWorkers | None = None) -> None:
        self.page = page
        self.workers = workers
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def all_requests(self) -> list[str]:
        return self.requests + (self.workers.requests if self.workers else [])

    def all_errors(self) -> list[str]:
        return self.errors + (self.workers.errors if self.workers else [])

    def external(self) -> list[str]:
        return [url for url in self.all_requests()
                if urlparse(url).scheme not in ("data", "blob") and urlparse(url).hostname != "127.0.0.1"]


@pytest.fixture
def page(browser: Any) -> Iterator[Watched]:
    """A desktop-sized page in Chinese; the test fails if it (or its shared worker) requested another
    host or logged an error."""
    workers = SharedWorkers(browser)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    watched = Watched(context.new_page(), workers)
    yield watched
    context.close()
    workers.close()
    assert watched.external() == [], "requests left 127.0.0.1"
    assert watched.all_errors() == [], "console errors"
