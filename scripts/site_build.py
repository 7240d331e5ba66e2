"""The strict MkDocs build of the project, or of a scratch copy of it, as `make site` runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .paths import ROOT


def build_env(**extra: str) -> dict[str, str]:
    """The environment of a site build: the caller's, less CALCULATORS_POLICY (the site is built from the
    policy compiled into the package, whatever the caller reads), plus `extra`."""
    return {**{k: v for k, v in os.environ.items() if k != "CALCULATORS_POLICY"}, "NO_MKDOCS_2_WARNING": "1", **extra}


def strict_build(project: Path = ROOT, site_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Build `project` into its site/ (or `site_dir`) in a new process; returns the finished process,
    its output captured (a failed build's problems are in it)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml")]
    if site_dir is not None:
        command += ["-d", str(site_dir)]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600, env=build_env())
