"""Fetch every external link of the policy (its source pages) and report each one's status.

    python -m scripts.policy.linkcheck [--timeout 15]

Opt-in (`make linkcheck`), where a network exists; the offline tests only check the links' form.
Exit 1 if any link fails.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request

from scripts.policy.policy_source import compile_policy


def check(url: str, timeout: float) -> tuple[bool, str]:
    request = urllib.request.Request(url, method="GET", headers={"User-Agent": "policy-linkcheck/1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the policy's own URLs
            return 200 <= response.status < 400, str(response.status)
    except urllib.error.HTTPError as error:
        return False, f"HTTP {error.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        return False, str(getattr(error, "reason", error))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.policy.linkcheck", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=15)
    args = parser.parse_args(argv)
    failed = 0
    for source in compile_policy()["sources"]:
        ok, status = check(source["url"], args.timeout)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {status:>10}  {source['id']}  {source['url']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
