"""Build the site for tests: the project's into build/test-site/ (never site/, which may hold a publish
build), or a scratch copy of the project with edits."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from scripts.paths import ROOT

SITE = ROOT / "build" / "test-site"  # `make test` builds here too
PROJECT_PARTS = ("calculators", "scripts", "policy", "docs", "overrides", "hooks", "examples", "requirements",
                 "mkdocs.yml", "pyproject.toml", "README.md", "package.json")


def build(project: Path = ROOT, site_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the strict MkDocs build of `project` (the project itself into build/test-site/, a scratch
    copy into its own site/, unless `site_dir`); returns the finished process."""
    from scripts.site_build import strict_build

    if site_dir is None and project == ROOT:
        site_dir = SITE
    return strict_build(project, site_dir)


def built_site() -> Path:
    """build/test-site/ as a finished build leaves it (pages, host files, the nginx snippet and the
    Caddyfile beside it); built first if not."""
    from scripts.assets.host_config import CADDY_FILE, NGINX_FILE, host_dir

    host = host_dir(SITE)
    if not all(path.exists() for path in (SITE / "self-check" / "index.html", SITE / "_headers",
                                          host / NGINX_FILE.name, host / CADDY_FILE.name)):
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
