"""The site protects itself on any host: every page carries the CSP as a <meta> tag, and the host
configurations the build writes (site/_headers, build/host/nginx.conf, build/host/Caddyfile)
give exactly the headers and types that `make serve-static` sends."""

from __future__ import annotations

import re
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import IN_PYODIDE

pytestmark = [pytest.mark.site, pytest.mark.skipif(IN_PYODIDE, reason="reads the built site in CPython")]

if not IN_PYODIDE:
    from scripts.assets.host_config import CSP, NGINX_FILE, headers_file, host_dir, meta_csp, nginx_conf


@pytest.fixture(scope="module")
def site() -> Path:
    from .built_site import built_site

    return built_site()


def _paths(site: Path) -> list[str]:
    """A page, a script, and every file whose type or caching hosts get wrong."""
    picked = ["/", "/en/fees/", "/assets/js/calc-loader.js", "/data/policy.json"]
    for pattern in ("pyodide/*/*.wasm", "pyodide/*/*.mjs", "pyodide/*/*.zip", "wheels/*/*.whl", "assets/js/*.mjs",
                    "assets/js/calc/*.mjs"):
        picked += ["/" + path.relative_to(site).as_posix() for path in sorted(site.glob(pattern))]
    return picked


def _served_headers(base: str, path: str) -> dict[str, str]:
    url = base + path.removeprefix("/")
    with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=30) as response:
        return {name.lower(): value for name, value in response.headers.items()}


def _headers_rules(text: str, path: str) -> dict[str, str]:
    """The headers a Netlify/Cloudflare `_headers` file gives `path` (later rules add to earlier)."""
    result: dict[str, str] = {}
    rule = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            pattern = line.strip()
            rule = path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern
            continue
        if rule:
            name, value = line.strip().split(": ", 1)
            assert name.lower() not in result, f"{path}: {name} set twice (hosts would join the values)"
            result[name.lower()] = value
    return result


def test_the_headers_file_gives_what_serve_static_sends(site: Path, site_url: str) -> None:
    text = (site / "_headers").read_text(encoding="utf-8")
    assert text == headers_file(site)
    paths = _paths(site)
    assert any(p.endswith(".wasm") for p in paths) and any(p.endswith(".mjs") for p in paths)
    for path in paths:
        expected = _headers_rules(text, path)
        sent = _served_headers(site_url, path)
        for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
            assert expected[name] == sent[name], (path, name)
        if "cache-control" in expected:
            assert expected["cache-control"] == sent["cache-control"], path
        if path.endswith((".wasm", ".mjs")):
            assert expected["content-type"] == sent["content-type"], path


def _nginx_locations(text: str) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    locations: dict[str, dict[str, str]] = {}
    for match in re.finditer(r"location (?:\^~ )?(\S+) \{(.*?)\n\}", text, re.S):
        locations[match.group(1)] = {name.lower(): value for name, value in
                                     re.findall(r'add_header (\S+) "(.*?)" always;', match.group(2))}
    types_block = re.search(r"types \{(.*?)\}", text, re.S)
    assert types_block, "no types block"
    types = {ext: kind for kind, ext in re.findall(r"(\S+) (\S+);", types_block.group(1))}
    return locations, types


def test_the_nginx_snippet_gives_what_serve_static_sends(site: Path, site_url: str) -> None:
    text = (host_dir(site) / NGINX_FILE.name).read_text(encoding="utf-8")
    assert text == nginx_conf("/")  # the tests' build is for the default address, at the host's root
    locations, types = _nginx_locations(text)
    # nginx reads the snippet's types after its own mime.types (Debian's nginx, which `make test`
    # installs): together they must type every file, and name no extension twice (nginx warns)
    mime_types = Path("/etc/nginx/mime.types").read_text(encoding="utf-8").split("{", 1)[1]
    known = {ext: kind for entry in mime_types.split(";") if len(entry.split()) > 1
             for kind, *extensions in [entry.split()] for ext in extensions}
    assert not set(types) & set(known), "the snippet repeats a type of mime.types"
    types = {**known, **types}
    for path in _paths(site):
        prefix = max((p for p in locations if path.startswith(p)), key=len)  # ^~ prefixes win over /
        sent = _served_headers(site_url, path)
        for name, value in locations[prefix].items():
            assert sent[name] == value, (path, name)
        extension = path.rsplit(".", 1)[-1]
        if extension in ("wasm", "mjs"):
            assert types[extension] == sent["content-type"], path


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.metas: list[dict[str, str | None]] = []
        self.before_csp: list[str] = []
        self._seen_csp = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.metas.append(values)
            self._seen_csp = True
        elif not self._seen_csp and tag not in ("html", "head", "meta"):
            self.before_csp.append(tag)


def test_every_page_carries_the_csp_before_anything_it_governs(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        head = _Head()
        head.feed(page.read_text(encoding="utf-8"))
        assert [meta["content"] for meta in head.metas] == [meta_csp()], page
        assert head.before_csp == [], page


def test_the_meta_policy_is_the_header_policy_less_frame_ancestors() -> None:
    header = {part.strip() for part in CSP.split(";")}
    meta = {part.strip() for part in meta_csp().split(";")}
    assert header - meta == {"frame-ancestors 'none'"} and meta < header
