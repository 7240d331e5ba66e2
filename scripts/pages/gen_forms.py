"""The calculators' form markup, generated from the declared fields (the policy's, calculators/contract.py's), in zh and en.

Form controls carry `name` equal to the JSON field (the widget contract); the widget script wires
them up. Without JavaScript, or where the runtime cannot load, the page shows the CLI instead.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from calculators import Policy
from calculators.cli import COMMANDS
from calculators.contract import CONTRACTS, Field
from calculators.inputs import DATE_MAX, DATE_MIN
from calculators.kinds import FIELD_TYPES
from calculators.messages import capital, catalogue, colon, joined, labelled, parenthesised, section, word

__all__ = ["FORMS"]

# The widget script's words: the catalogue's [widget] section (an entry's singular form as
# `<key>_one`, where it has one), the list separator, and a label with its value ("{label}：{value}")
# in the language's punctuation. A result's own words come with it, in its display model
# (calculators.display).


def messages(calculator: str, lang: str) -> str:
    """The widget script's words in `lang`, and the command that runs the calculator, as JSON for a
    data attribute."""
    words = {}
    for key in section("widget"):
        words[key] = word(key, lang)
        if f"{lang}_one" in catalogue()[key]:  # for a count of 1
            words[f"{key}_one"] = catalogue()[key][f"{lang}_one"]
    words.update(enum_sep=word("list_separator", lang), label_value="{label}" + colon(lang) + "{value}",
                 cli=COMMANDS[calculator])
    return json.dumps(words, ensure_ascii=False)


def t(key: str, lang: str) -> str:
    return escape(word(key, lang))


def tc(key: str, lang: str) -> str:
    """A catalogue word as a label: capitalised, escaped."""
    return escape(capital(word(key, lang)))


def reading_note(policy: Policy, calculator: str, name: str, lang: str) -> str:
    """Under a field: links to each reading or assumption that changes the answer through it."""
    links = []
    for assumption in policy.data["assumptions"]:
        if name in assumption.get("affects", {}).get(calculator, []):
            title = labelled(assumption["kind"], lang, assumption["title"][lang])
            links.append(f'<a href="../assumptions/#{escape(assumption["id"])}">{escape(title)}</a>')
    if not links:
        return ""
    return (f'<p class="calc-hint calc-reading">{t("rests_on_note", lang)}{escape(colon(lang))}'
            + joined(links, lang, "semicolon") + "</p>")


def _control(calculator: str, name: str, kind: str, label: str, lang: str, required: bool, note: str = "",
             item_required: bool = False) -> str:
    ident = f"{calculator}-{name}"
    attrs = f'id="{ident}" name="{name}" data-type="{kind}" aria-describedby="{ident}-error"'
    if required:
        attrs += ' aria-required="true"'
    if item_required:  # required within the form's one list item (data-list), unless a file gives the items
        attrs += ' data-required="true"'
    control_kind = FIELD_TYPES[kind].control
    if control_kind == "yes_no":
        blank = t("choose", lang) if required else tc("not_answered", lang)
        control = (f'<select {attrs}><option value="">{blank}</option>'
                   f'<option value="true">{t("yes", lang)}</option><option value="false">{t("no", lang)}</option></select>')
    elif control_kind == "date":
        control = f'<input type="date" {attrs} min="{DATE_MIN.isoformat()}" max="{DATE_MAX.isoformat()}">'
    elif control_kind in ("numeric", "decimal"):
        # text, not type=number: whatever is typed stays visible and reaches the calculator's check
        control = f'<input type="text" inputmode="{control_kind}" autocomplete="off" {attrs}>'
    else:
        control = f'<input type="text" autocomplete="off" {attrs}>'
    return (f'<div class="calc-field"><label for="{ident}">{escape(label)}</label>{control}'
            f'<p class="calc-field-error" id="{ident}-error" hidden></p>{note}</div>')


def _shell(calculator: str, lang: str, body: str, assets: dict[str, Any]) -> str:
    wheels = " ".join(wheel["url"] for wheel in assets["wheels"]
                      if wheel.get("needed_by") is None or calculator in wheel["needed_by"])
    return f"""<div class="calculator" data-calculator="{calculator}" data-lang="{lang}" data-state="loading" data-runtime="{escape(assets["runtime"])}" data-stdlib="{escape(assets.get("stdlib", ""))}" data-wheels="{escape(wheels)}" data-policy-version="{escape(assets.get("version", ""))}" data-messages="{escape(messages(calculator, lang))}">
<div class="calc-status" role="status"><span class="calc-status-text">{t("loading", lang)}</span> <progress class="calc-progress"></progress></div>
<div class="calc-summary" tabindex="-1" role="alert" hidden></div>
<form class="calc-form" novalidate>
{body}
<div class="calc-actions"><button type="submit" class="md-button md-button--primary">{t("calculate", lang)}</button> <button type="button" class="md-button" data-action="copy-link">{t("copy_link", lang)}</button> <button type="button" class="md-button" data-action="print">{t("print", lang)}</button> <button type="reset" class="md-button">{t("reset", lang)}</button></div>
<div class="calc-action-status" role="status" aria-live="polite"></div>
</form>
<div class="calc-result" id="{calculator}-result" aria-live="polite" aria-atomic="false" tabindex="-1"></div>
<p class="calc-jump" role="status" aria-live="polite" hidden></p>
<noscript><p class="calc-noscript">{t("noscript", lang)}</p></noscript>
</div>
"""


def _label(field: dict[str, Any], lang: str) -> str:
    """The field's question, with its range where it has one."""
    low, high = field.get("minimum"), field.get("maximum")
    if low is not None and high is not None and high <= 100:  # a scale (days, hours), not a sanity bound
        return parenthesised(field["label"][lang], f"{low}–{high}", lang)
    return field["label"][lang]


def eligibility_form(policy: Policy, lang: str, assets: dict[str, Any]) -> str:
    groups = []
    for group in policy.data["criteria"]["groups"]:
        fields = [f for f in policy.fields if f["group"] == group["id"]]
        controls = [_control("eligibility", f["name"], f["type"], _label(f, lang), lang, f["required"],
                             reading_note(policy, "eligibility", f["name"], lang)) for f in fields]
        note = f'<p class="calc-note">{t("optional_note", lang)}</p>' if not any(f["required"] for f in fields) else ""
        groups.append(f'<fieldset id="{group["id"]}"><legend>{escape(group["label"][lang])}</legend>\n'
                      f'{note}{"".join(controls)}</fieldset>')
    for field in CONTRACTS["eligibility"].inputs:  # the day to evaluate
        groups.append(f'<fieldset><legend>{tc(field.group or field.name, lang)}</legend>\n'
                      f'{_declared_control(policy, "eligibility", field, lang)}</fieldset>')
    # which markets to show first: a display choice kept in the page's address (markets=…), not an
    # input of the calculator (no name attribute); unticked, the markets open on the day evaluated
    boxes = "".join(f'<label class="calc-check"><input type="checkbox" data-market="{escape(m["key"])}"> '
                    f'{escape(m["name"][lang])}</label>' for m in policy.markets)
    groups.insert(0, f'<fieldset class="calc-interest"><legend>{t("interest", lang)}</legend>\n'
                     f'<p class="calc-note">{t("interest_note", lang)}</p><div class="calc-checks">{boxes}</div></fieldset>')
    return _shell("eligibility", lang, "\n".join(groups), assets)


def _declared_control(policy: Policy, calculator: str, field: Field, lang: str, in_item: bool = False) -> str:
    """The control of a field calculators/contract.py declares. A field of the form's one list item
    (fees: the one order) is required within that item only, not when a CSV gives the items."""
    label = capital(word(field.label or field.name, lang))
    return _control(calculator, field.name, field.type, label, lang, field.required and not in_item,
                    reading_note(policy, calculator, field.name, lang), item_required=in_item and field.required)


def _upload(lang: str) -> str:
    """The picker of an orders file, beside the one order: the file gives many."""
    return (f'<div class="calc-field calc-drop"><label for="fees-csv">{t("csv", lang)}</label>'
            f'<input type="file" id="fees-csv" name="csv" accept=".csv,text/csv" aria-describedby="fees-csv-error fees-csv-hint">'
            f'<p class="calc-hint" id="fees-csv-hint">{t("csv_drop", lang)}</p>'
            f'<p class="calc-field-error" id="fees-csv-error" hidden></p></div>')


# The id of the form's one list item (fees: the one order), which the widget gives it in the input.
FORM_ITEM_ID = "1"


def _declared_form(calculator: str, policy: Policy, lang: str, assets: dict[str, Any]) -> str:
    """A form of the fields calculators/contract.py declares, a fieldset for each input field in
    order; a list field's fieldset holds the controls of its one item (data-list names the list,
    data-item-id the item's id) and the picker of a file of many."""
    fieldsets = []
    for field in CONTRACTS[calculator].inputs:
        legend = f'<legend>{tc(field.group or field.name, lang)}</legend>'
        if field.items:
            controls = "".join(_declared_control(policy, calculator, item, lang, in_item=True)
                               for item in field.items if item.label)
            fieldsets.append(f'<fieldset data-list="{field.name}" data-item-id="{FORM_ITEM_ID}">{legend}\n'
                             f'{controls}{_upload(lang)}</fieldset>')
        else:
            fieldsets.append(f'<fieldset>{legend}\n{_declared_control(policy, calculator, field, lang)}</fieldset>')
    return _shell(calculator, lang, "\n".join(fieldsets), assets)


def fees_form(policy: Policy, lang: str, assets: dict[str, Any]) -> str:
    return _declared_form("fees", policy, lang, assets)


def review_form(policy: Policy, lang: str, assets: dict[str, Any]) -> str:
    return _declared_form("review", policy, lang, assets)


FORMS = {"form-eligibility": eligibility_form, "form-fees": fees_form, "form-review": review_form}
