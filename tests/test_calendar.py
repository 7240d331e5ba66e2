"""Published holiday schedules (policy/calendar.yaml): the review follows an entered year, the package agrees."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from calculators import Policy, estimate_review, load_policy
from calculators.review import working_day

from .conftest import IN_PYODIDE, cpython_only

if not IN_PYODIDE:
    from scripts.policy import compile_policy as compile_script
    from scripts.policy.policy_load import POLICY_DIR, PolicyError
    from scripts.policy.policy_source import compile_policy


def _package_schedule(year: int) -> dict[str, Any]:
    """The year's schedule as `chinesecalendar` holds it, written as the docs team enters a notice."""
    import chinese_calendar

    names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    holidays: list[dict[str, Any]] = []
    makeup = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        if on_holiday and name:
            last = holidays[-1] if holidays else None
            if last and last["name"]["en"] == name and last["to"] == (day - dt.timedelta(days=1)).isoformat():
                last["to"] = day.isoformat()
            else:
                holidays.append({"name": {"zh": names[name], "en": name}, "from": day.isoformat(),
                                 "to": day.isoformat()})
        elif not on_holiday and day.weekday() >= 5:
            makeup.append(day.isoformat())
        day += dt.timedelta(days=1)
    return {"year": year, "source": {"title": f"国务院办公厅关于{year}年部分节假日安排的通知",
                                     "url": "https://www.gov.cn/example", "published_on": f"{year - 1}-11-01"},
            "holidays": holidays, "makeup_working_days": makeup}


MADE_UP = {  # a year no package knows, with invented days: what matters is that the review follows them
    "year": 2031,
    "source": {"title": "国务院办公厅关于2031年部分节假日安排的通知（测试）", "url": "https://www.gov.cn/test-2031",
               "published_on": "2030-11-05"},
    "holidays": [{"name": {"zh": "春节", "en": "Spring Festival"}, "from": "2031-01-22", "to": "2031-01-28"}],
    "makeup_working_days": ["2031-01-18", "2031-02-08"],
}


def _with(*schedules: dict[str, Any]) -> Policy:
    document = copy.deepcopy(load_policy().data)
    document["calendar"] = {"schedules": list(schedules)}
    return Policy(document)


def test_the_compiled_calendar_travels_in_the_policy_the_package_ships() -> None:
    assert load_policy().data["calendar"] == {"schedules": []}  # none entered yet: see policy/calendar.yaml
    assert load_policy().schedules == {}


def test_2026_entered_from_the_package_gives_the_packages_answer_for_every_day() -> None:
    import chinese_calendar

    schedule = _package_schedule(2026)
    assert len(schedule["holidays"]) >= 7 and schedule["makeup_working_days"]
    schedules = _with(schedule).schedules
    day = dt.date(2026, 1, 1)
    while day.year == 2026:
        workday, known, _ = working_day(day, [], schedules)
        assert known and workday == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
    for submitted_on in ("2026-09-18", "2026-09-29", "2026-02-13", "2026-12-30"):
        entered = estimate_review({"submitted_on": submitted_on}, policy=_with(schedule))
        package = estimate_review({"submitted_on": submitted_on}, policy=_with())
        assert entered["working_days"] == package["working_days"], submitted_on
        assert [s["date"] for s in entered["skipped"]] == [s["date"] for s in package["skipped"]]


def test_a_made_up_year_gives_the_days_its_schedule_implies_make_up_days_included() -> None:
    policy = _with(MADE_UP)
    before = estimate_review({"submitted_on": "2031-01-16"}, policy=policy)
    assert before["working_days"] == ["2031-01-17", "2031-01-18", "2031-01-20"]  # Saturday the 18th is worked
    assert before["makeup_working_days"] == [{"date": "2031-01-18", "reason": "调休上班"}]
    assert before["calendar_complete"] is True and before["warnings"] == []
    across = estimate_review({"submitted_on": "2031-01-20"}, lang="en", policy=policy)
    assert across["working_days"] == ["2031-01-21", "2031-01-29", "2031-01-30"]
    assert [s["date"] for s in across["skipped"]] == [f"2031-01-{d}" for d in range(22, 29)]
    assert {s["reason"] for s in across["skipped"]} == {"Spring Festival"}
    after = estimate_review({"submitted_on": "2031-02-06"}, policy=policy)
    assert after["working_days"] == ["2031-02-07", "2031-02-08", "2031-02-10"]
    # not entered: the same days are estimated from the regulation, and the answer says so
    estimated = estimate_review({"submitted_on": "2031-01-16"}, policy=_with())
    assert estimated["calendar_complete"] is False and estimated["warnings"]
    assert "2031-01-18" not in estimated["working_days"]


# --- the compile: refusals with file, line and key, and agreement with the package ----------------

def _write(tmp_path: Path, body: str) -> Path:
    policy_dir = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, policy_dir)
    (policy_dir / "calendar.yaml").write_text(body, encoding="utf-8")
    return policy_dir


def _yaml(schedule: dict[str, Any]) -> str:
    import json

    lines = [f"  - year: {schedule['year']}",
             f"    source: {json.dumps(schedule['source'], ensure_ascii=False)}", "    holidays:"]
    lines += [f"      - {json.dumps(h, ensure_ascii=False)}" for h in schedule["holidays"]]
    lines.append(f"    makeup_working_days: {json.dumps(schedule['makeup_working_days'])}")
    return "\n".join(lines) + "\n"


@cpython_only
def test_2026_entered_from_the_package_compiles_and_travels_in_the_compiled_policy(tmp_path: Path) -> None:
    schedule = _package_schedule(2026)
    document = compile_policy(_write(tmp_path, "schedules:\n" + _yaml(schedule) + _yaml(MADE_UP)))
    assert [s["year"] for s in document["calendar"]["schedules"]] == [2026, 2031]
    assert document["calendar"]["schedules"][0]["holidays"] == schedule["holidays"]


@cpython_only
def test_a_schedule_that_disagrees_with_the_package_fails_naming_the_first_day(tmp_path: Path, capsys: Any) -> None:
    schedule = _package_schedule(2026)
    national = next(h for h in schedule["holidays"] if h["name"]["en"] == "National Day")
    national["to"] = (dt.date.fromisoformat(national["to"]) + dt.timedelta(days=1)).isoformat()  # one day too many
    day = national["to"]
    body = "schedules:\n" + _yaml(schedule)
    policy_dir = _write(tmp_path, body)
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy_dir)
    [problem] = caught.value.problems
    index = schedule["holidays"].index(national)
    assert problem.file.endswith("policy/calendar.yaml") and problem.key == f"calendar.schedules[0].holidays[{index}]"
    assert problem.line == body[: body.index(national["from"])].count("\n") + 1
    assert f"disagree first on {day}: this schedule makes it a day off, the package a working day" in problem.message
    out = tmp_path / "out"
    assert compile_script.main(["--policy-dir", str(policy_dir), "--out-dir", str(out)]) == 1
    assert day in capsys.readouterr().err and not out.exists()


BASE = """schedules:
  - year: 2031
    source: {title: 国务院办公厅关于2031年部分节假日安排的通知, url: "https://www.gov.cn/x", published_on: "2030-11-05"}
    holidays:
      - {name: {zh: 元旦, en: New Year's Day}, from: "2031-01-01", to: "2031-01-01"}
      - {name: {zh: 春节, en: Spring Festival}, from: "2031-01-22", to: "2031-01-28"}
    makeup_working_days: ["2031-01-18", "2031-02-08"]
"""

REFUSALS = [  # (edit of BASE, the text on the line named, key, words of the message)
    (('to: "2031-01-01"}', 'to: "2032-01-01"}'), '"2032-01-01"', "calendar.schedules[0].holidays[0].to",
     "'2032-01-01' is not in 2031, the year of this schedule"),
    (('from: "2031-01-22", to: "2031-01-28"', 'from: "2031-01-28", to: "2031-01-22"'), '"2031-01-22"}',
     "calendar.schedules[0].holidays[1].to", "'2031-01-22' is before from '2031-01-28'; write the first day off"),
    (('from: "2031-01-01", to: "2031-01-01"', 'from: "2031-01-01", to: "2031-01-23"'), "{zh: 春节",
     "calendar.schedules[0].holidays[1]", "Spring Festival (2031-01-22 to 2031-01-28) overlaps New Year's Day"),
    (('["2031-01-18",', '["2031-01-17",'), "makeup_working_days", "calendar.schedules[0].makeup_working_days[0]",
     "'2031-01-17' is a Friday; a make-up working day is a Saturday or Sunday"),
    (('"2031-02-08"]', '"2031-01-25"]'), "makeup_working_days", "calendar.schedules[0].makeup_working_days[1]",
     "'2031-01-25' falls in Spring Festival (2031-01-22 to 2031-01-28); a day is either a day off or a make-up"),
    (('"2031-02-08"]', '"2030-12-28"]'), "makeup_working_days", "calendar.schedules[0].makeup_working_days[1]",
     "'2030-12-28' is not in 2031"),
    (("holidays:\n", "holidays:\n      - {name: {zh: 元旦, en: New Year's Day}, from: \"2031-01-01\"}\n"),
     "{name: {zh: 元旦, en: New Year's Day}, from: \"2031-01-01\"}", "calendar.schedules[0].holidays[0]",
     "missing key 'to'; add to: a date as YYYY-MM-DD in quotes, for example \"2026-11-26\" (an entry here needs "
     "name, from, to)"),
    (('published_on: "2030-11-05"', 'published_on: "2032-11-05"'), "source:",
     "calendar.schedules[0].source.published_on", "'2032-11-05' is after 2031, the year of this schedule"),
    (('url: "https://www.gov.cn/x", ', ''), "source:", "calendar.schedules[0].source",
     "missing key 'url'; add url: a web address starting with http:// or https://"),
    (('to: "2031-01-01"}', 'to: "2031-02-30"}'), '"2031-02-30"', "calendar.schedules[0].holidays[0].to",
     "is not a date as YYYY-MM-DD"),
]


@cpython_only
@pytest.mark.parametrize(("edit", "marker", "key", "says"), REFUSALS)
def test_a_broken_schedule_names_file_line_and_key(edit: tuple[str, str], marker: str, key: str, says: str,
                                                   tmp_path: Path, capsys: Any) -> None:
    assert edit[0] in BASE
    body = BASE.replace(*edit, 1)
    policy_dir = _write(tmp_path, body)
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy_dir)
    shown = [str(p) for p in caught.value.problems]
    matching = [p for p in caught.value.problems if says in p.message]
    assert matching, shown
    assert matching[0].file.endswith("policy/calendar.yaml") and matching[0].key == key, shown
    assert matching[0].line == body[: body.index(marker)].count("\n") + 1, shown
    out = tmp_path / "out"
    assert compile_script.main(["--policy-dir", str(policy_dir), "--out-dir", str(out)]) == 1
    assert says in capsys.readouterr().err and not out.exists()


@cpython_only
def test_a_year_entered_twice_is_refused_naming_the_first(tmp_path: Path) -> None:
    body = BASE + BASE.split("\n", 1)[1]
    with pytest.raises(PolicyError) as caught:
        compile_policy(_write(tmp_path, body))
    [problem] = caught.value.problems
    assert problem.key == "calendar.schedules[1].year" and problem.line == 8
    assert problem.message.startswith("2031 is entered twice (first on line 2)")


@cpython_only
def test_the_live_calendar_compiles_and_without_the_file_the_policy_has_no_schedules(tmp_path: Path) -> None:
    assert "schedules" in compile_policy()["calendar"]
    policy_dir = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, policy_dir)
    (policy_dir / "calendar.yaml").unlink()
    assert compile_policy(policy_dir)["calendar"] == {"schedules": []}


@cpython_only
def test_the_review_time_pages_show_each_entered_schedule_with_its_source() -> None:
    from scripts.pages import fragments, gen_pages, page_site

    document = compile_policy()
    document["calendar"] = {"schedules": [dict(MADE_UP, quote="春节：1月22日至28日放假调休，共7天。")]}
    site = page_site.Site(document, dt.date(2026, 12, 1))
    for lang, words in (("zh", ("2031 年节假日安排", "2031-01-22 至 2031-01-28", "发布日期：2030-11-05",
                                "调休上班日（计为工作日）：2031-01-18、2031-02-08")),
                        ("en", ("Holiday schedule for 2031", "2031-01-22 to 2031-01-28", "Published: 2030-11-05",
                                "2031-01-18, 2031-02-08"))):
        for fragment in (fragments.calendar(site, lang), fragments.process(site, lang)):
            assert "(https://www.gov.cn/test-2031)" in fragment and "{ #calendar-2031 }" in fragment
            assert all(word in fragment for word in words), fragment
            assert "「春节：1月22日至28日放假调休，共7天。」" in fragment
    empty = page_site.Site(compile_policy(), dt.date(2026, 12, 1))
    assert "chinesecalendar" in gen_pages.FRAGMENTS["calendar"](empty, "en") and "calendar-20" not in \
        gen_pages.FRAGMENTS["calendar"](empty, "en")
