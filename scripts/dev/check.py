"""The docs team's lane (`make check`): everything a policy or page edit must pass, in under two minutes.

    python -m scripts.dev.check [--from REF]

1. the policy: validation, the compile, and the version and changelog guard against the last release;
2. the strict site build, the figures and counts on the pages, the words (tests/test_site.py and
   tests/test_catalogue.py), and every condition of the live policy met and unmet (tests/test_live_policy.py);
3. what changed since the last release (`make diff`).
Every step runs, so one run shows every problem; exit 1 when any failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from scripts.paths import ROOT


def steps(from_ref: str | None) -> list[tuple[str, list[str]]]:
    since = ["--from", from_ref] if from_ref else []
    return [
        ("policy: validation, compile, version and changelog guard",
         ["-m", "scripts.policy.compile_policy", "--guard", *since]),
        ("strict build, figures and counts on the pages, words, the live policy's conditions",
         ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow", "tests/test_live_policy.py",
          "tests/test_catalogue.py", "tests/test_site.py"]),
        ("what changed since the last release", ["-m", "scripts.policy.policy_diff", *since]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.dev.check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="from_ref", help="compare with this git ref instead of the last release")
    args = parser.parse_args(argv)
    failed = []
    for title, command in steps(args.from_ref):
        print(f"== {title}", flush=True)
        started = time.monotonic()
        status = subprocess.run([sys.executable, *command], cwd=ROOT).returncode
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
        if status:
            failed.append(title)
    if failed:
        print("make check failed: " + "; ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
