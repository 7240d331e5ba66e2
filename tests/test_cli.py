"""The command line as users run it: a real `python -m calculators` process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calculators.contract import CONTRACTS
from scripts.paths import ROOT

from .conftest import FROZEN_POLICY_DIR, cpython_only, live_env, load_cases

pytestmark = cpython_only
ELIGIBLE = load_cases("eligibility")["base"]


def run(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The CLI with the tests' frozen policy; in a scratch project (`cwd`), with that project's own."""
    return subprocess.run([sys.executable, "-m", "calculators", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=60, env=None if cwd == ROOT else live_env())


def test_help_explains_the_three_calculators_and_shows_examples() -> None:
    result = run("--help")
    assert result.returncode == 0
    for word in ("eligibility", "fees", "review", "--json", "--lang", "--csv", "--onboarded-on", "examples:"):
        assert word in result.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_eligibility_json_from_a_file_and_from_stdin_agree(lang: str, tmp_path: Path) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(ELIGIBLE), encoding="utf-8")
    from_file = run("eligibility", str(path), "--json", "--lang", lang)
    from_stdin = run("eligibility", "-", "--json", "--lang", lang, stdin=json.dumps(ELIGIBLE))
    assert from_file.returncode == from_stdin.returncode == 0
    assert json.loads(from_file.stdout) == json.loads(from_stdin.stdout)
    assert json.loads(from_file.stdout)["categories"]["basic_software"]["can_apply"] is True


def test_the_readable_report_is_chinese_by_default_and_english_on_request() -> None:
    zh = run("review", stdin='{"submitted_on": "2026-09-29"}')
    en = run("review", "--lang", "en", stdin='{"submitted_on": "2026-09-29"}')
    assert zh.returncode == en.returncode == 0
    assert "预计在 2026-09-30 至 2026-10-09" in zh.stdout and "国庆节" in zh.stdout
    assert "between 2026-09-30 and 2026-10-09" in en.stdout and "National Day" in en.stdout


def test_fees_from_csv_writes_the_result_csv(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount,refunded\nA,2026-01-10,100,\nB,2027-01-11,100,20\n", encoding="utf-8")
    out = tmp_path / "result.csv"
    result = run("fees", "--csv", str(orders), "--onboarded-on", "2026-01-10", "--json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [o["fee"] for o in data["orders"]] == ["0.00", "8.00"]
    row = out.read_text(encoding="utf-8").splitlines()[2]
    assert row == "B,2027-01-11,100.00,20.00,80.00,0.10,false,8.00,0.00,72.00,8.00,80.00,2026-01-10/2027-01-10"
    assert "free_period" not in data  # --json stays the contract
    report = run("fees", "--csv", str(orders), "--onboarded-on", "2026-01-10", "--lang", "en")
    assert "Free period: 2026-01-10 to 2027-01-10 (both days included); 1 of the orders falls in it" in report.stdout


def test_a_gbk_csv_is_read_and_a_csv_in_no_known_encoding_names_the_line(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_bytes(b"id,date,amount\r\nA,2026-01-10,1\r\n" + "订单,2026/1/10,1\r\n".encode("gbk"))
    result = run("fees", "--csv", str(orders), "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert 'CSV file: read as GB18030/GBK; 1 cell read from the way it was written: row 3 date "2026/1/10" read as ' \
           "2026-01-10" in result.stdout and "订单 | 2026-01-10" in result.stdout
    orders.write_bytes(b"id,date,amount\nA,2026-01-10,1\n\xff\xfe\xfe,2026-01-10,1\n")
    result = run("fees", "--csv", str(orders), "--lang", "en")
    assert result.returncode == 2 and "line 3" in result.stderr and "GB18030/GBK" in result.stderr


def test_invalid_input_exits_2_without_a_traceback() -> None:
    result = run("fees", "--json", stdin='{"orders": [{"id": "Z-9", "date": "2026-01-01", "amount": "-3"}]}')
    assert result.returncode == 2 and result.stdout == ""
    assert "Z-9" in result.stderr and "amount" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_figure_changed_in_policy_alone_changes_what_the_cli_computes(tmp_path: Path) -> None:
    """Change the fee rate and the team threshold in a copy of the tests' frozen policy, compile, and run the CLI."""
    for name in ("calculators", "scripts"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "policy.json", "site.json"))
    shutil.copytree(FROZEN_POLICY_DIR, tmp_path / "policy")
    shutil.copyfile(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")  # the site's address, for the links
    criteria = tmp_path / "policy" / "criteria.yaml"
    criteria.write_text(criteria.read_text(encoding="utf-8").replace(
        'threshold: {"2026-11-26": 15}', 'threshold: {"2026-11-26": 12}'), encoding="utf-8")
    fees = tmp_path / "policy" / "fees.yaml"
    fees.write_text(fees.read_text(encoding="utf-8").replace('rate: {"2026-11-26": "0.10"}',
                                                             'rate: {"2026-11-26": "0.08"}'), encoding="utf-8")
    compiled = subprocess.run([sys.executable, "-m", "scripts.policy.compile_policy"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
    assert compiled.returncode == 0, compiled.stderr

    fee = json.loads(run("fees", "--json", stdin='{"orders": [{"id": "A", "date": "2026-12-01", "amount": "100"}]}',
                         cwd=tmp_path).stdout)
    assert fee["rate"] == "0.08" and fee["orders"][0]["fee"] == "8.00"
    team = json.loads(run("eligibility", "--json", stdin=json.dumps({**ELIGIBLE, "team_size": 12}),
                          cwd=tmp_path).stdout)
    criterion = next(c for c in team["provider"]["criteria"] if c["id"] == "team-size")
    assert criterion["met"] is True and "12" in criterion["text"] and "15" not in criterion["text"]


def test_fees_with_errors_keeps_going_past_bad_rows_as_the_widget_does(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\nA,2026-12-01,100\nB,2026-13-01,1\nC,2026-12-01,-4\n", encoding="utf-8")
    out, errors = tmp_path / "result.csv", tmp_path / "errors.csv"
    result = run("fees", "--csv", str(orders), "--errors", str(errors), "--out", str(out), "--json", "--lang", "en")
    assert result.returncode == 2  # the input was not all valid; the valid rows are computed even so
    assert [o["id"] for o in json.loads(result.stdout)["orders"]] == ["A"]
    assert "2 rows had problems and were left out" in result.stderr and str(errors) in result.stderr
    assert errors.read_text(encoding="utf-8").splitlines()[0] == "row,id,field,problem"
    assert [line.split(",")[0] for line in errors.read_text(encoding="utf-8").splitlines()[1:]] == ["3", "4"]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",status") and lines[1].endswith(",ok") and "left out (CSV row 3)" in lines[2]


def test_fees_with_errors_and_only_good_rows_exits_0(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\nA,2026-12-01,100\n", encoding="utf-8")
    result = run("fees", "--csv", str(orders), "--errors", str(tmp_path / "errors.csv"), "--json")
    assert result.returncode == 0
    assert (tmp_path / "errors.csv").read_text(encoding="utf-8").strip() == "row,id,field,problem"


def test_fees_with_errors_counts_a_row_with_two_problems_once(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\nA,2026-12-01,100\nA,2026-13-01,-4\n", encoding="utf-8")
    errors = tmp_path / "errors.csv"
    result = run("fees", "--csv", str(orders), "--errors", str(errors), "--json", "--lang", "en")
    assert result.returncode == 2
    problems = errors.read_text(encoding="utf-8").splitlines()[1:]
    assert len(problems) >= 2 and {line.split(",")[0] for line in problems} == {"3"}
    assert "1 row had problems and was left out" in result.stderr


# The keys of each result as the contract writes them (calculators-json.md, declared in
# calculators/contract.py and held to it by tests/test_contract.py); --json gives those only.
EXAMPLE = {"eligibility": "examples/eligibility.json", "review": "examples/review.json"}


@pytest.mark.parametrize("name", list(EXAMPLE))
def test_json_holds_the_contract_keys_only(name: str) -> None:
    result = run(name, str(ROOT / EXAMPLE[name]), "--json")
    assert result.returncode == 0 and set(json.loads(result.stdout)) == set(CONTRACTS[name].result)


def test_fees_json_holds_the_contract_keys_only() -> None:
    result = run("fees", "--csv", str(ROOT / "examples" / "orders.csv"), "--json")
    answer = json.loads(result.stdout)
    fees = CONTRACTS["fees"]
    assert set(answer) == set(fees.result)
    assert set(answer["orders"][0]) == {field.name for field in fees.rows}
    assert set(answer["totals"]) == set(fees.totals)
    assert set(answer["deposit"]) == {"amount", "note"}
