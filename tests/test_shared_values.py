"""Values declared once, and the copies that cannot read the declaration, held equal by tests.

The widget's JavaScript and the docs' pages hold a few values the Python declares; where they cannot
read them from the page, a test holds their copy equal."""

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


def test_each_calculator_has_its_page_with_its_form_and_its_readings() -> None:
    """The calculators are named once (calculators.api.CALCULATORS); the page of each (scripts/pages/examples.PAGES)
    includes the form and the readings generated under that name, in both languages."""
    from calculators.api import CALCULATORS
    from scripts.pages.examples import PAGES
    from scripts.pages.gen_forms import FORMS

    assert list(PAGES) == list(CALCULATORS)
    assert list(FORMS) == [f"form-{name}" for name in CALCULATORS]
    for name, page in PAGES.items():
        for lang, suffix in (("zh", ".md"), ("en", ".en.md")):
            text = (ROOT / "docs" / f"{page}{suffix}").read_text(encoding="utf-8")
            for fragment in (f"form-{name}", f"readings-{name}"):
                assert f'--8<-- "{lang}/{fragment}.md"' in text, (page + suffix, fragment)
