"""The version and changelog guard against the last release, read from git offline, and its messages."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import FROZEN_POLICY_DIR, IN_PYODIDE

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="the policy tool chain runs at build time, in CPython")

if not IN_PYODIDE:
    from scripts.policy.policy_diff import policy_changes, schedule
    from scripts.policy.policy_load import load_source
    from scripts.policy.policy_release import NoRelease, Release, guard, last_release, policy_at, released_policies


def _release(document: dict, label: str = "the release tag policy-2026.11.1") -> Release:
    return Release("policy-2026.11.1", label, document)


def _source():
    return load_source(FROZEN_POLICY_DIR)


def _released_copy() -> dict:
    return copy.deepcopy(_source().document)


def test_an_unchanged_policy_passes() -> None:
    source = _source()
    assert guard(source, _release(_released_copy()), []) == []


def test_a_changed_figure_without_a_new_version_names_meta_yaml_what_changed_and_the_fix() -> None:
    released = _released_copy()
    released["fees"]["platform_fee"]["rate"] = {"2026-11-26": "0.12"}
    source = _source()
    changes = policy_changes(released, source.document, "en", every_text=True)
    assert changes == ["fees.platform_fee.rate: 0.12 from 2026-11-26 → 0.10 from 2026-11-26"]
    problems = guard(source, _release(released), changes)
    assert len(problems) == 1
    text = str(problems[0])
    assert text.startswith("tests/fixtures/policy/meta.yaml:3: meta.version: the policy changed since the release "
                           "tag policy-2026.11.1 (fees.platform_fee.rate: 0.12 from 2026-11-26 → 0.10 from 2026-11-26)")
    assert "set `version` to 2026.11.2 in policy/meta.yaml" in text and "top of policy/changelog.yaml" in text


def test_a_wording_change_in_one_language_needs_a_version_too() -> None:
    released = _released_copy()
    released["markets"]["markets"][0]["name"]["en"] = "Basic software"
    assert len(guard(_source(), _release(released), [])) == 1


def test_bookkeeping_alone_needs_no_version() -> None:
    released = _released_copy()
    released["meta"]["reviewed_on"] = "2026-01-01"
    released["meta"]["review_by"] = "2026-06-01"
    assert guard(_source(), _release(released), []) == []


def test_a_version_lower_than_the_last_release_is_refused() -> None:
    released = _released_copy()
    released["meta"]["version"] = "2027.1.0"
    problems = [str(p) for p in guard(_source(), _release(released), [])]
    assert any("2026.11.1 is lower than 2027.1.0" in p and "set it to 2027.1.1 or higher" in p for p in problems)


def test_a_released_changelog_entry_left_as_it_was() -> None:
    released = _released_copy()
    released["changelog"][1]["changes"][0]["en"] = "Something else."
    problems = [str(p) for p in guard(_source(), _release(released), [])]
    assert len(problems) == 1 and "tests/fixtures/policy/changelog.yaml:" in problems[0]
    assert "the entry of version 2026.11.0, already released" in problems[0]


def test_schedules_are_shown_in_both_languages() -> None:
    rate = {"2026-11-26": "0.10", "2027-03-01": "0.08"}
    assert schedule(rate, "en") == "0.10 from 2026-11-26; 0.08 from 2027-03-01"
    assert schedule(rate, "zh") == "自 2026-11-26 起 0.10；自 2027-03-01 起 0.08"


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=folder,
                          check=True, capture_output=True, text=True, timeout=60).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the frozen policy: version 2026.11.1 committed, then tagged."""
    folder = tmp_path / "repo"
    shutil.copytree(FROZEN_POLICY_DIR, folder / "policy")
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "2026.11.1")
    return folder


def test_the_last_release_is_the_newest_policy_tag_else_the_commit_that_first_recorded_the_version(
        repo: Path) -> None:
    first = _git(repo, "rev-parse", "HEAD")
    assert last_release(root=repo).label.startswith(f"version 2026.11.1 as first recorded (commit {first[:10]}")
    fees = repo / "policy" / "fees.yaml"
    fees.write_text(fees.read_text(encoding="utf-8").replace('"0.10"', '"0.12"'), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "a figure changed after 2026.11.1 was recorded, without a new version")
    release = last_release(root=repo)
    assert release.ref == first and release.document["fees"]["platform_fee"]["rate"] == {"2026-11-26": "0.10"}
    meta = repo / "policy" / "meta.yaml"  # a new version in the making: compared with the last commit
    meta.write_text(meta.read_text(encoding="utf-8").replace('"2026.11.1"', '"2026.11.2"'), encoding="utf-8")
    assert last_release(root=repo).label.startswith("the last commit (")
    _git(repo, "tag", "policy-2026.11.1", first)
    release = last_release(root=repo)
    assert release.label == "the release tag policy-2026.11.1" and release.document["meta"]["version"] == "2026.11.1"
    assert policy_at("HEAD", repo)["fees"]["platform_fee"]["rate"] == {"2026-11-26": "0.12"}


def test_without_git_history_the_message_says_why_and_what_to_do(tmp_path: Path, repo: Path) -> None:
    nowhere = tmp_path / "nowhere"  # a copy without .git (a downloaded archive)
    shutil.copytree(FROZEN_POLICY_DIR, nowhere / "policy")
    with pytest.raises(NoRelease, match="no git history to compare with .*make check FROM=<ref>"):
        last_release(root=nowhere)
    with pytest.raises(NoRelease, match="git cannot read policy/ at no-such-ref"):
        last_release("no-such-ref", root=repo)
    shallow = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    with pytest.raises(NoRelease, match="shallow clone; run `git fetch --unshallow`"):
        released_policies(shallow)
    assert last_release(root=shallow).document["meta"]["version"] == "2026.11.1"  # the guard still runs
