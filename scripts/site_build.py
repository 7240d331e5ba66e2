"""The strict MkDocs build of the project or of a scratch copy of it: every site build's one command line.

    python -m scripts.site_build [-d SITE_DIR]        (what `make site` and `make test` run)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from scripts.paths import ROOT


def build_env(**extra: str) -> dict[str, str]:
    """The environment of a site build: the caller's, less CALCULATORS_POLICY (the site is built from the
    policy compiled into the package, whatever the caller reads), plus `extra`."""
    return {**{k: v for k, v in os.environ.items() if k != "CALCULATORS_POLICY"}, "NO_MKDOCS_2_WARNING": "1", **extra}


def build_command(project: Path = ROOT, site_dir: Path | None = None) -> list[str]:
    """The strict build of `project` into its site/ (or `site_dir`), as a command line."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml")]
    return command if site_dir is None else [*command, "-d", str(site_dir)]


def strict_build(project: Path = ROOT, site_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Build `project` into its site/ (or `site_dir`) in a new process; returns the finished process,
    its output captured (a failed build's problems are in it)."""
    return subprocess.run(build_command(project, site_dir), cwd=project, capture_output=True, text=True, timeout=600,
                          env=build_env())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.site_build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-d", "--site-dir", type=Path, help="the folder to build into (default: site/)")
    args = parser.parse_args(argv)
    return subprocess.run(build_command(ROOT, args.site_dir), cwd=ROOT, env=build_env()).returncode


if __name__ == "__main__":
    sys.exit(main())
