"""Assumptions that follow the change: a new dated value of what one qualifies makes the build warn."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import IN_PYODIDE

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="the policy tool chain runs at build time, in CPython")

if not IN_PYODIDE:
    from scripts.policy import compile_policy as compile_script
    from scripts.policy.policy_load import POLICY_DIR, PolicyError
    from scripts.policy.policy_source import compile_policy

YEARS = 'years: {"2026-11-26": 1}'
RUNNING = "- id: waiver-running\n"


def _scratch(tmp_path: Path) -> Path:
    policy = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, policy)
    return policy


def _edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def _line(text: str, marker: str, after: str = "") -> int:
    return text[: text.index(marker, text.index(after) if after else 0)].count("\n") + 1


def test_the_live_policy_names_the_values_its_assumptions_qualify_and_needs_no_review() -> None:
    warnings: list[str] = []
    document = compile_policy(warnings=warnings, today=dt.date.fromisoformat("2026-12-01"))
    running = next(a for a in document["assumptions"] if a["id"] == "waiver-running")
    assert running["values"] == ["fee-waiver.years"]
    assert warnings == []


def test_a_new_dated_value_makes_the_compile_warn_that_each_assumption_on_it_needs_reviewing(
        tmp_path: Path, capsys: Any) -> None:
    policy = _scratch(tmp_path)
    _edit(policy / "fees.yaml", YEARS, 'years: {"2026-11-26": 1, "2027-07-01": null}')  # the promotion ends
    out = tmp_path / "out"
    assert compile_script.main(["--policy-dir", str(policy), "--out-dir", str(out)]) == 0  # a warning, not an error
    err = capsys.readouterr().err
    text = (policy / "assumptions.yaml").read_text(encoding="utf-8")
    ids = [a["id"] for a in compile_policy(policy)["assumptions"]]
    for assumption in ("waiver-length", "waiver-running"):
        index = ids.index(assumption)
        line = _line(text, "  values: [fee-waiver.years]", f"- id: {assumption}\n")
        assert (f"warning: policy/assumptions.yaml:{line}: assumptions[{index}].values[0]: fee-waiver.years has a new "
                f"dated value from 2027-07-01, after this assumption ({assumption}) was last reviewed on 2026-11-26; "
                "review it against the change") in err.replace(str(policy.parent) + "/", ""), err
    assert err.count("warning:") == 2 and (out / "calculators" / "policy.json").exists()


def test_the_site_build_and_the_preview_print_the_warnings_too(tmp_path: Path, capsys: Any) -> None:
    # what `make serve` and `make site` compile with (scripts/site_assets.prepare): the docs team
    # previewing an edit sees the assumptions it leaves to review in the terminal
    from scripts.assets import site_assets

    policy = _scratch(tmp_path)
    _edit(policy / "fees.yaml", YEARS, 'years: {"2026-11-26": 1, "2027-07-01": null}')
    document = site_assets.compiled_with_warnings(policy)
    err = capsys.readouterr().err
    assert document["fees"]["waiver"]["years"]["2027-07-01"] is None
    assert err.count("warning: ") == 2 and all(f"({a}) was last reviewed on 2026-11-26" in err
                                               for a in ("waiver-length", "waiver-running")), err


def test_an_assumption_reviewed_after_the_change_no_longer_warns(tmp_path: Path) -> None:
    policy = _scratch(tmp_path)
    _edit(policy / "fees.yaml", YEARS, 'years: {"2026-11-26": 1, "2027-07-01": null}')
    for assumption in ("waiver-length", "waiver-running"):
        reviewed = f'- id: {assumption}\n  reviewed_on: "2027-07-01"\n'
        _edit(policy / "assumptions.yaml", f"- id: {assumption}\n", reviewed)
    warnings: list[str] = []
    compile_policy(policy, warnings)
    assert warnings == []


ANNOUNCED = ('years: {"2026-11-26": 1, "2027-07-01": {value: null, ref: {source: ksyun-announce-waiver, '
             'section: 公告}, quote: 自2027年7月1日起，平台服务费优惠政策结束。}}')


def _announce(policy: Path, taken_on: str) -> None:
    """An announcement, its text kept as taken on `taken_on`, that ends the promotion from 2027-07-01."""
    (policy / "sources" / f"ksyun-announce-waiver-{taken_on}.txt").write_text(
        "关于平台服务费优惠政策的公告\n自2027年7月1日起，平台服务费优惠政策结束。\n", encoding="utf-8")
    with (policy / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(f"""- id: ksyun-announce-waiver
  url: https://docs.ksyun.com/announcements/waiver
  kind: announcement
  published_on: "{taken_on}"
  text: {{file: sources/ksyun-announce-waiver-{taken_on}.txt, taken_on: "{taken_on}"}}
  title_inferred: false
  title: {{zh: 关于平台服务费优惠政策的公告, en: Announcement on the platform service fee promotion}}
""")
    _edit(policy / "fees.yaml", YEARS, ANNOUNCED)


def test_a_value_an_announcement_sets_ahead_of_its_date_is_cleared_by_a_review_on_the_day_it_is_done(
        tmp_path: Path) -> None:
    # the docs team enters on 2026-12-01 a value dated 2027-07-01: a review that day (not a day in the
    # future) clears the warning, since the announcement's text was taken that day
    policy = _scratch(tmp_path)
    _announce(policy, "2026-12-01")
    today = dt.date(2026, 12, 1)
    warnings: list[str] = []
    compile_policy(policy, warnings, today=today)
    assert len(warnings) == 2, warnings
    assert all("fee-waiver.years has a new dated value from 2027-07-01, set by ksyun-announce-waiver (its text taken "
               "on 2026-12-01), after this assumption" in w and "last reviewed on 2026-11-26" in w and
               "set its reviewed_on to the day you reviewed it (on or after 2026-12-01" in w for w in warnings)
    for assumption, day in (("waiver-length", "2026-12-01"), ("waiver-running", "2026-11-30")):
        _edit(policy / "assumptions.yaml", f"- id: {assumption}\n", f'- id: {assumption}\n  reviewed_on: "{day}"\n')
    warnings = []
    compile_policy(policy, warnings, today=today)
    [warning] = warnings  # waiver-running was reviewed before the announcement's text came in
    assert "(waiver-running) was last reviewed on 2026-11-30" in warning


def test_a_value_an_announcement_sets_after_the_review_warns_though_dated_before_it(tmp_path: Path) -> None:
    # reviewed on 2027-08-01, after the value's own date (2027-07-01) but before the announcement's
    # text came in (2027-08-05): the review has not seen it
    policy = _scratch(tmp_path)
    _announce(policy, "2027-08-05")
    for assumption in ("waiver-length", "waiver-running"):
        _edit(policy / "assumptions.yaml", f"- id: {assumption}\n",
              f'- id: {assumption}\n  reviewed_on: "2027-08-01"\n')
    warnings: list[str] = []
    compile_policy(policy, warnings, today=dt.date(2027, 8, 5))
    assert len(warnings) == 2 and all("(its text taken on 2027-08-05)" in w and "last reviewed on 2027-08-01" in w
                                      for w in warnings), warnings


def test_a_plain_value_dated_after_today_says_how_its_review_can_be_recorded(tmp_path: Path) -> None:
    policy = _scratch(tmp_path)
    _edit(policy / "fees.yaml", YEARS, 'years: {"2026-11-26": 1, "2027-07-01": null}')
    warnings: list[str] = []
    compile_policy(policy, warnings, today=dt.date(2026, 12, 4))
    assert len(warnings) == 2 and all(
        "since that value is dated after today, also give it the ref of the source that sets it" in w
        for w in warnings), warnings
    warnings = []
    compile_policy(policy, warnings, today=dt.date(2027, 7, 2))
    assert len(warnings) == 2 and not any("dated after today" in w for w in warnings), warnings


def test_an_assumptions_own_review_by_warns_once_passed(tmp_path: Path) -> None:
    policy = _scratch(tmp_path)
    text = _edit(policy / "assumptions.yaml", RUNNING, RUNNING + '  review_by: "2027-01-31"\n')
    warnings: list[str] = []
    compile_policy(policy, warnings, today=dt.date(2027, 1, 31))
    assert warnings == []
    compile_policy(policy, warnings, today=dt.date(2027, 2, 1))
    [warning] = warnings
    line = _line(text, '  review_by: "2027-01-31"')
    assert warning.startswith("warning: ") and \
        f"assumptions.yaml:{line}: assumptions[5].review_by: review_by 2027-01-31 of the assumption waiver-running " \
        "has passed" in warning


@pytest.mark.parametrize(("values", "says"), [
    ("[fee-waiver.year]", "'fee-waiver.year' is not a dated value; the dated values of fee-waiver are: "
                          "fee-waiver.years"),
    ("[waiver.years]", "'waiver.years' is not a dated value; write <fact id>.<key>"),
    ("[fee-waiver]", "'fee-waiver' is not a dated value as <fact id>.<key>, for example \"fee-waiver.years\""),
])
def test_a_value_that_is_not_a_dated_value_is_refused_with_file_line_and_key(
        tmp_path: Path, values: str, says: str) -> None:
    policy = _scratch(tmp_path)
    old = "  values: [fee-waiver.years]\n  affects: {fees: [onboarded_on, waived]}"
    text = _edit(policy / "assumptions.yaml", old, f"  values: {values}\n  affects: {{fees: [onboarded_on, waived]}}")
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy)
    [problem] = caught.value.problems
    assert problem.file.endswith("policy/assumptions.yaml") and problem.key == "assumptions[5].values[0]"
    assert problem.line == _line(text, f"  values: {values}") and problem.message.startswith(says), problem


def test_a_notices_quote_that_cannot_be_checked_yet_warns(tmp_path: Path) -> None:
    policy = _scratch(tmp_path)
    (policy / "calendar.yaml").write_text("""schedules:
  - year: 2031
    source: {title: 国务院办公厅关于2031年部分节假日安排的通知, url: "https://www.gov.cn/x",
             published_on: "2030-11-05"}
    quote: 一、春节：1月22日至28日放假调休，共7天。
    holidays:
      - {name: {zh: 春节, en: Spring Festival}, from: "2031-01-22", to: "2031-01-28"}
    makeup_working_days: ["2031-01-18", "2031-02-08"]
""", encoding="utf-8")
    warnings: list[str] = []
    compile_policy(policy, warnings)
    [warning] = warnings
    assert "calendar.yaml:5: calendar.schedules[0].quote: not checked: the notice's text is not kept" in warning
