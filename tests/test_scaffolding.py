"""The tests' own scaffolding: a missing Playwright or Chromium fails the browser tests (saying how to
install it) instead of skipping them; the one static server serves the site's headers and stops."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scripts.paths import ROOT

from .conftest import IN_PYODIDE

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="runs pytest and a server from CPython")

BROWSER_TEST = ("tests/test_browser_navigation.py::"
                "test_opened_as_a_file_the_site_says_how_to_serve_it_and_its_links_work[en]")


@pytest.mark.parametrize(("break_it", "says"), [
    pytest.param("sys.modules['playwright.sync_api'] = None", "Playwright for Python is not installed",
                 id="without Playwright"),
    pytest.param("scripts.dev.browser.CHROMIUM = pathlib.Path('/nonexistent/chromium')",
                 "/nonexistent/chromium is missing",
                 id="without Chromium"),
])
def test_a_browser_test_fails_and_says_how_to_install_what_is_missing(break_it: str, says: str) -> None:
    program = (f"import pathlib, sys, pytest, scripts.dev.browser; {break_it}; "
               f"sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', {BROWSER_TEST!r}]))")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr  # 1: tests failed (a skip would exit 0)
    assert says in result.stdout and "`make test` installs it" in result.stdout, result.stdout
    assert "1 error" in result.stdout and "skipped" not in result.stdout, result.stdout


def test_the_static_server_sends_the_sites_headers_and_stops_after_the_block(tmp_path: Path) -> None:
    from scripts.assets.host_config import CSP
    from scripts.dev.static_server import serving

    (tmp_path / "index.html").write_text("<p>served</p>", encoding="utf-8")
    with serving(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.read() == b"<p>served</p>"
            assert response.headers["Content-Security-Policy"] == CSP
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


def test_make_test_builds_into_a_folder_of_its_own_and_leaves_site_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A publish build (`SITE_URL=... make site`, into site/) survives `make test`: every site build
    `make test` runs, and the tests' own, goes to build/test-site/."""
    from .built_site import SITE, build

    commands = subprocess.run(["make", "-n", "test"], capture_output=True, text=True, cwd=ROOT, timeout=60).stdout
    builds = [line for line in commands.splitlines() if "mkdocs build" in line or "scripts.site_build" in line]
    assert builds and all("-d build/test-site" in line for line in builds), builds
    assert SITE == ROOT / "build" / "test-site"
    import scripts.site_build

    asked = []
    monkeypatch.setattr(scripts.site_build, "strict_build", lambda project, site_dir: asked.append(site_dir))
    build()
    assert asked == [SITE]  # the tests' build of the project itself


@pytest.mark.skipif(IN_PYODIDE, reason="reads the checkout's sources")
def test_the_checkout_is_found_in_one_place() -> None:
    """ROOT is scripts/paths.py's; every other module of scripts/, tests/ and hooks/ imports it (the
    hook, which MkDocs loads by path, only puts the checkout on sys.path to import scripts/)."""
    found = re.compile(r"Path\(__file__\)(?:\.resolve\(\))?\.(?:parent\.parent|parents\[1\])")
    defined = sorted(str(path.relative_to(ROOT)) for folder in ("scripts", "tests", "hooks")
                     for path in (ROOT / folder).rglob("*.py") if found.search(path.read_text(encoding="utf-8")))
    assert defined == ["hooks/build.py", "scripts/paths.py"]
    assert not [path for path in (ROOT / "tests").rglob("*.py") if re.search(r"^ROOT\s*=", path.read_text(
        encoding="utf-8"), re.M)]
