"""Run the calculators' test suite inside Pyodide (Node), the same tests as in CPython.

    python -m scripts.dev.pyodide_tests

Builds the wheels and the site's trimmed standard library (scripts/assets/stdlib_zip.py), which the
runtime starts with here as in the page, with the calculators' wheels compiled as the site serves
them; copies tests/ with the YAML cases converted to JSON (PyYAML has no pure-Python wheel for
Pyodide), examples/ and scripts/paths.py, into build/pyodide-tests/, and runs tests/pyodide/run.mjs
with Node. Tests that need subprocesses or the build tools skip themselves there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import yaml

from scripts.assets.stdlib_zip import compiled_wheels, trimmed_stdlib
from scripts.assets.wheels import RUNTIME_PACKAGES, build_all
from scripts.paths import BUILD, ROOT

WORK = BUILD / "pyodide-tests"


def prepare() -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    shutil.copytree(ROOT / "tests", WORK / "tests", ignore=shutil.ignore_patterns("__pycache__", "pyodide"))
    for case_file in (WORK / "tests" / "cases").glob("*.yaml"):
        data = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        case_file.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    shutil.copytree(ROOT / "examples", WORK / "examples")  # the example inputs some tests start from
    shutil.copyfile(ROOT / "pyproject.toml", WORK / "pyproject.toml")
    (WORK / "scripts").mkdir()  # where the tests find the checkout (scripts.paths.ROOT: in the run, this copy)
    for name in ("__init__.py", "paths.py"):
        shutil.copyfile(ROOT / "scripts" / name, WORK / "scripts" / name)


def main() -> int:
    wheels = build_all(test=True)
    site = wheels[: 1 + len(RUNTIME_PACKAGES)]  # the calculators' wheels
    stdlib = trimmed_stdlib(site)
    wheels = compiled_wheels(site) + wheels[len(site):]  # as the site serves them, compiled; the test tools' plain
    prepare()
    command = ["node", str(ROOT / "tests" / "pyodide" / "run.mjs"), str(WORK), str(stdlib), *map(str, wheels)]
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
