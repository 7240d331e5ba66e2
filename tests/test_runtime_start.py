"""The runtime files a calculator page's head names are its widgets' own (scripts/pages/runtime_start.py)."""

from __future__ import annotations

import pytest

from .conftest import IN_PYODIDE

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="reads the build's scripts")

if not IN_PYODIDE:
    from scripts.pages.runtime_start import runtime_files


def widget(name: str, wheels: str, runtime: str = "pyodide/1/", stdlib: str = "pyodide/1/std.zip") -> str:
    return (f'<div class="calculator" data-calculator="{name}" data-runtime="{runtime}" data-stdlib="{stdlib}" '
            f'data-wheels="{wheels}"><p>…</p></div>')


def test_a_page_without_a_widget_names_nothing() -> None:
    assert runtime_files("<p>data-calculator=\"x\" in text is not a widget</p>") is None


def test_the_first_widgets_runtime_and_every_wheel_once_in_order() -> None:
    html = widget("eligibility", "w/a.whl") + widget("review", "w/a.whl  w/b.whl w/c.whl", runtime="pyodide/2/")
    assert runtime_files(html) == {"runtime": "pyodide/1/", "stdlib": "pyodide/1/std.zip",
                                   "wheels": "w/a.whl w/b.whl w/c.whl"}


def test_the_built_pages_heads_name_their_widgets_files() -> None:
    from .built_site import built_site

    site = built_site()
    for page in ("self-check", "en/fee-calculator", "review-time"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        files = runtime_files(html)
        assert files is not None, page
        head = html.split("</head>", 1)[0]
        assert f'data-calc-wheels="{files["wheels"]}"' in head, page
        assert f'data-calc-runtime="{files["runtime"]}"' in head, page
    assert "data-calc-runtime" not in (site / "conditions" / "index.html").read_text(encoding="utf-8")
