"""`make sourcecheck`, offline: pages made up here and served on 127.0.0.1 stand in for the sources."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .conftest import IN_PYODIDE

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="serves pages and runs the check in CPython")

if not IN_PYODIDE:
    from scripts.policy import sourcecheck
    from scripts.policy.policy_load import POLICY_DIR
    from scripts.policy.policy_source import compile_policy
    from scripts.policy.quotes import quotes_in

DROPPED = "具有 15 人以上的技术及客服团队"  # the words the made-up page no longer carries


class _Pages(BaseHTTPRequestHandler):
    pages: dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802 - the handler's name
        body = self.pages.get(self.path.split("#")[0])
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write((body or "<h1>Not found</h1>").encode("utf-8"))

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """The made-up pages on a free port of 127.0.0.1; the URL without a final /."""
    from scripts.dev.static_server import in_background

    with in_background(ThreadingHTTPServer(("127.0.0.1", 0), _Pages)) as url:
        yield url.removesuffix("/")


def _page(passages: list[str]) -> str:
    """A page as a site would publish it: markup, entities, a script, lines wrapped anywhere."""
    body = "".join(f"<p>{html.escape(p[:7])}\n  {html.escape(p[7:])}</p>\n" for p in passages)
    return f"<html><head><script>var x = '{DROPPED}';</script></head><body><main>{body}</main></body></html>"


def _policy_at(tmp_path: Path, base: str) -> Path:
    """A copy of policy/ whose source pages live on the local server (one path per source id)."""
    copy = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, copy)
    sources = copy / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    for source in compile_policy()["sources"]:
        text = text.replace(f"url: {source['url']}", f"url: {base}/{source['id']}")
    sources.write_text(text, encoding="utf-8")
    return copy


def _serve_quotes(drop: str | None = None, missing_page: str | None = None) -> None:
    by_page: dict[str, list[str]] = {}
    for quote in quotes_in(compile_policy()):
        if quote.text != drop:
            by_page.setdefault(quote.source, []).append(quote.text)
    _Pages.pages = {f"/{sid}": _page(texts) for sid, texts in by_page.items() if sid != missing_page}
    _Pages.pages.setdefault("/ksyun-console-apply", "<html><body><div id=app></div></body></html>")


def test_every_quote_found_on_its_page_passes(server: str, tmp_path: Path, capsys: Any) -> None:
    _serve_quotes()
    assert sourcecheck.main(["--policy-dir", str(_policy_at(tmp_path, server)), "--timeout", "5"]) == 0
    out = capsys.readouterr().out
    assert "CHANGED" not in out and "FAIL" not in out
    assert re.search(r"ok +ksyun-doc-2677 .*: (\d+) of \1 quote\(s\) found", out), out


def test_a_quote_gone_from_its_page_is_reported_naming_page_and_quote(server: str, tmp_path: Path,
                                                                      capsys: Any) -> None:
    _serve_quotes(drop=DROPPED)
    assert sourcecheck.main(["--policy-dir", str(_policy_at(tmp_path, server)), "--timeout", "5"]) == 1
    out = capsys.readouterr().out
    changed = [line for line in out.splitlines() if line.startswith("CHANGED")]
    assert len(changed) == 1 and "ksyun-doc-2677" in changed[0] and f"{server}/ksyun-doc-2677" in changed[0], out
    assert f"not on the page: 「{DROPPED}」 (policy: criteria.conditions[4].quote)" in out
    assert re.search(r"ok +ksyun-doc-6897 ", out), "the other pages still pass"


def test_a_page_that_cannot_be_fetched_fails_the_check(server: str, tmp_path: Path, capsys: Any) -> None:
    _serve_quotes(missing_page="ksyun-doc-28115")
    assert sourcecheck.main(["--policy-dir", str(_policy_at(tmp_path, server)), "--timeout", "5"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"FAIL +ksyun-doc-28115 .*could not be fetched.*1 quote\(s\) unchecked", out), out


def test_the_page_text_leaves_out_scripts_and_markup() -> None:
    text = sourcecheck.page_text(_page(["营业执照需要满 2 年。"]))
    assert DROPPED not in text and "<p>" not in text and "营业执照" in text
