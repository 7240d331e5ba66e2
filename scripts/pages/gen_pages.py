"""Generate the policy fragments that the hand-written pages include, in Chinese and English.

    python -m scripts.pages.gen_pages

Writes build/snippets/{zh,en}/*.md from the compiled policy; pages include them with
`--8<-- "zh/NAME.md"` (pymdownx.snippets, check_paths: a missing fragment fails the build).
Every condition, market and fact gets an anchor equal to its id.

FRAGMENTS names each fragment and what makes it: the policy pages' fragments (fragments.py), the fees
page's worked example and each calculator page's readings (here), the examples' runs (example_runs.py)
and the forms (gen_forms.py); beside them, the {{ name }} words of each language (page_words.py).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from calculators import calculate_fees
from calculators.api import CALCULATORS
from calculators.contract import named_by
from calculators.display import display
from calculators.messages import capital, colon, joined, parenthesised, word
from scripts.pages.example_runs import example_outputs
from scripts.pages.examples import FEES_ONBOARDED_ON, example_orders
from scripts.pages.fidelity import md_escape, status_block
from scripts.pages.fragments import (
    assumptions,
    calendar,
    changelog,
    conditions_market,
    conditions_provider,
    fees_deposit,
    fees_invoicing,
    fees_mode,
    fees_platform,
    fees_waiver,
    fields_table,
    key_figures,
    markets,
    markets_overview,
    matrix,
    meta,
    process,
    provider_list,
    sources,
)
from scripts.pages.gen_forms import FORMS
from scripts.pages.page_md import anchor_heading
from scripts.pages.page_site import LANGS, Site
from scripts.pages.page_text import text
from scripts.pages.page_words import WORDS_FILE, page_words
from scripts.paths import BUILD, write_if_changed
from scripts.policy.policy_source import compile_policy

SNIPPETS = BUILD / "snippets"


def _example_orders() -> tuple[str | None, list[dict[str, str]]]:
    return FEES_ONBOARDED_ON, example_orders()


def fees_example(site: Site, lang: str) -> str:
    """The example orders' fee table as the calculator shows it: its display model's table
    (calculators/display.py), its headings, rows and totals, as Markdown."""
    onboarded_on, orders = _example_orders()
    result = calculate_fees({"onboarded_on": onboarded_on, "orders": orders}, lang=lang, policy=site.policy,
                            today=site.today)
    table = next(block for block in display("fees", result, lang)["blocks"] if block["kind"] == "table")
    first, *totals = table["totals"]
    lines = [word("fees_example_intro", lang, onboarded_on=onboarded_on), "",
             "| " + " | ".join(text(capital(heading)) for heading in table["headings"]) + " |",
             "|---|---|" + "---:|" * (len(table["headings"]) - 2)]
    lines += ["| " + " | ".join(text(cell) for cell in row) + " |" for row in table["rows"]]
    lines.append(f"| **{text(first)}** | " + " | ".join(text(cell) for cell in totals) + " |")
    # in a block of its own (docs/assets/css/site.css): compact cells that keep a date on one line
    table_md = "\n".join(lines[2:])
    return (f"{lines[0]}\n\n<div class=\"fee-example\" markdown>\n\n{table_md}\n\n</div>\n\n"
            + net_of_fee_note(lang))


def net_of_fee_note(lang: str) -> str:
    """What the last column is and is not: the source states no flow of money."""
    return word("net_of_fee_note", lang) + "\n"


def affected_name(site: Site, name: str, lang: str) -> str:
    """An input field or result as the calculator page names it: an eligibility field by its label in
    the policy, any other by the word calculators/contract.py declares for it."""
    fields = {f["name"]: f for f in site.policy.fields}
    shown = fields[name]["label"][lang] if name in fields else word(named_by(name), lang)
    return parenthesised(md_escape(shown), f"`{name}`", lang)


def readings_for(calculator: str) -> Callable[[Site, str], str]:
    """The fragment under a calculator: every reading and assumption that changes its answer, open,
    each naming the fields and results it affects and linking to the assumptions page."""
    def fragment(site: Site, lang: str) -> str:
        out = [anchor_heading(2, word("readings", lang), "readings"), word("readings_intro", lang), ""]
        for assumption in site.doc["assumptions"]:
            names = assumption.get("affects", {}).get(calculator)
            if not names:
                continue
            listed = joined([affected_name(site, n, lang) for n in names], lang)
            block = status_block(assumption, lang)
            out.append(block.rstrip("\n") + f"\n\n    **{word('affects', lang)}**{colon(lang)}{listed}\n")
        return "\n".join(out)
    return fragment


FRAGMENTS: dict[str, Callable[[Site, str], str]] = {
    "meta": meta, "key-figures": key_figures, "markets-overview": markets_overview,
    "provider-list": provider_list, "conditions-provider": conditions_provider,
    "conditions-market": conditions_market, "markets": markets, "matrix": matrix, "process": process,
    "fees-mode": fees_mode, "fees-deposit": fees_deposit, "fees-platform": fees_platform,
    "fees-invoicing": fees_invoicing, "fees-waiver": fees_waiver, "fees-example": fees_example,
    "assumptions": assumptions, "changelog": changelog, "sources": sources, "fields": fields_table,
    **{f"readings-{name}": readings_for(name) for name in CALCULATORS},
    "calendar": lambda site, lang: calendar(site, lang, 2),
}


def generate(document: dict[str, Any] | None = None, out: Path = SNIPPETS, today: dt.date | None = None,
             assets: dict[str, Any] | None = None) -> list[Path]:
    """Write every fragment in both languages; returns the files written.

    `assets` names the runtime and wheel URLs the calculator forms load (see site_assets).
    """
    assets = assets or {"runtime": "pyodide/", "wheels": []}
    document = document or compile_policy()
    site = Site(document, today or dt.date.today())
    written = []
    for lang in LANGS:
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        fragments = {name: make(site, lang) for name, make in FRAGMENTS.items()}
        fragments.update(example_outputs(site, lang))
        form_assets = {**assets, "version": site.policy.version}  # printed with a result
        fragments.update({name: make_form(site.policy, lang, form_assets) for name, make_form in FORMS.items()})
        for name, body in fragments.items():
            path = folder / f"{name}.md"
            write_if_changed(path, body)
            written.append(path)
        words = folder / WORDS_FILE
        write_if_changed(words, json.dumps(page_words(site, lang), ensure_ascii=False, indent=1))
        written.append(words)
    return written


def main() -> int:
    written = generate()
    print(f"{len(written)} fragments in {SNIPPETS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
