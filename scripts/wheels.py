"""Build the calculators wheel and fetch the pure-Python wheels that run with it in Pyodide.

    python -m scripts.wheels [--test]

Writes build/wheels/ (the calculators wheel, with its compiled policy, and chinesecalendar) and,
with --test, build/test-wheels/ (pytest, hypothesis and their dependencies, for running the test
suite inside Pyodide). Versions are the pins in requirements/dev.txt.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .policy_source import ROOT

WHEELS = ROOT / "build" / "wheels"
TEST_WHEELS = ROOT / "build" / "test-wheels"
CACHE = ROOT / "build" / "wheel-cache"
# Pure-Python packages the calculators import, with the calculators that need each.
RUNTIME_PACKAGES = {"chinesecalendar": ("review",)}
TEST_PACKAGES = ("pytest", "iniconfig", "packaging", "pluggy", "pygments", "hypothesis", "sortedcontainers")


def pins() -> dict[str, str]:
    """Package name (lower case) -> pinned version, from requirements/dev.txt."""
    text = (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8")
    return {name.lower(): version for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)}


# A fixed timestamp makes the wheel reproducible: the same code and policy give the same bytes,
# hence the same content-hashed URL on the site and a browser cache that stays valid.
REPRODUCIBLE = {"SOURCE_DATE_EPOCH": "315532800"}


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", *args],
                   check=True, cwd=ROOT, env={**os.environ, **REPRODUCIBLE})


def _cached(name: str, version: str) -> list[Path]:
    prefix = f"{name.replace('-', '_')}-{version}-".lower()
    return sorted(p for p in CACHE.iterdir() if p.name.lower().startswith(prefix) and p.suffix == ".whl")


def fetch(packages: tuple[str, ...], target: Path) -> list[Path]:
    """Pure-Python wheels of `packages` at their pinned versions (cached under build/wheel-cache)."""
    versions = pins()
    CACHE.mkdir(parents=True, exist_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    found = []
    for name in packages:
        if not _cached(name, versions[name]):
            _pip("download", "--no-deps", "--only-binary=:all:", "--platform", "any", "--python-version", "3.14",
                 "--implementation", "py", "-d", str(CACHE), f"{name}=={versions[name]}")
        cached = _cached(name, versions[name])
        if not cached:
            raise SystemExit(f"no pure-Python wheel of {name}=={versions[name]}")
        copy = target / cached[0].name
        shutil.copyfile(cached[0], copy)
        found.append(copy)
    return found


def build_calculators(target: Path = WHEELS) -> Path:
    """The calculators wheel, with the policy compiled into it (run the compiler first)."""
    if not (ROOT / "calculators" / "policy.json").exists():
        raise SystemExit("calculators/policy.json is missing: run `python -m scripts.compile_policy` first")
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("ksyun_marketplace_calculators-*.whl"):
        old.unlink()
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(target), ".")
    shutil.rmtree(ROOT / "build" / "lib", ignore_errors=True)
    shutil.rmtree(ROOT / "build" / "bdist.linux-x86_64", ignore_errors=True)
    for info in ROOT.glob("*.egg-info"):
        shutil.rmtree(info)
    return next(target.glob("ksyun_marketplace_calculators-*.whl"))


def build_all(test: bool = False) -> list[Path]:
    wheels = [build_calculators(), *fetch(tuple(RUNTIME_PACKAGES), WHEELS)]
    if test:
        wheels += fetch(TEST_PACKAGES, TEST_WHEELS)
    return wheels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.wheels", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--test", action="store_true", help="also fetch the test tools' wheels")
    args = parser.parse_args(argv)
    for wheel in build_all(args.test):
        print(wheel.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
