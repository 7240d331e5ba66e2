"""The command line: python -m calculators eligibility|fees|review [FILE|-] [--json] [--lang zh|en]."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from .api import compute, dumps, fees_from_csv
from .fees import fees_csv
from .inputs import InputError, Problem, parse_json
from .messages import LANGUAGES
from .report import render_report

__all__ = ["main"]

DESCRIPTION = """\
Kingsoft Cloud Marketplace (金山云云市场) provider calculators.

  eligibility  资格自测: can you become a provider and list in each market, and from when?
  fees         费用计算: platform service fee per order, the first-year waiver, invoices, totals
  review       审核时间估算: when to expect the review result, in working days

Each reads one JSON object from FILE, or from standard input when FILE is '-' or absent.
Without --json it prints a readable report (Chinese unless --lang en).
Exit status: 0 for any valid input (whatever the verdict), 2 for invalid input (the message
names the field), 1 for a bug in the calculators.
"""

EPILOG = """\
examples:
  echo '{"submitted_on": "2026-09-30"}' | python -m calculators review --lang en
  python -m calculators eligibility my-company.json --json
  python -m calculators fees --csv orders.csv --onboarded-on 2026-01-15 --out result.csv

input fields, defaults and the output are described on the site's "Data and API" page.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m calculators", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("calculator", choices=["eligibility", "fees", "review"], help="which calculator to run")
    parser.add_argument("file", nargs="?", default="-", metavar="FILE",
                        help="JSON input file; '-' or absent: standard input")
    parser.add_argument("--json", action="store_true", help="print the contract's JSON instead of a report")
    parser.add_argument("--lang", choices=LANGUAGES, default="zh", help="language of texts and messages (default zh)")
    parser.add_argument("--csv", metavar="ORDERS.csv",
                        help="fees only: read orders from CSV with the header id,date,amount[,refunded]")
    parser.add_argument("--onboarded-on", metavar="YYYY-MM-DD",
                        help="fees with --csv: the day onboarding was approved (starts the fee waiver)")
    parser.add_argument("--out", metavar="RESULT.csv", help="fees: also write the per-order result as CSV")
    return parser


def _read_bytes(path: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as error:
        raise InputError([Problem("", "file", value=f"{path}: {error.strerror}")]) from None


def _decode(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped), or InputError naming the first line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise InputError([Problem("", "encoding", line=row)]) from None


def run(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    lang = args.lang
    try:
        if args.csv is not None or args.onboarded_on is not None:
            if args.calculator != "fees" or args.csv is None:
                _parser().error("--csv and --onboarded-on go with the fees calculator, --onboarded-on with --csv")
            result = fees_from_csv(_decode(_read_bytes(args.csv)), args.onboarded_on, lang)
        else:
            result = compute(args.calculator, parse_json(_decode(_read_bytes(args.file))), lang)
    except InputError as error:
        print(error.text(lang), file=sys.stderr)
        return 2
    if args.out:
        if args.calculator != "fees":
            _parser().error("--out goes with the fees calculator")
        Path(args.out).write_text(fees_csv(result), encoding="utf-8")
    print(dumps(result) if args.json else render_report(args.calculator, result, lang).rstrip("\n"))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = "en" if "--lang=en" in arguments or "--lang en" in " ".join(arguments) else "zh"
    try:
        return run(arguments)
    except SystemExit as exit_:
        return int(exit_.code or 0) if isinstance(exit_.code, int) else 2
    except RuntimeError as error:  # the package was installed without its compiled policy
        print(error, file=sys.stderr)
        return 1
    except Exception:  # a bug: say so plainly; the traceback only on request
        if os.environ.get("CALCULATORS_DEBUG"):
            traceback.print_exc()
        message = {"zh": "计算器内部错误（请报告此问题；设置 CALCULATORS_DEBUG=1 可查看详情）",
                   "en": "internal error in the calculators (please report it; set CALCULATORS_DEBUG=1 for details)"}
        print(message[lang], file=sys.stderr)
        return 1
