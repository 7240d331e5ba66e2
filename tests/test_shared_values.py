"""Values that the Python and the widget's JavaScript both hold, each declared once in Python: where
the JavaScript cannot read it from the page, a test holds its copy equal."""

from __future__ import annotations

import re

from calculators.periods import ISO_DATE
from scripts.paths import ROOT

from .conftest import cpython_only

pytestmark = cpython_only

DOM = ROOT / "docs" / "assets" / "js" / "calc" / "dom.mjs"


def test_the_widgets_date_pattern_is_the_calculators_one() -> None:
    """dom.mjs keeps each date of running text on one line: the dates it finds are the calculators' plain
    dates (a static module, not generated: its regular expression is compared, `\\d` being [0-9] in JavaScript
    without the u flag)."""
    declared = re.search(r"^const DATE = /(?P<source>.+)/(?P<flags>[a-z]*);$", DOM.read_text(encoding="utf-8"), re.M)
    assert declared, f"{DOM.name}: no `const DATE = /…/g;`"
    assert "u" not in declared["flags"] and "v" not in declared["flags"]
    assert declared["source"].replace(r"\d", "[0-9]") == ISO_DATE.pattern
