"""Build the site for tests: the real one in site/, or a scratch copy of the project with edits."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
PROJECT_PARTS = ("calculators", "scripts", "policy", "docs", "overrides", "hooks", "examples", "requirements",
                 "mkdocs.yml", "pyproject.toml", "README.md", "package.json")


def build(project: Path = ROOT, site_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the strict MkDocs build of `project`; returns the finished process."""
    from scripts.site_build import strict_build

    return strict_build(project, site_dir)


def built_site() -> Path:
    """site/ as a finished build leaves it (pages, host files, the nginx snippet); built first if not."""
    from scripts.host_config import NGINX_FILE

    if not all(path.exists() for path in (SITE / "self-check" / "index.html", SITE / "_headers", NGINX_FILE)):
        result = build()
        assert result.returncode == 0, result.stdout + result.stderr
    return SITE


def scratch_project(target: Path, policy: Path | None = None) -> Path:
    """A copy of everything the site build reads, to edit without touching the real project; with
    `policy`, that folder as its policy/ (the tests' frozen policy, whose lines their edits name)."""
    for part in PROJECT_PARTS:
        source = policy if part == "policy" and policy is not None else ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part,
                            ignore=shutil.ignore_patterns("__pycache__", "policy.json", "site.json"))
        else:
            shutil.copyfile(source, target / part)
    (target / "node_modules").symlink_to(ROOT / "node_modules")  # the runtime, as `npm ci` installed it
    # wheels already fetched at their pinned versions; files already compressed (the runtime's wasm
    # takes a minute of brotli); the trimmed standard library of an unchanged set of wheels
    for cache in ("wheel-cache", "compressed", "stdlib"):
        if (ROOT / "build" / cache).is_dir():
            shutil.copytree(ROOT / "build" / cache, target / "build" / cache)
    return target
