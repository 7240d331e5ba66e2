"""Dated conditions: a condition, or its place in a list, applies from and to a date, and says so."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from calculators import Policy, check_eligibility, load_policy
from calculators.api import compute_json, dumps
from calculators.display import display

from .conftest import IN_PYODIDE, cpython_only, load_cases

if not IN_PYODIDE:
    from scripts.policy.policy_load import POLICY_DIR, PolicyError
    from scripts.policy.policy_source import compile_policy

BASE = load_cases("eligibility")["base"]


def _policy(condition: dict[str, Any] | None = None, basic: list[Any] | None = None) -> Policy:
    """The compiled policy with team-size dated (`condition`: from/to) and/or the basic software
    market's list replaced by `basic`."""
    data = copy.deepcopy(load_policy().data)
    team = next(c for c in data["criteria"]["conditions"] if c["id"] == "team-size")
    team.update(condition or {})
    if basic is not None:
        data["markets"]["markets"][0]["conditions"] = basic
    return Policy(data)


def _ids(part: dict[str, Any]) -> list[str]:
    return [c["id"] for c in part["criteria"]]


def test_a_condition_that_starts_on_a_date_does_not_apply_before_it() -> None:
    policy = _policy({"from": "2027-03-01"})
    small = {**BASE, "team_size": 3}
    before = check_eligibility({**small, "as_of": "2027-02-28"}, policy=policy)
    assert "team-size" not in _ids(before["provider"]) and before["provider"]["eligible"] is True
    assert all("team-size" not in _ids(m) for m in before["categories"].values())
    on = check_eligibility({**small, "as_of": "2027-03-01"}, policy=policy)
    assert "team-size" in _ids(on["provider"]) and on["provider"]["eligible"] is False
    # the same answer from the live policy, where team-size has no dates, on the later day
    assert on["provider"] == check_eligibility({**small, "as_of": "2027-03-01"})["provider"]


def test_a_condition_that_ends_on_a_date_applies_to_that_day_and_not_after() -> None:
    policy = _policy({"to": "2027-06-30"})
    small = {**BASE, "team_size": 3}
    assert "team-size" in _ids(check_eligibility({**small, "as_of": "2027-06-30"}, policy=policy)["provider"])
    after = check_eligibility({**small, "as_of": "2027-07-01"}, policy=policy)
    assert "team-size" not in _ids(after["provider"]) and after["provider"]["eligible"] is True


def test_a_place_in_one_markets_list_can_start_on_its_own_date() -> None:
    basic = copy.deepcopy(load_policy().markets[0]["conditions"])
    basic[basic.index("team-size")] = {"id": "team-size", "from": "2027-03-01"}
    policy = _policy(basic=basic)
    small = {**BASE, "team_size": 3, "as_of": "2027-01-04"}
    result = check_eligibility(small, policy=policy)
    assert "team-size" in _ids(result["provider"])  # the provider's own list is not dated
    assert "team-size" not in _ids(result["categories"]["basic_software"])
    assert "team-size" in _ids(result["categories"]["api"])
    later = check_eligibility({**small, "as_of": "2027-03-01"}, policy=policy)
    assert "team-size" in _ids(later["categories"]["basic_software"])


def _provider_section(model: dict[str, Any]) -> dict[str, Any]:
    """The provider's section of a self-check's display model (after its first line, the decision)."""
    return next(block for block in model["blocks"] if block["kind"] == "section" and block["key"] == "provider")


def _dated(condition_id: str, **days: str) -> Policy:
    data = copy.deepcopy(load_policy().data)
    next(c for c in data["criteria"]["conditions"] if c["id"] == condition_id).update(days)
    return Policy(data)


YOUNG = {**BASE, "license_established_on": "2025-05-20", "as_of": "2026-11-26"}  # markets' licence: 2027-05-21


@pytest.mark.parametrize(("team_size", "starts", "eligible_from"), [
    (3, "2027-03-01", None),  # applies by 2027-05-21 and time will not fix it
    (20, "2027-03-01", "2027-05-21"),  # applies by then, and is met
    (3, "2027-06-01", "2027-05-21"),  # starts only after that day: eligible on it
])
def test_eligible_from_is_a_day_on_which_the_conditions_that_start_by_then_hold_too(
        team_size: int, starts: str, eligible_from: str | None) -> None:
    result = check_eligibility({**YOUNG, "team_size": team_size}, policy=_dated("team-size", **{"from": starts}))
    basic = result["categories"]["basic_software"]
    assert "team-size" not in _ids(basic) and basic["eligible"] is False
    assert [c["id"] for c in basic["criteria"] if not c["met"]] == ["licence-age-market"]
    assert basic["criteria"][1]["met_from"] == "2027-05-21"
    assert basic["eligible_from"] == eligible_from
    # the same day as the self-check on that day says: eligible then, or not
    if eligible_from:
        on = check_eligibility({**YOUNG, "team_size": team_size, "as_of": eligible_from},
                               policy=_dated("team-size", **{"from": starts}))["categories"]["basic_software"]
        assert on["eligible"] is True
    on = check_eligibility({**YOUNG, "team_size": team_size, "as_of": "2027-05-21"},
                           policy=_dated("team-size", **{"from": starts}))["categories"]["basic_software"]
    assert on["eligible"] is (eligible_from == "2027-05-21")


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "From 2027-03-01 this condition also applies: A technical and customer-service team of 15 people or more "
           "(your answers now: {reason})"),
    ("zh", "自 2027-03-01 起还须满足：具有 15 人以上的技术及客服团队（按现在的回答：{reason}）"),
])
def test_the_note_of_a_condition_to_come_says_why_the_answers_given_do_not_meet_it(lang: str, said: str) -> None:
    small = {**YOUNG, "team_size": 3}
    result = check_eligibility(small, lang=lang, policy=_dated("team-size", **{"from": "2027-03-01"}))
    reason = next(c["reason"] for c in check_eligibility(small, lang=lang)["provider"]["criteria"]
                  if c["id"] == "team-size")  # the live policy, where it applies now
    assert reason and result["categories"]["basic_software"]["eligible_from"] is None
    model = display("eligibility", result, lang)
    basic = next(b for b in model["blocks"] if b.get("key") == "basic_software")
    assert said.format(reason=reason) in basic["notes"]
    policy = _dated("team-size", **{"from": "2027-03-01"})
    met = display("eligibility", check_eligibility(YOUNG, lang=lang, policy=policy), lang)
    assert said.split("(" if lang == "en" else "（")[0].rstrip() in "\n".join(_provider_section(met)["notes"])
    assert not any(("your answers now" if lang == "en" else "按现在的回答") in note
                   for block in met["blocks"] if block["kind"] == "section" for note in block["notes"])


def test_a_time_based_condition_that_starts_by_then_moves_eligible_from_to_the_day_it_holds() -> None:
    late = {**YOUNG, "experience_since": "2025-09-01"}  # two years of experience only later
    dated = check_eligibility(late, policy=_dated("industry-experience", **{"from": "2027-03-01"}))
    live = check_eligibility(late)  # the same condition in force now
    experience = next(c for c in live["categories"]["basic_software"]["criteria"] if c["id"] == "industry-experience")
    assert experience["met_from"] > "2027-05-21"
    assert dated["categories"]["basic_software"]["eligible_from"] == experience["met_from"] \
        == live["categories"]["basic_software"]["eligible_from"]
    # a condition that has ended by then does not hold anything up
    ended = check_eligibility(late, policy=_dated("industry-experience", **{"from": "2027-03-01", "to": "2027-04-30"}))
    assert ended["categories"]["basic_software"]["eligible_from"] == "2027-05-21"


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "From 2027-03-01 this condition also applies: A technical and customer-service team of 15 people or more"),
    ("zh", "自 2027-03-01 起还须满足：具有 15 人以上的技术及客服团队"),
])
def test_the_self_check_says_from_when_a_condition_applies_and_the_json_stays_the_contracts(
        lang: str, said: str) -> None:
    policy = _policy({"from": "2027-03-01"})
    result = check_eligibility({**BASE, "as_of": "2027-01-04"}, lang=lang, policy=policy)
    model = display("eligibility", result, lang)
    notes = [note for block in model["blocks"] if block["kind"] == "section" for note in block["notes"]]
    assert said in _provider_section(model)["notes"]
    assert notes.count(said) == 1 + len(policy.markets)  # the provider and every market list it
    # the contract's JSON is what it always was: the same keys, nothing about the schedule; the
    # live policy's answer without the condition not yet in force
    shown = json.loads(dumps(result))
    assert set(shown) == {"as_of", "policy_version", "provider", "categories"} and "2027-03-01" not in dumps(result)
    live = json.loads(dumps(check_eligibility({**BASE, "as_of": "2027-01-04"}, lang=lang)))
    for part in [live["provider"], *live["categories"].values()]:
        part["criteria"] = [c for c in part["criteria"] if c["id"] != "team-size"]
    assert shown == live
    ends = display("eligibility", check_eligibility({**BASE, "as_of": "2027-01-04"}, lang=lang,
                                                    policy=_policy({"to": "2027-06-30"})), lang)
    assert any("2027-06-30" in note for note in _provider_section(ends)["notes"])


def test_the_live_self_check_has_no_dated_condition_and_the_widgets_answer_is_the_clis() -> None:
    answer = json.loads(compute_json("eligibility", json.dumps(BASE), "en"))
    assert answer["ok"] and json.loads(answer["json"]) == json.loads(dumps(check_eligibility(BASE, lang="en")))
    assert "scheduled" not in answer["json"] and "scheduled" not in check_eligibility(BASE)


# --- the compile and the pages --------------------------------------------------------------------

def _scratch(tmp_path: Path, file: str, old: str, new: str) -> Path:
    policy = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, policy)
    text = (policy / file).read_text(encoding="utf-8")
    assert old in text
    (policy / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return policy


BASIC = "    conditions: [real-name-verified, licence-age-market, legal-qualification, team-size,"


@cpython_only
def test_a_dated_place_and_a_dated_condition_compile_and_the_pages_show_them_as_scheduled(tmp_path: Path) -> None:
    import datetime as dt

    from scripts.pages import fragments, page_site

    placed = BASIC.replace("team-size,", "{id: team-size, from: \"2027-03-01\"},")
    policy = _scratch(tmp_path, "markets.yaml", BASIC, placed)
    document = compile_policy(policy)
    assert document["markets"]["markets"][0]["conditions"][3] == {"id": "team-size", "from": "2027-03-01"}
    site = page_site.Site(document, dt.date(2026, 12, 1))
    markets = fragments.markets(site, "en").replace("\\", "")
    assert "(applies from 2027-03-01)" in markets
    assert "（自 2027-03-01 起适用）" in fragments.matrix(site, "zh")
    assert "(applies from 2027-03-01)" in fragments.conditions_provider(site, "en")  # "Applies to" the market
    text = (policy / "criteria.yaml").read_text(encoding="utf-8")
    marker = "  - id: team-size\n"
    dated = marker + '    from: "2027-03-01"\n    to: "2027-12-31"\n'
    (policy / "criteria.yaml").write_text(text.replace(marker, dated), encoding="utf-8")
    site = page_site.Site(compile_policy(policy), dt.date(2026, 12, 1))
    assert "**Schedule**: applies from 2027-03-01 to 2027-12-31" in fragments.conditions_provider(site, "en")
    assert "**日程**：自 2027-03-01 起适用，至 2027-12-31 止" in fragments.conditions_provider(site, "zh")


@cpython_only
@pytest.mark.parametrize(("file", "old", "new", "key", "says"), [
    ("markets.yaml", BASIC, BASIC.replace("team-size,", '{id: team-size, from: "2027-03-01", to: "2027-01-01"},'),
     "markets.markets[0].conditions[3].to", "'2027-01-01' is before from '2027-03-01'"),
    ("markets.yaml", BASIC, BASIC.replace("team-size,", '{id: team-size, from: "2027-03-01", until: "2027-06-01"},'),
     "markets.markets[0].conditions[3].until", "unknown key 'until' (a typo?); allowed keys here: from, id, to"),
    ("markets.yaml", BASIC, BASIC.replace("team-size,", '{id: team-sise, from: "2027-03-01"},'),
     "markets.markets[0].conditions[3]", "'team-sise' is not a condition id in criteria.yaml"),
    ("markets.yaml", BASIC, BASIC.replace("team-size,", '{id: team-size, from: "March 2027"},'),
     "markets.markets[0].conditions[3].from", "'March 2027' is not a date as YYYY-MM-DD in quotes"),
    ("criteria.yaml", "  - id: team-size\n", '  - id: team-size\n    from: "2027-03-01"\n    to: "2027-02-01"\n',
     "criteria.conditions[4].to", "'2027-02-01' is before from '2027-03-01'"),
])
def test_a_broken_date_of_a_condition_names_file_line_and_key(tmp_path: Path, file: str, old: str, new: str,
                                                              key: str, says: str) -> None:
    policy = _scratch(tmp_path, file, old, new)
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy)
    shown = [str(p) for p in caught.value.problems]
    matching = [p for p in caught.value.problems if says in p.message]
    assert matching and matching[0].key == key and matching[0].file.endswith(f"policy/{file}"), shown
    text = (policy / file).read_text(encoding="utf-8")
    marker = new.rstrip("\n").split("\n")[-1] if file == "criteria.yaml" else BASIC.split("[")[0]
    assert matching[0].line == text[: text.index(marker)].count("\n") + 1, shown


@cpython_only
def test_a_place_that_would_never_apply_is_refused(tmp_path: Path) -> None:
    placed = BASIC.replace("team-size,", '{id: team-size, to: "2027-01-01"},')
    policy = _scratch(tmp_path, "markets.yaml", BASIC, placed)
    text = (policy / "criteria.yaml").read_text(encoding="utf-8")
    dated = '  - id: team-size\n    from: "2027-03-01"\n'
    (policy / "criteria.yaml").write_text(text.replace("  - id: team-size\n", dated), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy)
    [problem] = caught.value.problems
    assert problem.key == "markets.markets[0].conditions[3]" and "would never apply here" in problem.message
