"""Validate policy/ and write the compiled policy into the package and the site's data folder.

    python -m scripts.compile_policy [--check]

Exit 0 when the policy is valid (a passed review-by date only warns), 1 with every problem listed
as file:line: key: sentence when it is not. --check validates without writing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from .paths import BUILD, ROOT, write_if_changed
from .policy_source import POLICY_DIR, SCHEMA_FILE, PolicyError, compile_policy, review_warning

PACKAGE_COPY = ROOT / "calculators" / "policy.json"
DATA_DIR = BUILD / "data"


def write_outputs(document: dict, policy_dir: Path = POLICY_DIR, package_copy: Path = PACKAGE_COPY,
                  data_dir: Path = DATA_DIR) -> None:
    """Write the compiled policy where the package and the site read it; an unchanged file is left
    alone (calculators/ is watched by the preview: an identical rewrite must not trigger a build)."""
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    write_if_changed(package_copy, text)
    write_if_changed(data_dir / "policy.json", text)
    write_if_changed(data_dir / "policy.schema.json", (policy_dir / SCHEMA_FILE).read_bytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.compile_policy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    parser.add_argument("--policy-dir", type=Path, default=POLICY_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        document = compile_policy(args.policy_dir)
    except PolicyError as error:
        print(f"The policy source has {len(error.problems)} problem(s):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    warning = review_warning(document, dt.date.today())
    if warning:
        print(warning, file=sys.stderr)
    if not args.check:
        write_outputs(document, args.policy_dir)
        print(f"policy {document['meta']['version']} compiled: {PACKAGE_COPY.relative_to(ROOT)}, "
              f"{DATA_DIR}/policy.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
