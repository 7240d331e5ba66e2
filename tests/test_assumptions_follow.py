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
    from scripts import compile_policy as compile_script
    from scripts.policy_source import POLICY_DIR, PolicyError, compile_policy

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


def test_an_assumption_reviewed_after_the_change_no_longer_warns(tmp_path: Path) -> None:
    policy = _scratch(tmp_path)
    _edit(policy / "fees.yaml", YEARS, 'years: {"2026-11-26": 1, "2027-07-01": null}')
    for assumption in ("waiver-length", "waiver-running"):
        reviewed = f'- id: {assumption}\n  reviewed_on: "2027-07-01"\n'
        _edit(policy / "assumptions.yaml", f"- id: {assumption}\n", reviewed)
    warnings: list[str] = []
    compile_policy(policy, warnings)
    assert warnings == []


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
