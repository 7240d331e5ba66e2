"""Freeze the live policy as the developers' test fixture: tests/fixtures/policy/ and its compiled policy.json.

    python -m scripts.policy.freeze_policy [--check]

The calculators' tests (tests/*.py, tests/cases/*.yaml, the run in Pyodide) read this frozen copy, never
the live policy/, so a docs-team edit of policy/ cannot turn them red; refreeze only when the tests are
meant to follow (a developer's choice, with the tests' expectations updated in the same commit).
--check: exit 1 when tests/fixtures/policy.json is not the compiled form of tests/fixtures/policy/.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys

from scripts.paths import ROOT
from scripts.policy.policy_load import POLICY_DIR
from scripts.policy.policy_source import compile_policy

FIXTURES = ROOT / "tests" / "fixtures"
FROZEN_DIR = FIXTURES / "policy"
FROZEN_JSON = FIXTURES / "policy.json"


def text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.policy.freeze_policy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check that the fixture's two forms agree")
    args = parser.parse_args(argv)
    if args.check:
        fresh = FROZEN_JSON.exists() and FROZEN_JSON.read_text(encoding="utf-8") == text(compile_policy(FROZEN_DIR))
        if not fresh:
            print("tests/fixtures/policy.json is not the compiled tests/fixtures/policy/: "
                  "run `python -m scripts.policy.freeze_policy`", file=sys.stderr)
        return 0 if fresh else 1
    document = compile_policy(POLICY_DIR)
    shutil.rmtree(FROZEN_DIR, ignore_errors=True)
    shutil.copytree(POLICY_DIR, FROZEN_DIR)
    FROZEN_JSON.write_text(text(document), encoding="utf-8")
    print(f"policy {document['meta']['version']} frozen into {FROZEN_DIR.relative_to(ROOT)} and "
          f"{FROZEN_JSON.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
