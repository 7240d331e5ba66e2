"""Several sources, each with its own kept text: a quote stands in the text of the source it cites."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from calculators.messages import word

from .conftest import IN_PYODIDE

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="the policy tool chain runs at build time, in CPython")

if not IN_PYODIDE:
    from scripts.policy import sourcecheck
    from scripts.policy.policy_load import POLICY_DIR, PolicyError
    from scripts.policy.policy_source import compile_policy

ANNOUNCEMENT = """- id: ksyun-announce-deposit
  url: https://docs.ksyun.com/documents/99999
  kind: announcement
  published_on: "2027-01-05"
  text: {file: sources/ksyun-announce-deposit-2027-01-06.txt, taken_on: "2027-01-06"}
  title_inferred: true
  title: {zh: 金山云公告：保证金（测试）, en: "Kingsoft Cloud announcement: deposit (test)"}
"""
WORDS = "自2027年2月1日起，新入驻服务商的保证金为人民币5000元。"  # made up for the test
OLD_QUOTE = "  quote: 保证金：指服务商用以担保其"
DEPOSIT_REF = "  ref: {source: ksyun-doc-6897, section: 收费介绍, item: 1}\n"


def _policy(tmp_path: Path, ref_source: str, quote: str) -> Path:
    """A copy of policy/ with an announcement and its kept text, the deposit citing `ref_source`
    with `quote` as its words."""
    policy = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, policy)
    with (policy / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(ANNOUNCEMENT)
    (policy / "sources" / "ksyun-announce-deposit-2027-01-06.txt").write_text(
        "公告\n\n" + WORDS[:10] + "\n" + WORDS[10:] + "\n", encoding="utf-8")
    fees = (policy / "fees.yaml").read_text(encoding="utf-8")
    assert DEPOSIT_REF in fees and OLD_QUOTE in fees
    start = fees.index(OLD_QUOTE)
    end = fees.index("\n", start)
    fees = fees[:start] + f"  quote: {quote}" + fees[end:]
    fees = fees.replace(DEPOSIT_REF, f"  ref: {{source: {ref_source}, section: 公告}}\n")
    (policy / "fees.yaml").write_text(fees, encoding="utf-8")
    return policy


def test_a_fact_can_cite_an_announcement_whose_text_is_kept_beside_the_pages(tmp_path: Path) -> None:
    document = compile_policy(_policy(tmp_path, "ksyun-announce-deposit", WORDS))
    announcement = document["sources"][-1]
    assert announcement["kind"] == "announcement" and announcement["published_on"] == "2027-01-05"
    assert document["fees"]["deposit"]["ref"]["source"] == "ksyun-announce-deposit"


@pytest.mark.parametrize(("ref_source", "quote", "text"), [
    pytest.param("ksyun-doc-6897", WORDS, "policy/sources/ksyun-docs-2026-11-26.txt of ksyun-doc-6897",
                 id="the announcement's words cited from the page"),
    pytest.param("ksyun-announce-deposit", "保证金：指服务商用以担保其在与云市场合作期内",
                 "policy/sources/ksyun-announce-deposit-2027-01-06.txt of ksyun-announce-deposit",
                 id="the page's words cited from the announcement"),
])
def test_a_quote_is_checked_against_the_text_of_the_source_its_ref_names(
        tmp_path: Path, ref_source: str, quote: str, text: str) -> None:
    policy = _policy(tmp_path, ref_source, quote)
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy)
    [problem] = caught.value.problems
    fees = (policy / "fees.yaml").read_text(encoding="utf-8")
    assert problem.file.endswith("policy/fees.yaml") and problem.key == "fees.deposit.quote"
    assert problem.line == fees[: fees.index(f"  quote: {quote}")].count("\n") + 1
    assert problem.message.startswith(f"this quote is not in the source text {text}")


@pytest.mark.parametrize(("quote", "says"), [
    pytest.param(WORDS.replace("5000", "6000"),
                 "; it agrees with the text up to '…驻服务商的保证金为人民币', where the text goes on '5000元。'",
                 id="a figure changed"),
    pytest.param(WORDS + "另行通知。", "; the text ends after '…证金为人民币5000元。'", id="words added"),
    pytest.param("保证金：指服务商用以担保其", "; not even its first words stand in that text (the wrong source?)",
                 id="another source's words"),
])
def test_a_quote_not_in_its_text_says_where_it_parts_from_it(tmp_path: Path, quote: str, says: str) -> None:
    # the kept text breaks the announcement's sentence over two lines: the comparison reads past it
    with pytest.raises(PolicyError) as caught:
        compile_policy(_policy(tmp_path, "ksyun-announce-deposit", quote))
    [problem] = caught.value.problems
    assert problem.key == "fees.deposit.quote" and problem.message.endswith(says), problem.message


def test_an_announcement_with_its_own_title_needs_no_title_inferred(tmp_path: Path) -> None:
    # an announcement is taken with its title: title_inferred may be left out, and means false
    import datetime as dt

    from scripts.pages import fragments, page_site
    policy = _policy(tmp_path, "ksyun-announce-deposit", WORDS)
    sources_yaml = (policy / "sources.yaml").read_text(encoding="utf-8")
    (policy / "sources.yaml").write_text(sources_yaml.replace(ANNOUNCEMENT, ANNOUNCEMENT.replace(
        "  title_inferred: true\n", "")), encoding="utf-8")
    document = compile_policy(policy)
    announcement, page = document["sources"][-1], document["sources"][0]
    assert "title_inferred" not in ANNOUNCEMENT.replace("  title_inferred: true\n", "")
    assert announcement["title_inferred"] is False and page["title_inferred"] is True
    site = page_site.Site(document, dt.date(2026, 12, 1))
    for lang in ("zh", "en"):
        mark = word("inferred", lang)
        lines = fragments.sources(site, lang).split("\n")
        [own] = [line for line in lines if "ksyun-announce-deposit" in line]
        assert mark not in own and mark in lines[0]


NOTICE = """- id: gov-holidays-2031
  url: https://www.gov.cn/test-2031
  kind: notice
  published_on: "2030-11-05"
  text: {file: sources/gov-holidays-2031-2030-11-06.txt, taken_on: "2030-11-06"}
  title_inferred: false
  title: {zh: 国务院办公厅关于2031年部分节假日安排的通知（测试）, en: State Council notice on the 2031 holidays (test)}
"""
CALENDAR = """schedules:
  - year: 2031
    source: {title: 国务院办公厅关于2031年部分节假日安排的通知（测试）, url: "https://www.gov.cn/test-2031",
             published_on: "2030-11-05"}
    quote: QUOTE
    holidays:
      - {name: {zh: 春节, en: Spring Festival}, from: "2031-01-22", to: "2031-01-28"}
    makeup_working_days: ["2031-01-18", "2031-02-08"]
"""


@pytest.mark.parametrize("kept", [True, False])
def test_a_schedules_quote_is_checked_once_its_notices_text_is_kept(tmp_path: Path, kept: bool) -> None:
    policy = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, policy)
    if kept:
        with (policy / "sources.yaml").open("a", encoding="utf-8") as sources:
            sources.write(NOTICE)
        (policy / "sources" / "gov-holidays-2031-2030-11-06.txt").write_text(
            "一、春节：1月22日至28日放假调休，共7天。1月18日（星期六）、2月8日（星期六）上班。\n", encoding="utf-8")
    (policy / "calendar.yaml").write_text(CALENDAR.replace("QUOTE", "一、春节：1月22日至28日放假调休，共7天。"),
                                          encoding="utf-8")
    assert compile_policy(policy)["calendar"]["schedules"][0]["quote"].startswith("一、春节")
    (policy / "calendar.yaml").write_text(CALENDAR.replace("QUOTE", "一、春节：1月21日至28日放假调休，共8天。"),
                                          encoding="utf-8")
    if not kept:  # nothing to check it against yet
        compile_policy(policy)
        return
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy)
    [problem] = caught.value.problems
    assert problem.key == "calendar.schedules[0].quote" and problem.line == 5
    assert "policy/sources/gov-holidays-2031-2030-11-06.txt of gov-holidays-2031" in problem.message


def test_sourcecheck_watches_every_source_the_announcement_too(tmp_path: Path) -> None:
    document = compile_policy(_policy(tmp_path, "ksyun-announce-deposit", WORDS))
    kept = (POLICY_DIR / "sources" / "ksyun-docs-2026-11-26.txt").read_text(encoding="utf-8")
    pages = {s["url"]: f"<p>{kept}</p>" for s in document["sources"]}
    pages["https://docs.ksyun.com/documents/99999"] = "<p>公告：保证金调整已取消。</p>"  # the announcement changed
    out = io.StringIO()
    assert sourcecheck.check(document, pages.__getitem__, out) == 1
    report = out.getvalue()
    assert "CHANGED ksyun-announce-deposit https://docs.ksyun.com/documents/99999: 0 of 1 quote(s) found" in report
    assert f"「{WORDS}」 (policy: fees.deposit.quote)" in report
    assert report.count("ok   ") == len(document["sources"]) - 1


def test_a_kept_text_outside_policy_sources_is_refused_by_the_schema(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, policy)
    sources = (policy / "sources.yaml").read_text(encoding="utf-8")
    sources = sources.replace("file: sources/ksyun-docs-2026-11-26.txt", "file: ../../etc/passwd-2026-11-26.txt", 1)
    (policy / "sources.yaml").write_text(sources, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy)
    problem: Any = caught.value.problems[0]
    line = sources[: sources.index("file: ../../etc/passwd")].count("\n") + 1  # the first source's text
    assert problem.key == "sources[0].text.file" and problem.line == line and line > 10
    assert "is not a file under policy/sources/ named by the source and the day its text was taken" in problem.message


# --- a reference per dated value ----------------------------------------------------------------

RATE_NOTICE = """- id: ksyun-announce-rate
  url: https://docs.ksyun.com/documents/99998
  kind: announcement
  published_on: "2027-05-10"
  text: {file: sources/ksyun-announce-rate-2027-05-11.txt, taken_on: "2027-05-11"}
  title_inferred: true
  title: {zh: 金山云公告：平台服务费率（测试）, en: "Kingsoft Cloud announcement: fee rate (test)"}
"""
RATE_WORDS = "自2027年7月1日起，平台服务费按实际订单交易金额的8.5%收取。"  # made up for the test
RATE_LINE = 'rate: {"2026-11-26": "0.10"}'


def _rate_policy(tmp_path: Path, entry: str) -> Path:
    """A copy of policy/ whose platform fee takes a second, dated value written as `entry`, with a
    rate announcement and its kept text."""
    policy = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, policy)
    with (policy / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(RATE_NOTICE)
    (policy / "sources" / "ksyun-announce-rate-2027-05-11.txt").write_text(f"公告\n{RATE_WORDS}\n", encoding="utf-8")
    fees = (policy / "fees.yaml").read_text(encoding="utf-8")
    assert RATE_LINE in fees
    fees = fees.replace(RATE_LINE, 'rate:\n    "2026-11-26": "0.10"\n' + entry)
    (policy / "fees.yaml").write_text(fees, encoding="utf-8")
    return policy


SOURCED = ('    "2027-07-01":\n      value: "0.085"\n      ref: {source: ksyun-announce-rate, section: 公告}\n'
           f"      quote: {RATE_WORDS}\n")


def test_a_dated_value_carries_its_own_source_the_calculators_use_its_value(tmp_path: Path) -> None:
    from calculators import Policy, calculate_fees

    document = compile_policy(_rate_policy(tmp_path, SOURCED))
    entry = document["fees"]["platform_fee"]["rate"]["2027-07-01"]
    assert entry["value"] == "0.085" and entry["ref"]["source"] == "ksyun-announce-rate"
    result = calculate_fees({"onboarded_on": "2020-01-01", "orders": [
        {"id": "A", "date": "2027-06-30", "amount": "100.00"}, {"id": "B", "date": "2027-07-01", "amount": "100.00"}]},
        policy=Policy(document))
    assert [(o["rate"], o["fee"]) for o in result["orders"]] == [("0.10", "10.00"), ("0.085", "8.50")]


def test_the_pages_show_the_source_beside_each_value_of_a_schedule(tmp_path: Path) -> None:
    import datetime as dt

    from scripts.pages import fragments, page_site
    from scripts.pages.page_words import page_words

    site = page_site.Site(compile_policy(_rate_policy(tmp_path, SOURCED)), dt.date(2027, 1, 1))
    link = "[docs.ksyun.com/documents/99998](https://docs.ksyun.com/documents/99998) › 公告"
    # as the page reads (the Markdown escapes of page text undone)
    zh, en = (fragments.fees_platform(site, lang).replace("\\", "") for lang in ("zh", "en"))
    assert f"10%（至 2027-06-30）；自 2027-07-01 起 8.5%（来源：{link}）" in zh
    assert f"10% until 2027-06-30; 8.5% from 2027-07-01 (Source: {link})" in en
    for page, title in ((zh, "原文（自 2027-07-01 起的数值）"), (en, "Source text (the value from 2027-07-01)")):
        assert f'!!! quote "{title}"' in page and f"「{RATE_WORDS}」" in page
    assert f"(Source: {link})" in fragments.key_figures(site, "en").replace("\\", "")
    assert "documents/99998" not in page_words(site, "en")["rate"]  # a figure inside a sentence stays a figure
    # once in force, the value still shows its own source beside it
    later = page_site.Site(site.doc, dt.date(2027, 8, 1))
    assert f"8.5% (Source: {link})" in fragments.fees_platform(later, "en").replace("\\", "")


@pytest.mark.parametrize(("entry", "key", "marker", "says"), [
    pytest.param(SOURCED.replace("8.5%收取", "8%收取"), "fees.platform_fee.rate.2027-07-01.quote", "      quote:",
                 "this quote is not in the source text policy/sources/ksyun-announce-rate-2027-05-11.txt of "
                 "ksyun-announce-rate", id="a quote not in the text of the source its ref names"),
    pytest.param(f'    "2027-07-01": {{value: "0.085", quote: {RATE_WORDS}}}\n', "fees.platform_fee.rate.2027-07-01",
                 '"2027-07-01"', "a quote needs the ref of the source it quotes", id="a quote without its ref"),
    pytest.param('    "2027-07-01": {value: 0.085, ref: {source: ksyun-announce-rate, section: 公告}}\n',
                 "fees.platform_fee.rate.2027-07-01.value", '"2027-07-01"', "expected text or null",
                 id="a value of the wrong type"),
    pytest.param('    "2027-07-01": {value: "0.085", ref: {source: ksyun-announce-rates, section: 公告}}\n',
                 "fees.platform_fee.rate.2027-07-01.ref.source", '"2027-07-01"',
                 "the source 'ksyun-announce-rates' is not listed in sources.yaml", id="a ref to an unknown source"),
    pytest.param('    "2027-07-01": {value: "0.085", source: ksyun-announce-rate}\n',
                 "fees.platform_fee.rate.2027-07-01.source", '"2027-07-01"', "unknown key 'source' (a typo?); allowed "
                 "keys here: quote, ref, value", id="an unknown key"),
])
def test_a_broken_dated_value_names_file_line_and_key(tmp_path: Path, entry: str, key: str, marker: str,
                                                      says: str) -> None:
    policy = _rate_policy(tmp_path, entry)
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy)
    shown = [str(p) for p in caught.value.problems]
    [problem] = [p for p in caught.value.problems if says in p.message] or [shown]
    fees = (policy / "fees.yaml").read_text(encoding="utf-8")
    assert problem.file.endswith("policy/fees.yaml") and problem.key == key, shown
    assert problem.line == fees[: fees.index(marker, fees.index("rate:"))].count("\n") + 1, shown
