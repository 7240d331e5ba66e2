"""The site on real hosts: Debian's nginx (gzip_static, and brotli_static) and Caddy, configured with
what the build writes (build/host/nginx.conf, build/host/Caddyfile), at the host's root and under a
sub-path. Headers, types, caching and the 404 page as a browser meets them (scripts/dev/hosts.py)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import IN_PYODIDE

pytestmark = [pytest.mark.site, pytest.mark.skipif(IN_PYODIDE, reason="runs web servers from CPython")]

if not IN_PYODIDE:
    from scripts.assets.host_config import HEADERS, IMMUTABLE_CACHE
    from scripts.dev import hosts

HOSTS = ["nginx-gzip", "nginx-brotli", "caddy"]
BASES = ["/", "/guide/"]


@pytest.fixture(scope="module")
def site() -> Path:
    from .built_site import built_site

    problem = hosts.missing()
    if problem:
        pytest.fail(problem, pytrace=False)
    return built_site()


@pytest.fixture(scope="module", params=[(h, b) for h in HOSTS for b in BASES], ids=lambda p: f"{p[0]} at {p[1]}")
def host(request: pytest.FixtureRequest, site: Path) -> Iterator[Any]:
    name, base = request.param
    if name == "caddy":
        server = hosts.caddy(site, base)
    else:
        server = hosts.nginx(site, base, brotli=name == "nginx-brotli")
    with server as running:
        running.encodings = ["br", "gzip"] if name != "nginx-gzip" else ["gzip"]
        yield running


def fetch(url: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _runtime(site: Path) -> list[str]:
    files = [p.relative_to(site).as_posix() for p in sorted(site.glob("pyodide/*/*"))
             if p.suffix in (".wasm", ".mjs", ".zip")]
    files += [p.relative_to(site).as_posix() for p in sorted(site.glob("wheels/*/*.whl"))]
    assert any(f.endswith(".wasm") for f in files) and any(f.endswith(".whl") for f in files)
    return files


def test_the_runtime_is_typed_compressed_with_vary_and_cached_for_good(host: Any, site: Path) -> None:
    for path in _runtime(site):
        status, headers, body = fetch(host.url + path, **{"Accept-Encoding": ", ".join(host.encodings)})
        assert status == 200, path
        assert headers["cache-control"] == IMMUTABLE_CACHE, path
        for name, value in HEADERS.items():
            assert headers[name.lower()] == value, (path, name)
        if path.endswith(".wasm"):
            assert headers["content-type"] == "application/wasm"
        if path.endswith(".mjs"):
            assert headers["content-type"].split(";")[0] == "text/javascript", path
        if Path(site / f"{path}.br").exists():
            assert headers.get("content-encoding") == host.encodings[0], path
            assert "accept-encoding" in headers.get("vary", "").lower(), path
            assert len(body) == (site / f"{path}.{'br' if host.encodings[0] == 'br' else 'gz'}").stat().st_size


def test_pages_and_scripts_are_revalidated_and_compressed_with_vary(host: Any, site: Path) -> None:
    for path in ("", "en/fees/", "assets/js/calc/main.mjs", "assets/js/calc-worker.mjs", "data/policy.json"):
        status, headers, _ = fetch(host.url + path, **{"Accept-Encoding": ", ".join(host.encodings)})
        assert status == 200, path
        assert headers["cache-control"] == "no-cache", path
        assert headers["content-security-policy"] == HEADERS["Content-Security-Policy"], path
        assert headers.get("content-encoding") == host.encodings[0], path
        assert "accept-encoding" in headers.get("vary", "").lower(), path
        if path.endswith(".mjs"):
            assert headers["content-type"].split(";")[0] == "text/javascript", path
    # a client that accepts no encoding gets the file itself
    status, headers, body = fetch(host.url + "assets/js/calc/main.mjs")
    assert status == 200 and "content-encoding" not in headers
    assert body == (site / "assets/js/calc/main.mjs").read_bytes()


def test_a_missing_page_at_any_depth_gets_the_sites_404_page_in_its_language(host: Any, site: Path) -> None:
    for path, page in (("nothing-here", "404.html"), ("a/b/c/nothing/", "404.html"), ("en/nothing.html", "en/404.html"),
                       ("en/a/b/c/nothing/", "en/404.html"), ("pyodide/nothing.wasm", "404.html")):
        status, headers, body = fetch(host.url + path)
        assert status == 404, path
        assert body == (site / page).read_bytes(), path
        assert headers["content-type"].split(";")[0] == "text/html", path
        assert headers["content-security-policy"] == HEADERS["Content-Security-Policy"], path
    assert_404_pages_work_from_any_depth(site)


def assert_404_pages_work_from_any_depth(site: Path) -> None:
    """Each language's 404 page speaks it, its links and search work from any depth (absolute from the
    site's path; the English search base is the English root, not "//en/", a host named "en"), and
    its language menu leads to each language's home, not to some page of the site."""
    from calculators.messages import word

    for page, lang, base in (("404.html", "zh", "/"), ("en/404.html", "en", "/en/")):
        text = (site / page).read_text(encoding="utf-8")
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', text, re.S)[1])
        assert config["base"] == base, page
        assert "//en/" not in text
        assert f'<html lang="{lang}"' in text and f"<h1>{word('not_found_title', lang)}</h1>" in text, page
        assert f'<a href="{base}">{word("not_found_home", lang)}</a>' in text, page
        assert re.findall(r'href="([^"]*)" hreflang="(\w+)"', text) == [("/", "zh"), ("/en/", "en")], page


def test_nginx_reads_the_snippet_without_a_warning(site: Path) -> None:
    # hosts.nginx runs `nginx -t` and refuses any [warn] (a duplicate type such as "wasm" would be one)
    with hosts.nginx(site, "/guide/") as running:
        status, headers, _ = fetch(running.url[:-1])  # /guide without its slash leads to /guide/
        assert status == 200 and headers["cache-control"] == "no-cache"


def _answer(url: str, **headers: str) -> dict[str, Any]:
    status, got, body = fetch(url, **headers)
    if status == 416:  # the error page's words are each server's own
        body, got = b"", {name: value for name, value in got.items() if name != "content-type"}
    return {"status": status, "body": body, **{name: got.get(name) for name in
            ("content-encoding", "content-range", "etag", "content-type", "cache-control")},
            "vary": "accept-encoding" in got.get("vary", "").lower()}


def test_the_projects_server_answers_as_nginx_does(site: Path, site_url: str) -> None:
    """`make serve-static` and the tests' server (scripts/dev/static_server.py) answer ranges, conditional requests
    and encodings as nginx with brotli_static does: the same status, encoding, range, ETag and body."""
    wasm = next(p for p in _runtime(site) if p.endswith(".wasm"))
    with hosts.nginx(site, "/") as real:
        for path in (wasm, "assets/js/calc/main.mjs", "", "en/fees/"):
            etags = {}
            for name, headers in (("plain", {}), ("br", {"Accept-Encoding": "gzip, br"}),
                                  ("gzip", {"Accept-Encoding": "gzip"})):
                ours, theirs = _answer(site_url + path, **headers), _answer(real.url + path, **headers)
                if path == "":  # nginx gives the folder's index.html the type text/html without a charset
                    ours["content-type"] = theirs["content-type"]
                assert ours == theirs, (path, name)
                etags[name] = theirs["etag"]
                for extra in ({"Range": "bytes=0-3"}, {"Range": "bytes=-5"}, {"Range": "bytes=99999999-"},
                              {"If-None-Match": theirs["etag"]}, {"If-None-Match": '"other"'},
                              {"Range": "bytes=0-3", "If-Range": theirs["etag"]},
                              {"Range": "bytes=0-3", "If-Range": '"other"'}):
                    both = {**headers, **extra}
                    ours, theirs = _answer(site_url + path, **both), _answer(real.url + path, **both)
                    if path == "":
                        ours["content-type"] = theirs["content-type"]
                    assert ours == theirs, (path, name, extra)
            assert len(set(etags.values())) == 3, path  # each encoding is its own representation
        # a missing page: the 404 page of its language, as the snippet makes nginx send it
        for path in ("nothing-here", "en/a/b/missing/"):
            ours, theirs = fetch(site_url + path), fetch(real.url + path)
            assert (ours[0], ours[2]) == (theirs[0], theirs[2]) and ours[0] == 404, path
            assert ours[1]["content-type"].split(";")[0] == theirs[1]["content-type"].split(";")[0] == "text/html"
