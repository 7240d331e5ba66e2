"""The catalogue of words: both languages, the same placeholders, each language's own punctuation."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any

import pytest

from calculators import calculate_fees, check_eligibility, estimate_review, load_policy
from calculators.api import fees_from_csv_rows
from calculators.csv_io import errors_csv, fees_csv, read_orders_csv
from calculators.messages import LANGUAGES, catalogue, section, word
from calculators.report import render_report
from scripts.paths import ROOT

from .conftest import IN_PYODIDE, cpython_only

EXAMPLES = ROOT / "examples"
# CJK ideographs, radicals, symbols and punctuation (U+2E80–U+9FFF, U+3000–U+303F included),
# compatibility ideographs, full-width forms (U+FF00–U+FFEF) and the ideograph extensions
CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]")
# an ASCII colon or semicolon right after a Chinese character (or Chinese punctuation)
ASCII_AFTER_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef][:;]")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


ENTRIES = sorted(catalogue().items())


@pytest.mark.parametrize(("key", "entry"), ENTRIES, ids=[key for key, _ in ENTRIES])
def test_every_entry_has_both_languages_with_the_same_placeholders(key: str, entry: dict[str, str]) -> None:
    assert set(entry) <= {"zh", "en", "zh_one", "en_one"} and {"zh", "en"} <= set(entry), key
    assert entry["zh"] and entry["en"], key
    for variant in entry.values():
        assert _placeholders(variant) == _placeholders(entry["zh"]), key


@pytest.mark.parametrize(("key", "entry"), ENTRIES, ids=[key for key, _ in ENTRIES])
def test_english_holds_no_chinese_and_chinese_no_ascii_colon_after_chinese(key: str, entry: dict[str, str]) -> None:
    for lang, text in entry.items():
        if lang.startswith("en"):
            assert not CJK.search(text), (key, text)
        else:
            assert not ASCII_AFTER_CJK.search(text), (key, text)


def test_one_concept_one_word() -> None:
    """Two entries with the same Chinese say the same in English, and the other way round (a
    word differing only in capitals is one word): a repeat of a word must not drift apart."""
    for lang, other in (("zh", "en"), ("en", "zh")):
        seen: dict[str, tuple[str, str]] = {}
        for key, entry in ENTRIES:
            text = entry[lang].lower()
            if text in seen and text not in ("✓", "—"):
                first, translation = seen[text]
                assert entry[other].lower() == translation, f"{key} and {first} say {entry[lang]!r} differently"
            seen.setdefault(text, (key, entry[other].lower()))


def test_plurals_are_words_not_parentheses() -> None:
    for key, entry in ENTRIES:
        assert "(s)" not in entry["en"], key
    assert word("years", "en", n=1) == "1 year" and word("years", "en", n=2) == "2 years"
    assert word("rows_left_out", "en", count=1, file="e.csv").startswith("1 row had")


@cpython_only  # reads the worker script, which the Pyodide test run does not carry
def test_the_worker_progress_names_each_have_a_word() -> None:
    """The worker posts progress stages and, over a large batch, the fee calculator's phases
    (rows_<phase>); the widget shows the catalogue's word for each."""
    worker = (ROOT / "docs" / "assets" / "js" / "calc-worker.mjs").read_text(encoding="utf-8")
    stages = set(re.findall(r"""stage:\s*["']([a-z_]+)["']""", worker))
    modules = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "calculators").glob("*.py"))
    phases = set(re.findall(r"""report\(\s*["']([a-z_]+)["']""", modules))  # report(phase, done, total)
    assert stages and phases
    widget = set(section("widget"))
    assert stages <= widget, stages - widget
    assert {f"rows_{phase}" for phase in phases} <= widget


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _check_language(texts: list[str], lang: str, policy_words: list[str]) -> None:
    """English: no CJK punctuation, and no Chinese outside what the policy quotes in Chinese on
    purpose (such as 平台技术服务费); Chinese: no ASCII colon or semicolon after Chinese."""
    for text in texts:
        if lang == "en":
            bare = text
            for quoted in policy_words:
                bare = bare.replace(quoted, "")
            assert not CJK.search(bare), text
        else:
            assert not ASCII_AFTER_CJK.search(text), text


def _policy_chinese_in_english(data: dict[str, Any] | None = None) -> list[str]:
    """Chinese the English policy texts hold on purpose (the source's own terms), longest first: of `data`,
    else of the policy the calculators read here (the tests' frozen one)."""
    found: set[str] = set()
    for text in _strings(data if data is not None else load_policy().data):
        found |= set(re.findall("[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]+", text))
    return sorted(found, key=len, reverse=True)


def _orders() -> list[dict[str, str]]:
    return read_orders_csv((EXAMPLES / "orders.csv").read_text(encoding="utf-8"))[0]


@cpython_only  # reads examples/, which the Pyodide test run does not carry
@pytest.mark.parametrize("lang", LANGUAGES)
def test_reports_json_and_csv_of_the_examples_keep_to_their_language(lang: str) -> None:
    """The real calculators over examples/ (and inputs that reach every reason and error): the
    report, the JSON's texts and the CSV files keep to the language's punctuation."""
    policy_words = _policy_chinese_in_english()
    eligibility_input = json.loads((EXAMPLES / "eligibility.json").read_text(encoding="utf-8"))
    variants = [eligibility_input, {**eligibility_input, "team_size": 3, "mature_software": False,
                                     "license_established_on": "2026-01-01"}]
    texts: list[str] = []
    for data in variants:
        result = check_eligibility(data, lang=lang)
        texts += _strings(result) + render_report("eligibility", result, lang).splitlines()
    review = estimate_review(json.loads((EXAMPLES / "review.json").read_text(encoding="utf-8")), lang=lang)
    far = estimate_review({"submitted_on": "2099-12-28"}, lang=lang)  # a year with no published schedule
    texts += _strings(review) + _strings(far) + render_report("review", far, lang).splitlines()
    fees = calculate_fees({"onboarded_on": "2026-01-10", "orders": _orders(), "deposit": "500"}, lang=lang)
    texts += _strings(fees) + render_report("fees", fees, lang).splitlines()
    bad = "id,date,amount\nA,2026-12-01,100\nB,2026-13-01,1\nC,2026-12-01,-4\n"
    result, left_out = fees_from_csv_rows(bad, "2026-01-10", lang)
    texts += fees_csv(result, left_out, lang).splitlines() + errors_csv(left_out, lang).splitlines()
    texts += [problem.text(lang) for problem in left_out]
    _check_language(texts, lang, policy_words)


@pytest.mark.skipif(IN_PYODIDE, reason="the page generator runs at build time, in CPython")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pages_generated_fragments_keep_to_their_language(lang: str, tmp_path: Path) -> None:
    import datetime as dt
    from html import unescape

    from scripts.pages.gen_pages import generate
    from scripts.policy.policy_source import compile_policy

    generate(out=tmp_path, today=dt.date(2026, 11, 26))
    policy_words = _policy_chinese_in_english(compile_policy())  # the pages are the live policy's
    texts = []
    for path in sorted((tmp_path / lang).iterdir()):
        body = unescape(path.read_text(encoding="utf-8"))
        # the source's own words stay Chinese on the English pages: quote boxes (「…」) and the
        # Chinese the policy's English texts carry on purpose
        body = re.sub("「[^」]*」", "", body)
        texts += body.splitlines()
    _check_language(texts, lang, policy_words)


@pytest.mark.skipif(IN_PYODIDE, reason="the page generator runs at build time, in CPython")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_bold_labels_in_generated_fragments_close_on_a_word(lang: str, tmp_path: Path) -> None:
    import datetime as dt

    from scripts.pages.gen_pages import generate

    generate(out=tmp_path, today=dt.date(2026, 11, 26))
    for path in sorted((tmp_path / lang).iterdir()):
        # "**Affects: **": Markdown leaves a bold opened or closed beside a space as literal asterisks
        found = re.findall(r"^[ >]*\*\*[^*\n]*\s\*\*", path.read_text(encoding="utf-8"), flags=re.M)
        assert not found, (path.name, found[:3])
