"""Fetch each source page and report every quote of the policy that no longer stands on it.

    python -m scripts.policy.sourcecheck [--timeout 20]

Opt-in (`make sourcecheck`), where a network exists; not part of `make test`. For each page in
policy/sources.yaml it fetches the page, takes its visible text, and looks for every quote whose
fact cites that page (`ref.source`), verbatim except for line breaks. A quote not found means the
source changed (or moved): review the policy against the page, then update the source text kept in
policy/, the quotes and the figures. Exit 0 when every quote was found on its page, 1 otherwise.
A page that renders its text with JavaScript shows none of it to this check: every quote is then
reported, which also calls for a look by hand.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from scripts.policy.compile_policy import compiled
from scripts.policy.policy_load import POLICY_DIR
from scripts.policy.quotes import Quote, cited_quotes, missing_quotes

Fetch = Callable[[str], str]


class _Text(HTMLParser):
    """The text a reader sees on a page: no scripts, styles or markup; entities decoded."""

    HIDDEN = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in self.HIDDEN:
            self._hidden += 1
        elif tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def fetch(url: str, timeout: float) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": "policy-sourcecheck/1"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the policy's own URLs
        charset = response.headers.get_content_charset() or "utf-8"
        return response.read().decode(charset, errors="replace")


def _where(quote: Quote) -> str:
    text = ""
    for part in quote.where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def check(document: dict[str, Any], get: Fetch, out: Any = None) -> int:
    """Report page by page; returns the number of problems (quotes not found, pages not fetched)."""
    out = out or sys.stdout
    quotes = cited_quotes(document)
    problems = 0
    for source in document["sources"]:
        cited = [q for q in quotes if q.source == source["id"]]
        try:
            text = page_text(get(source["url"]))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            problems += 1
            reason = getattr(error, "reason", None) or error
            print(f"FAIL  {source['id']} {source['url']}: the page could not be fetched ({reason}); "
                  f"{len(cited)} quote(s) unchecked", file=out)
            continue
        missing = missing_quotes(cited, text)
        problems += len(missing)
        status = "ok   " if not missing else "CHANGED"
        print(f"{status} {source['id']} {source['url']}: {len(cited) - len(missing)} of {len(cited)} quote(s) found",
              file=out)
        for quote in missing:
            print(f"    not on the page: 「{quote.text}」 (policy: {_where(quote)})", file=out)
    if problems:
        print(f"{problems} problem(s): the source may have changed; review the policy against the pages above, "
              "then update policy/ (the source text, the quotes and the figures).", file=out)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.policy.sourcecheck", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=20, help="seconds to wait for each page (default 20)")
    parser.add_argument("--policy-dir", type=Path, default=POLICY_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    document = compiled(args.policy_dir)
    if document is None:
        return 2
    return 1 if check(document, lambda url: fetch(url, args.timeout)) else 0


if __name__ == "__main__":
    sys.exit(main())
