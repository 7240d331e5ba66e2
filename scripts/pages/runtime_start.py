"""What a calculator page's head names so that its runtime can start before the page has loaded.

The build (hooks/build.py) reads, from a page's rendered content, the runtime files its widgets name
(data-runtime, data-stdlib and data-wheels, written by scripts/pages/gen_forms.py), and the theme
(overrides/main.html) puts them on the <script> that loads docs/assets/js/calc/head.mjs. The page's
widgets then take over the worker that script started (docs/assets/js/calc/early.mjs).
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Widgets(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if "data-calculator" in named:
            self.found.append(named)


def runtime_files(html: str) -> dict[str, str] | None:
    """The runtime and standard library of the page's first widget and every wheel any widget needs,
    once (space-separated, site-relative, as the widgets name them); None for a page without one."""
    parser = _Widgets()
    parser.feed(html)
    parser.close()
    if not parser.found:
        return None
    first = parser.found[0]
    wheels = dict.fromkeys(wheel for widget in parser.found for wheel in widget.get("data-wheels", "").split())
    return {"runtime": first.get("data-runtime", ""), "stdlib": first.get("data-stdlib", ""),
            "wheels": " ".join(wheels)}
