"""A docs-team change end to end, in a scratch copy of the project: a dated rate, a dated threshold, the
free year ending, a market opening, a new condition for the API market, then a version and its changelog
entry. Without the version the guard refuses it, naming policy/meta.yaml and what changed; with it,
`make check` (the policy, the strict build, the figures, the live conditions, the diff) is green and the
diff shows each change. Slow: one site build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import IN_PYODIDE, live_env

pytestmark = [pytest.mark.slow, pytest.mark.skipif(IN_PYODIDE, reason="builds a scratch project in CPython")]

if not IN_PYODIDE:
    from . import docs_team_edits
    from .built_site import ROOT, scratch_project


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=project, capture_output=True, text=True, timeout=600,
                          env=live_env())


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=project,
                   check=True, capture_output=True, timeout=60)


def test_a_legitimate_policy_change_passes_make_check_once_recorded(tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "project")
    shutil.copytree(ROOT / "tests", project / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "the release before the change")

    docs_team_edits.edit_figures(project)
    refused = _run(project, "-m", "scripts.policy.compile_policy", "--check", "--guard")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "policy/meta.yaml:" in refused.stderr and "criteria.conditions[team-size].threshold" in refused.stderr
    assert "policy/changelog.yaml" in refused.stderr  # the fix: where the entry goes

    version = docs_team_edits.record_version(project)
    checked = _run(project, "-m", "scripts.dev.check")
    output = checked.stdout + checked.stderr
    assert checked.returncode == 0, output
    assert f"policy {version}: version and changelog agree" in output
    assert "fees.platform_fee.rate: 0.10 from 2026-11-26 → 0.10 from 2026-11-26; 0.08 from 2027-03-01" in output
    assert "API market opens from 2027-03-01" in output and "API市场 自 2027-03-01 起开放" in output
    assert "added markets.markets[api].conditions: api-stable-service" in output
    assert "fees.waiver.years: 1 from 2026-11-26 → 1 from 2026-11-26; none from 2027-03-01" in output
    assert "result of example eligibility.json, categories.api.criteria[api-stable-service]: none → met=false" \
        in output  # how the answers for examples/ change
    assert "added criteria.conditions[api-stable-service]" in output
    assert "新增 criteria.conditions[api-stable-service]" in output
    assert "criteria.conditions[team-size].threshold" in output
