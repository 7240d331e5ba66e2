"""One result model: the CLI report and the widget render the same display model, worded by Python."""

from __future__ import annotations

import json
import re

import pytest

from calculators.api import batch_page, compute, compute_json, compute_paged, contract
from calculators.display import PAGE_SIZE, WHOLE_TABLE, display
from calculators.messages import capital, colon, word
from calculators.report import render_model, render_report
from scripts.paths import ROOT

from .conftest import cpython_only
from .test_eligibility import BASE

INPUTS = {
    "eligibility": {**BASE, "team_size": 3, "as_of": "2026-11-26"},
    "fees": {"onboarded_on": "2026-01-10", "deposit": "5000",
             "orders": [{"id": "A", "date": "2027-01-11", "amount": "1.15", "refunded": "0.05"},
                        {"id": "B", "date": "2026-03-01", "amount": "100"}]},
    "review": {"submitted_on": "2026-09-29"},
}


def _texts(model: dict) -> list[str]:
    """Every string of a model."""
    if isinstance(model, dict):
        return [t for v in model.values() for t in _texts(v)]
    if isinstance(model, list):
        return [t for v in model for t in _texts(v)]
    return [model] if isinstance(model, str) else []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(INPUTS))
def test_the_widget_gets_the_model_the_report_renders(name: str, lang: str) -> None:
    answer = json.loads(compute_json(name, json.dumps(INPUTS[name]), lang))
    result = compute(name, INPUTS[name], lang)
    assert answer["ok"] and answer["result"] == result and json.loads(answer["json"]) == contract(result)
    assert answer["display"] == display(name, result, lang)
    assert json.loads(compute_paged(name, json.dumps(INPUTS[name]), lang))["display"] == display(name, result, lang)
    report = render_report(name, result, lang)
    # the report is the model as text; with clause links from a build without SITE_URL, one more
    # line names the address they assume (the page makes its links from where it is served instead)
    from calculators.links import site_url, site_url_assumed
    from calculators.messages import word

    model = display(name, result, lang)
    linked = any(block["kind"] == "section" and block["criteria"] for block in model["blocks"])
    assumed = "\n" + word("links_assume", lang, url=site_url()) + "\n" if linked and site_url_assumed() else ""
    assert report == render_model(model, lang) + assumed
    assert (name == "eligibility") is linked
    assert report.startswith(answer["display"]["title"] + "\n")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fee_table_has_one_heading_per_cell_and_rows_worded_in_python(lang: str) -> None:
    model = display("fees", compute("fees", INPUTS["fees"], lang), lang)
    table = next(b for b in model["blocks"] if b["kind"] == "table")
    assert len(table["headings"]) == 9 and all(len(row) == 9 for row in [*table["rows"], table["totals"]])
    assert table["rows"][1][7] == word("waived", lang) + " 10.00" and table["paged"] is None
    assert table["rows"][0][5] == "10%"


def test_a_long_fee_table_comes_a_page_at_a_time_in_the_page_and_whole_in_the_report() -> None:
    orders = [{"id": f"o{i}", "date": "2026-12-01", "amount": "10"} for i in range(WHOLE_TABLE + 1)]
    answer = json.loads(compute_paged("fees", json.dumps({"orders": orders}), "en"))
    table = next(b for b in answer["display"]["blocks"] if b["kind"] == "table")
    assert table["paged"] == {"total": WHOLE_TABLE + 1, "size": PAGE_SIZE} and len(table["rows"]) == PAGE_SIZE
    # a further page, worded as the first
    page = json.loads(batch_page(PAGE_SIZE, PAGE_SIZE))
    assert page[0][0] == f"o{PAGE_SIZE}" and len(page) == PAGE_SIZE and page[0][1:] == table["rows"][0][1:]
    result = compute("fees", {"orders": orders}, "en")
    assert len(render_report("fees", result, "en").splitlines()) > WHOLE_TABLE


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_general_conditions_are_stated_once_and_each_criterion_links_its_clause(lang: str) -> None:
    result = compute("eligibility", INPUTS["eligibility"], lang)
    sections = [b for b in display("eligibility", result, lang)["blocks"] if b["kind"] == "section"]
    assert [s["key"] for s in sections] == ["provider", "markets_common", *result["categories"]]
    provider, common, markets = sections[0], sections[1], sections[2:]
    assert [c["id"] for c in provider["criteria"]] == [c["id"] for c in result["provider"]["criteria"]]
    # the licence age every market asks (2 years) is stated once, between the provider and the markets
    assert [c["id"] for c in common["criteria"]] == ["licence-age-market"] and not common["market"]
    general = {c["id"] for c in result["provider"]["criteria"]} | {"licence-age-market"}
    for market in markets:
        assert not general & {c["id"] for c in market["criteria"]} and market["market"]
        assert all(not c["met"] and c["mark"] == "✗" for c in market["criteria"])
        assert market["notes"]  # the unmet team size applies here too
    sources = {c["id"]: c["source"] for c in result["provider"]["criteria"]}
    assert all(c["link"]["href"] == sources[c["id"]] for c in provider["criteria"])


@pytest.mark.parametrize("name", list(INPUTS))
def test_english_models_hold_no_chinese_and_chinese_ones_no_ascii_colon_after_chinese(name: str) -> None:
    english = "".join(_texts(display(name, compute(name, INPUTS[name], "en"), "en")))
    assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", english)
    chinese = "".join(_texts(display(name, compute(name, INPUTS[name], "zh"), "zh")))
    assert not re.search(r"[\u4e00-\u9fff][:;]", chinese)


@cpython_only
def test_the_widget_scripts_hold_no_words_and_no_choice_by_language() -> None:
    js = ROOT / "docs" / "assets" / "js"
    # the widget's modules, its worker's (calc/worker/) and the worker itself
    files = [*(js / "calc").rglob("*.mjs"), js / "calc-worker.mjs", js / "calc-loader.js", js / "search-rank.js"]
    scripts = {p.relative_to(js).as_posix(): p.read_text(encoding="utf-8") for p in files}
    modules = ("main.mjs", "runtime.mjs", "state.mjs", "render.mjs", "widget.mjs", "protocol.mjs",
               "worker/host-checks.mjs", "worker/snapshot.mjs")
    assert {f"calc/{name}" for name in modules} | {"calc-worker.mjs"} <= set(scripts)
    for name, text in scripts.items():
        code = re.sub(r"(^|\s)//.*$", "", text, flags=re.M)  # comments may quote what users type
        assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", code), name
        assert '"zh"' not in code.replace('root.dataset.lang || "zh"', "") and "split(\" | \")" not in code, name
        assert text.startswith("// "), f"{name} opens with a line saying what it is"


def _eligibility_model(lang: str, **changes: object) -> dict:
    data = {**BASE, "as_of": "2026-06-03", "license_established_on": "2025-06-01", "api_integration": True,
            **changes}
    return display("eligibility", compute("eligibility", data, lang), lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_first_line_decides_what_to_do_and_when_time_alone_clears_each_market(lang: str) -> None:
    model = _eligibility_model(lang)
    first = model["blocks"][0]
    assert first["kind"] == "decision" and first["today"]["kind"] == "wait"  # a provider, no market yet
    assert first["today"]["text"] == word("decide_provider_only", lang, as_of="2026-06-03")
    lines = {line["key"]: line["text"] for line in first["markets"]}
    sep = colon(lang)
    # the shared licence age (2 years from 2025-06-01) once, for every market; then what each adds
    assert lines["markets_common"] == word("every_market", lang) + sep + word("obstacle_time", lang,
                                                                                      day="2027-06-02")
    assert lines["api"].endswith(sep + word("obstacle_closed", lang)) and "2027" not in lines["api"]
    # an open market whose only obstacle is that shared wait: the day it can be applied to
    assert lines["basic_software"].endswith(sep + word("obstacle_apply_from", lang, day="2027-06-02"))
    unanswered = _eligibility_model(lang, mature_software=False)["blocks"][0]["markets"]
    assert any(line["key"] == "basic_software" and line["text"].endswith(
        sep + word("obstacle_unmet", lang, count=1)) for line in unanswered)
    # the report says the same first
    report = render_model(model, lang).splitlines()
    assert report[2] == first["today"]["text"] and report[3].strip() == lines["markets_common"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_first_line_names_an_open_market_to_apply_to_and_a_day_when_waiting_is_all(lang: str) -> None:
    ready = _eligibility_model(lang, license_established_on="2020-01-01", mature_software=True,
                               kec_image_delivery=True)["blocks"][0]
    name = compute("eligibility", {**BASE, "as_of": "2026-06-03"}, lang)["categories"]["basic_software"]["name"]
    assert ready["today"]["text"] == word("decide_apply", lang, as_of="2026-06-03", markets=name)
    assert "basic_software" not in {line["key"] for line in ready["markets"]} and ready["today"]["kind"] == "yes"
    waiting = _eligibility_model(lang, license_established_on="2026-01-01", mature_software=True,
                                 kec_image_delivery=True)["blocks"][0]
    assert waiting["today"] == {"kind": "wait", "text": word("decide_wait", lang, as_of="2026-06-03",
                                                                    day="2027-01-02")}
    lines = {line["key"]: line["text"] for line in waiting["markets"]}
    assert lines["basic_software"].endswith(word("obstacle_apply_from", lang, day="2028-01-02"))
    no = _eligibility_model(lang, team_size=3)["blocks"][0]
    assert no["today"] == {"kind": "no", "text": word("decide_no", lang, as_of="2026-06-03", count=1)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_free_period_is_named_with_its_days_and_the_orders_in_it(lang: str) -> None:
    result = compute("fees", INPUTS["fees"], lang)
    assert "free_period" not in contract(result)  # the contract's JSON stays as it is
    block = next(b for b in display("fees", result, lang)["blocks"] if b.get("style") == "free-period")
    text = "".join(part["text"] for part in block["parts"])
    # onboarded 2026-01-10: free to 2027-01-10; order B (2026-03-01) in it, A (2027-01-11) not
    assert word("free_period_span", lang, first="2026-01-10", last="2027-01-10") in text
    assert word("free_period_orders_day", lang, count=1, first="2026-03-01", last="2026-03-01",
                       waived="10.00") in text
    assert text in render_report("fees", result, lang)
    none = display("fees", compute("fees", {"orders": INPUTS["fees"]["orders"]}, lang), lang)
    assert any(word("free_period_none", lang) in "".join(p["text"] for p in b["parts"])
               for b in none["blocks"] if b.get("style") == "free-period")
    late = compute("fees", {**INPUTS["fees"], "orders": INPUTS["fees"]["orders"][:1]}, lang)
    assert word("free_period_no_orders", lang) in render_report("fees", late, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sums_in_running_text_have_thousands_separators_and_labels_one_colon(lang: str) -> None:
    result = compute("fees", {"onboarded_on": "2026-01-10",
                              "orders": [{"id": "A", "date": "2026-03-01", "amount": "1280000"},
                                         {"id": "B", "date": "2027-03-01", "amount": "12345.60"}]}, lang)
    report = render_report("fees", result, lang)
    assert word("totals_line", lang, count=2, fee="1,234.56", waived="128,000.00", base="1,292,345.60") in report
    assert "128,000.00" in next(line for line in report.splitlines() if "2026-01-10" in line)
    table = next(b for b in display("fees", result, lang)["blocks"] if b["kind"] == "table")
    assert table["totals"][2] == "1292345.60"  # the table keeps the plain figures, as the files do
    deposit = next(line for line in report.splitlines() if line.startswith(capital(word("deposit", lang))))
    assert deposit.count(colon(lang).strip()) == 1, deposit
