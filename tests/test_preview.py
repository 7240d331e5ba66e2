"""The docs team's loop under `make serve` (scripts/dev/preview.py), in a scratch copy of the project: one
save, one build; a dated rate change and an added market on the pages; a broken edit shown at once in
the page and the terminal as file:line: key: sentence, and the site back when it is fixed."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import FROZEN_POLICY_DIR, IN_PYODIDE

pytestmark = [pytest.mark.slow, pytest.mark.skipif(IN_PYODIDE, reason="runs the preview server from CPython")]

if not IN_PYODIDE:
    from .built_site import scratch_project

STARTUP = 180  # seconds: the first build compiles the policy, builds the wheel and both languages


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Preview:
    """`python -m scripts.dev.serve` running in a project folder, its output collected line by line."""

    def __init__(self, project: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self.process = subprocess.Popen([sys.executable, "-m", "scripts.dev.serve", "--port", str(self.port)],
                                        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for_line(self, text: str, timeout: float = STARTUP) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.process.poll() is None, "\n".join(self.lines)
            assert time.monotonic() < deadline, f"no {text!r} in:\n" + "\n".join(self.lines[-30:])
            time.sleep(0.2)

    def builds(self) -> int:
        return sum(1 for line in self.lines if line.startswith(("Preview updated", "The build failed")))

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:  # noqa: S310 - loopback
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def epoch(self) -> int:
        return int(self.get("__preview/epoch?since=-1")[1])

    def next_build(self, since: int) -> int:
        """Wait (as the page's reload script does) until a build newer than `since` is served."""
        deadline = time.monotonic() + STARTUP
        while time.monotonic() < deadline:
            epoch = int(self.get(f"__preview/epoch?since={since}", timeout=40)[1])
            if epoch != since:
                return epoch
        raise AssertionError("no new build:\n" + "\n".join(self.lines[-30:]))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_docs_teams_loop_under_make_serve(tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "project", FROZEN_POLICY_DIR)  # the policy whose lines the edits name
    copied = {p.name for p in (project / "build").iterdir()}  # the shared caches scratch_project brings
    fees = project / "policy" / "fees.yaml"
    preview = Preview(project)
    try:
        preview.wait_for_line(f"Serving on {preview.url}")
        status, page = preview.get("en/fees/")
        assert status == 200 and '<script src="/__preview/reload.js"' in page and "10%" in page
        assert preview.builds() == 1

        # a dated rate change, exactly as the README teaches: one save, one build, on the page
        epoch = preview.epoch()
        _edit(fees, 'rate: {"2026-11-26": "0.10"}', 'rate: {"2026-11-26": "0.10", "2030-07-01": "0.085"}')
        epoch = preview.next_build(epoch)
        assert "10% until 2030-06-30; 8.5% from 2030-07-01" in re.sub(r"<[^>]+>", "", preview.get("en/fees/")[1])
        time.sleep(3)  # nothing the build wrote may start another one
        assert preview.builds() == 2, "\n".join(preview.lines)
        # an identical rewrite (an editor's save without changes) is no change at all
        fees.write_text(fees.read_text(encoding="utf-8"), encoding="utf-8")
        time.sleep(2)
        assert preview.builds() == 2

        # a market added as the README says: the home page counts it
        markets = project / "policy" / "markets.yaml"
        markets.write_text(markets.read_text(encoding="utf-8") + ADDED, encoding="utf-8")
        epoch = preview.next_build(epoch)
        log = "\n".join(preview.lines)
        assert "七个类目市场" in preview.get("")[1] and "The seven markets" in preview.get("en/")[1], log

        # a broken edit: the terminal and every page say where, at once; assets still load
        text = fees.read_text(encoding="utf-8")
        line = text[: text.index('rate: {"2026-11-26"')].count("\n") + 1
        _edit(fees, 'rate: {"2026-11-26": "0.10",', 'rate: {"2026-11-26": "8%",')
        epoch = preview.next_build(epoch)
        said = f"policy/fees.yaml:{line}: fees.platform_fee.rate.2026-11-26: '8%' is not a rate"
        status, page = preview.get("en/self-check/?team_size=3", timeout=5)
        assert status == 500 and said in page.replace("&#x27;", "'")
        assert '<script src="/__preview/reload.js"' in page  # it reloads itself when the edit is fixed
        assert any(said in line for line in preview.lines)
        assert preview.get("assets/css/site.css")[0] == 200

        # fixed: the site is back by itself
        _edit(fees, 'rate: {"2026-11-26": "8%",', 'rate: {"2026-11-26": "0.10",')
        epoch = preview.next_build(epoch)
        status, page = preview.get("en/fees/")
        assert status == 200 and "8.5% from 2030-07-01" in re.sub(r"<[^>]+>", "", page)

        # a dated value an assumption rests on: the terminal says, file:line, that it needs reviewing
        _edit(fees, 'years: {"2026-11-26": 1}', 'years: {"2026-11-26": 1, "2030-07-01": null}')
        preview.next_build(epoch)
        warned = [line for line in preview.lines if line.startswith("warning: policy/assumptions.yaml:")]
        assert len(warned) == 2 and all("fee-waiver.years has a new dated value from 2030-07-01" in line
                                        for line in warned), "\n".join(preview.lines[-30:])
    finally:
        preview.stop()
    # stopped: no preview build left behind, and the package's site address back to the checkout's
    # default, so that the command line's clause links do not lead to the stopped preview
    left = [p.name for p in (project / "build" / "preview").iterdir() if p.is_dir() and p.name.startswith("site-")]
    assert not left, "\n".join(preview.lines[-12:])
    site = json.loads((project / "calculators" / "site.json").read_text(encoding="utf-8"))
    assert site.get("assumed") is True and f":{preview.port}/" not in site["url"], site
    # the preview wrote only into its own folder and the shared download cache: `make test` can run
    # in the same checkout meanwhile
    assert {p.name for p in (project / "build").iterdir()} == copied | {"preview", "wheel-cache"}
    assert not list(project.glob("*.egg-info"))


ADDED = """  - id: data-market
    key: data_market
    name: {zh: 数据市场, en: Data market}
    open: {"2026-11-26": false}
    description: {zh: 用于测试的市场。, en: A market added by a test.}
    conditions: [real-name-verified, licence-age-market, agreements]
    ref: {source: ksyun-doc-2677, section: 类目市场介绍}
    quote: 欢迎广大服务商进行入驻
"""
