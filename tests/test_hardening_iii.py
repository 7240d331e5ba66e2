"""Hardening III: problems counted without bound but kept up to a limit, every CSV row accounted
for, files written whole, the command line's faults (stdout, stderr, SIGINT, options) as exit 2 or
130, CSV cells as strict as JSON. Heavy cases run in a subprocess under limits (tests/limits.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calculators.inputs import MAX_PROBLEMS

from .conftest import cpython_only
from .limits import run_limited

pytestmark = cpython_only
ROOT = Path(__file__).resolve().parent.parent


def _tail(stderr: bytes) -> str:
    return stderr.decode("utf-8").rstrip("\n").splitlines()[-1]


@pytest.mark.parametrize("lang, last", [("en", "… and 2,999,{more} more"), ("zh", "……另有 2,999,{more} 个问题未列出")])
def test_a_million_empty_orders_print_a_bounded_list_and_a_count(lang: str, last: str) -> None:
    text = '{"orders":[' + ",".join(["{}"] * 1_000_000) + "]}"
    result = run_limited(["-m", "calculators", "fees", "-", "--lang", lang], stdin=text.encode())
    assert result.returncode == 2, result.describe()
    assert result.stdout == b""
    lines = result.stderr.decode("utf-8").rstrip("\n").splitlines()
    assert len(lines) == MAX_PROBLEMS + 1  # three problems an order: 3,000,000 in all
    assert lines[-1] == last.format(more=f"{1_000 - MAX_PROBLEMS:03d}")
    assert lines[0].startswith("orders[0].id")
    assert len(result.stderr) < 100_000


def test_unknown_keys_by_the_hundred_thousand_are_counted_not_kept() -> None:
    keys = 600_000
    text = "{" + ",".join(f'"k{i}":1' for i in range(keys)) + "}"
    result = run_limited(["-m", "calculators", "review", "-", "--lang", "en"], stdin=text.encode())
    assert result.returncode == 2, result.describe()
    assert _tail(result.stderr) == f"… and {keys + 1 - MAX_PROBLEMS:,} more"  # and the missing submitted_on


def test_memory_is_flat_in_the_number_of_problems() -> None:
    """The same orders with one problem each and with twenty: the peak differs by less than the
    problems would take if kept (20 × 200,000 messages are hundreds of megabytes)."""
    script = ("import resource, sys\nfrom calculators import compute, InputError\n"
              "n, keys = 200_000, int(sys.argv[1])\n"
              "orders = [{f'k{j}': 1 for j in range(keys)} for _ in range(n)]\n"
              "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
              "try:\n    compute('fees', {'orders': orders}, 'en')\nexcept InputError as error:\n"
              "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
              "    print(error.total, len(error.problems), peak - base)\n")
    grown = {}
    for keys in (1, 20):
        result = run_limited(["-c", script, str(keys)], cpu=30)
        assert result.returncode == 0, result.describe()
        total, kept, grown[keys] = map(int, result.stdout.split())
        assert total == 200_000 * (keys + 3) and kept == MAX_PROBLEMS
    assert grown[20] - grown[1] < 20_000, grown  # kilobytes


def test_the_page_gets_a_bounded_answer_for_any_number_of_bad_rows() -> None:
    """200,000 rows of x,y,z,w (the file that crashed the tab): the worker's answer names the first
    rows of each kind and counts them all; the error report lists every row."""
    script = ("import json, resource\nfrom calculators import api\n"
              "text = 'id,date,amount,refunded\\n' + 'x,y,z,w\\n' * 200_000\n"
              "answer = json.loads(api.compute_paged('fees', '{}', 'en', text))\n"
              "report = api.batch_file('errors_csv')\n"
              "print(json.dumps({'size': len(json.dumps(answer)), 'errors': len(answer['errors']),\n"
              "  'counts': answer['error_rows'],\n"
              "  'report_rows': len({line.split(',')[0] for line in report.splitlines()[1:]})}))\n")
    result = run_limited(["-c", script], cpu=40)
    assert result.returncode == 0, result.describe()
    got = json.loads(result.stdout)
    assert got["size"] < 50_000 and got["errors"] == 4 * 5  # four kinds of problem, five rows each
    assert got["counts"] == {"rows": 200_000, "groups": {"date|date": 200_000, "money|amount": 200_000,
                                                         "money|refunded": 200_000, "duplicate_id|id": 199_999}}
    assert got["report_rows"] == 200_000
