"""Invalid input, per the contract: a message naming the field (and order id), in the user's language."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calculators import InputError, compute
from calculators.cli import main
from calculators.json_input import parse_json

from .conftest import case_params


@pytest.mark.parametrize("case", case_params("invalid"))
def test_api_names_the_field(case: dict[str, Any]) -> None:
    with pytest.raises(InputError) as caught:
        compute(case["calculator"], parse_json(case["input"]), "en")
    text = caught.value.text("en")
    for name in case["names"]:
        assert name in text


@pytest.mark.parametrize("case", case_params("invalid"))
def test_cli_exits_2_with_the_field_named(case: dict[str, Any], tmp_path, capsys) -> None:
    path = tmp_path / "input.json"
    path.write_text(case["input"], encoding="utf-8")
    assert main([case["calculator"], str(path), "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    for name in case["names"]:
        assert name in captured.err
    assert "Traceback" not in captured.err


def test_messages_follow_the_chosen_language(tmp_path, capsys) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps({"submitted_on": "tomorrow"}), encoding="utf-8")
    assert main(["review", str(path)]) == 2
    assert "submitted_on：应为日期，例如 2026-11-26" in capsys.readouterr().err
    assert main(["review", str(path), "--lang", "zh"]) == 2
    assert "应为日期，例如 2026-11-26" in capsys.readouterr().err
    assert main(["review", str(path), "--lang", "en"]) == 2
    assert "must be a date such as 2026-11-26" in capsys.readouterr().err


@pytest.mark.parametrize(("lang", "said"), [("zh", "该日期不存在"), ("en", "there is no such date")])
def test_a_day_that_does_not_exist_is_called_so(lang: str, said: str) -> None:
    with pytest.raises(InputError) as caught:
        compute("review", {"submitted_on": "2024-02-30"}, lang)
    assert said in caught.value.text(lang) and "YYYY" not in caught.value.text(lang)


def test_a_missing_file_is_invalid_input(tmp_path, capsys) -> None:
    assert main(["review", str(tmp_path / "absent.json")]) == 2
    assert "absent.json" in capsys.readouterr().err


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(InputError) as caught:
        compute("eligibility", {"team_size": "many", "support_days_per_week": 9}, "en")
    fields = [problem.field for problem in caught.value.problems]
    assert "team_size" in fields and "support_days_per_week" in fields and "real_name_verified" in fields
