"""Validate policy/ and write the compiled policy into the package and the site's data folder.

    python -m scripts.policy.compile_policy [--check] [--guard [--from REF]]

Exit 0 when the policy is valid (a passed review-by date only warns), 1 with every problem listed
as file:line: key: sentence when it is not. --check validates without writing. --guard (make check)
also compares the policy with its last release (scripts/policy/policy_release.py; --from: a git ref instead)
and refuses a changed policy without a new version and its changelog entry, or a version going back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from scripts.paths import BUILD, ROOT, write_if_changed
from scripts.policy.policy_load import POLICY_DIR, SCHEMA_FILE, PolicyError
from scripts.policy.policy_source import compile_policy, review_warning
from scripts.policy.site_url import site_url as default_site_url

PACKAGE_COPY = ROOT / "calculators" / "policy.json"
SITE_COPY = ROOT / "calculators" / "site.json"  # the site's base URL: the calculators' links to clauses
DATA_DIR = BUILD / "data"


def write_site_address(site_url: str | None = None, path: Path = SITE_COPY) -> None:
    """The site's base URL beside the package's policy (`site_url`, default SITE_URL or mkdocs.yml's),
    from which the calculators link each criterion to its clause."""
    site = {"url": site_url or default_site_url()}
    if not os.environ.get("SITE_URL"):
        site["assumed"] = True  # mkdocs.yml's default address: the CLI's report says so
    write_if_changed(path, json.dumps(site) + "\n")


def write_outputs(document: dict, policy_dir: Path = POLICY_DIR, package_copy: Path = PACKAGE_COPY,
                  data_dir: Path = DATA_DIR, site_url: str | None = None) -> None:
    """Write the compiled policy where the package and the site read it, and beside it in the package
    the site's base URL (`site_url`, default SITE_URL or mkdocs.yml's), from which the calculators
    link each criterion to its clause. An unchanged file is left alone (calculators/ is watched by
    the preview: an identical rewrite must not trigger a build)."""
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    write_if_changed(package_copy, text)
    write_site_address(site_url, package_copy.with_name(SITE_COPY.name))
    write_if_changed(data_dir / "policy.json", text)
    write_if_changed(data_dir / "policy.schema.json", (policy_dir / SCHEMA_FILE).read_bytes())


def problems_text(error: PolicyError) -> str:
    """Every problem of a broken policy source under a count, one a line as file:line: key: sentence:
    what `make policy`, `make sourcecheck` and the site build say."""
    return f"The policy source has {len(error.problems)} problem(s):\n" + "\n".join(f"  {p}" for p in error.problems)


def compiled(policy_dir: Path = POLICY_DIR) -> dict | None:
    """The compiled policy (after printing its warnings to stderr); None after printing every problem
    of a broken source to stderr."""
    warnings: list[str] = []
    try:
        document = compile_policy(policy_dir, warnings)
    except PolicyError as error:
        print(problems_text(error), file=sys.stderr)
        return None
    for warning in warnings:  # assumptions to review: never an error
        print(warning, file=sys.stderr)
    return document


def guarded(policy_dir: Path, from_ref: str | None) -> bool:
    """The version and changelog guard against the last release; False after printing its refusals. Without
    the history to compare with (a shallow clone, no git), says so and lets the rest of the check run."""
    from scripts.policy.policy_diff import policy_changes
    from scripts.policy.policy_load import load_source
    from scripts.policy.policy_release import NoRelease, guard, last_release

    try:
        release = last_release(from_ref)
    except NoRelease as error:
        print(f"warning: the version guard did not run: {error}", file=sys.stderr)
        return from_ref is None
    source = load_source(policy_dir)
    problems = guard(source, release, policy_changes(release.document, source.document, "en", every_text=True))
    if problems:
        print(f"The policy and its last release ({release.label}) disagree:\n"
              + "\n".join(f"  {p}" for p in problems), file=sys.stderr)
        return False
    print(f"policy {source.document['meta']['version']}: version and changelog agree with {release.label}")
    return True


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.policy.compile_policy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    parser.add_argument("--guard", action="store_true", help="refuse a change since the last release without a "
                        "new version and changelog entry")
    parser.add_argument("--from", dest="from_ref", help="with --guard: the git ref to compare with")
    parser.add_argument("--policy-dir", type=Path, default=POLICY_DIR, help=argparse.SUPPRESS)
    # tests: write the package copy and the data into OUT/calculators and OUT/data instead
    parser.add_argument("--out-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    document = compiled(args.policy_dir)
    if document is None:
        return 1
    warning = review_warning(document, dt.date.today())
    if warning:
        print(warning, file=sys.stderr)
    if args.guard and not guarded(args.policy_dir, args.from_ref):
        return 1
    if not args.check:
        package_copy, data_dir = (PACKAGE_COPY, DATA_DIR) if args.out_dir is None else \
            (args.out_dir / "calculators" / "policy.json", args.out_dir / "data")
        write_outputs(document, args.policy_dir, package_copy, data_dir)
        print(f"policy {document['meta']['version']} compiled: {_shown(package_copy)}, {data_dir}/policy.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
