"""The command line: python -m calculators eligibility|fees|review [FILE|-] [--json] [--lang zh|en]."""

from __future__ import annotations

import argparse
import codecs
import contextlib
import io
import os
import stat
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

from .answers import CSV_COMMAND
from .api import CALCULATORS, compute, dumps, fees_from_csv, fees_from_csv_rows
from .csv_io import errors_csv, fees_csv
from .encodings import decode_csv
from .inputs import InputError, Problem
from .json_input import MAX_INPUT_CHARS, parse_json
from .messages import LANGUAGES, escape_invisible, json_escape, printable, word
from .report import render_report

__all__ = ["COMMANDS", "main"]

# The command that runs each calculator on a file, offered wherever the page cannot compute.
COMMANDS = {
    "eligibility": "python -m calculators eligibility input.json",
    "fees": CSV_COMMAND,
    "review": "python -m calculators review input.json",
}

DESCRIPTION = """\
Kingsoft Cloud Marketplace (金山云云市场) provider calculators.

  eligibility  资格自测: can you become a provider and list in each market, and from when?
  fees         费用计算: platform service fee per order, the first-year waiver, invoices, totals
  review       审核时间估算: when to expect the review result, in working days

Each reads one JSON object from FILE, or from standard input when FILE is '-' or absent.
Without --json it prints a readable report (Chinese unless --lang en).
Exit status: 0 for any valid input (whatever the verdict), 2 for invalid input or a file that
cannot be read or written, or a standard output that cannot take the result (the message names the
field, the file or the option), 130 when interrupted (Ctrl+C), 1 for a bug in the calculators.
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
    parser.add_argument("calculator", choices=list(CALCULATORS), help="which calculator to run")
    parser.add_argument("file", nargs="?", default="-", metavar="FILE",
                        help="JSON input file; '-' or absent: standard input")
    parser.add_argument("--json", action="store_true", help="print the contract's JSON instead of a report")
    parser.add_argument("--lang", choices=LANGUAGES, default="zh", help="language of texts and messages (default zh)")
    parser.add_argument("--csv", metavar="ORDERS.csv",
                        help="fees only: read orders from CSV with the header id,date,amount[,refunded]")
    parser.add_argument("--onboarded-on", metavar="YYYY-MM-DD",
                        help="fees with --csv: the day onboarding was approved (starts the fee waiver)")
    parser.add_argument("--errors", metavar="ERRORS.csv",
                        help="fees with --csv: keep going past bad rows; write them here (row, id, field, "
                             "problem), compute the others, and name the rows left out in --out")
    parser.add_argument("--out", metavar="RESULT.csv",
                        help="fees: also write the per-order result as CSV ('-': to standard output, "
                             "instead of the report)")
    return parser


def _read_bytes(path: str) -> bytes:
    """The input's bytes, refused past MAX_INPUT_CHARS bytes without reading further."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_CHARS + 1)
        else:
            with open(path, "rb") as file:
                data = file.read(MAX_INPUT_CHARS + 1)
    except OSError as error:
        raise InputError([Problem("", "file", value=f"{path}: {error.strerror}")]) from None
    if len(data) > MAX_INPUT_CHARS:
        raise InputError([Problem("", "input_too_large", maximum=f"{MAX_INPUT_CHARS:,}")])
    return data


def _decode(data: bytes) -> str:
    """UTF-8 text (a BOM is dropped), or InputError naming the first line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise InputError([Problem("", "encoding", line=row)]) from None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _check_out(out: str, inputs: list[str], lang: str) -> None:
    """Refuse, before computing, an --out that is an input or that cannot be written."""
    def refuse(reason: str, **params: str) -> None:
        raise InputError([Problem("--out", "out_path", value=printable(out), reason=word(reason, lang, **params))])

    if any(path != "-" and _same_file(out, path) for path in inputs):
        refuse("out_is_input")
    target = Path(out)
    folder = target.parent
    if target.is_dir():
        refuse("out_is_folder")
    if not folder.is_dir():
        refuse("out_no_folder", folder=printable(str(folder)))
    if not os.access(target if target.exists() else folder, os.W_OK):
        refuse("out_denied")


# What a terminal that cannot show a character gets instead (text reports only).
FALLBACK = {"✓": "v", "✗": "x", "—": "-", "–": "-", "…": "...", "×": "x", "›": ">", "“": '"', "”": '"'}


def _degrade(error: UnicodeError) -> tuple[str, int]:
    chunk = error.object[error.start:error.end]  # type: ignore[attr-defined]
    return "".join(FALLBACK.get(c) or json_escape(c) for c in chunk), error.end  # type: ignore[attr-defined]


def _json_only(error: UnicodeError) -> tuple[str, int]:
    chunk = error.object[error.start:error.end]  # type: ignore[attr-defined]
    return "".join(json_escape(c) for c in chunk), error.end  # type: ignore[attr-defined]


codecs.register_error("calculators.report", _degrade)
codecs.register_error("calculators.json", _json_only)


def _write_stdout(text: str, is_json: bool) -> None:
    """Print `text` as the terminal's encoding allows: JSON with \\uXXXX escapes (the same data),
    a report with plain stand-ins (✓ as v) or escapes, for what the encoding cannot show."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = text.encode(encoding, "calculators.json" if is_json else "calculators.report").decode(encoding)
    except LookupError:
        pass
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _discard(fd: int) -> None:
    """From now on, what goes to file descriptor `fd` goes nowhere (a reader that closed standard
    output, as `… | head -1` does, or a device that is full): nothing waits to be written at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _pipe_closed() -> None:
    """The reader closed standard output (… | head -1): stop quietly, as other tools do."""
    _discard(1)


def _emit(text: str, is_json: bool, raw: bytes | None, lang: str) -> str | None:
    """Print the result (`raw`: bytes written as they are, a file's exact content); None when it
    was printed or the reader closed the pipe, else why it could not be (a closed standard output,
    a full device)."""
    stream = sys.stdout
    if stream is None:
        return word("stdout_closed", lang)
    try:
        if raw is None:
            _write_stdout(text, is_json)
        else:
            stream.flush()
            stream.buffer.write(raw)
            stream.buffer.flush()
    except BrokenPipeError:
        _pipe_closed()
    except OSError as error:  # a full device (ENOSPC), a descriptor open for reading only (EBADF)
        _discard(1)
        return error.strerror or str(error)
    except (ValueError, AttributeError):  # a stream closed, or one without bytes underneath
        return word("stdout_closed", lang)
    return None


def say(text: str) -> None:
    """A line on standard error; nothing, and no error, when standard error is closed or its reader gone."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except (OSError, ValueError):
        _discard(2)


def write_file(path: str, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: into a temporary file beside it, then renamed over
    it, so that the old content stays until the new is complete (a full disk, an interrupt). A path
    that is a device or a pipe, not a regular file, is written directly (nothing can be renamed
    over it); a symbolic link's target is replaced, the link kept."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(path, "wb") as file:
            file.write(data)
        return
    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _options_problem(args: argparse.Namespace) -> Problem | None:
    """An option whose value is empty, --out and --errors naming one file, or FILE beside --csv."""
    for option in ("csv", "onboarded_on", "out", "errors"):
        if getattr(args, option) == "":
            return Problem("--" + option.replace("_", "-"), "empty_option")
    if args.file == "":
        return Problem("FILE", "empty_option")
    if args.csv is not None and args.file != "-":
        return Problem("FILE", "file_with_csv", value=printable(args.file), csv=printable(args.csv))
    if args.out not in (None, "-") and args.errors is not None and (
            os.path.abspath(args.out) == os.path.abspath(args.errors) or _same_file(args.out, args.errors)):
        return Problem("--errors", "same_file", other="--out", value=printable(args.errors))
    return None


def run(argv: Sequence[str]) -> int:
    parser = _parser()
    args = parser.parse_intermixed_args(argv)  # options may stand anywhere, before or after FILE
    lang = args.lang
    if (args.csv is not None or args.onboarded_on is not None) and (args.calculator != "fees" or args.csv is None):
        parser.error("--csv and --onboarded-on go with the fees calculator, --onboarded-on with --csv")
    if args.out is not None and args.calculator != "fees":
        parser.error("--out goes with the fees calculator")
    if args.errors is not None and args.csv is None:
        parser.error("--errors goes with fees --csv")
    if args.errors == "-":
        parser.error("--errors needs a file name (standard output carries the result)")
    if args.out == "-" and args.json:
        parser.error("--out - writes the result CSV to standard output, where --json writes too; choose one")
    refused = _options_problem(args)
    if refused is not None:
        say(refused.text(lang))
        return 2
    left_out: list[Problem] = []
    try:
        for target in (args.out, args.errors):
            if target not in (None, "-"):
                _check_out(target, [args.csv if args.csv is not None else args.file], lang)
        if args.csv is not None and args.errors is not None:
            # the widget's way: the good rows are computed, the bad ones reported row by row
            text, encoding = decode_csv(_read_bytes(args.csv))
            result, left_out = fees_from_csv_rows(text, args.onboarded_on, lang, encoding=encoding)
        elif args.csv is not None:
            text, encoding = decode_csv(_read_bytes(args.csv))
            result = fees_from_csv(text, args.onboarded_on, lang, encoding=encoding)
        else:
            result = compute(args.calculator, parse_json(_decode(_read_bytes(args.file))), lang)
    except InputError as error:
        say(error.text(lang))
        return 2
    result_csv = fees_csv(result, left_out, lang).encode("utf-8") if args.out is not None else b""
    raw = None
    if args.out == "-":  # exactly what the file would hold
        output, is_json, raw = "", False, result_csv
    elif args.json:
        output, is_json = dumps(result), True
    else:
        output, is_json = escape_invisible(render_report(args.calculator, result, lang).rstrip("\n")), False
    # the result first; then the files, written even when it could not be printed
    unprinted = _emit(output, is_json, raw, lang)
    files = [(args.out, "--out", result_csv)]
    if args.errors is not None:
        files.append((args.errors, "--errors", errors_csv(left_out, lang).encode("utf-8")))
    for path, option, data in files:
        if path in (None, "-"):
            continue
        try:
            write_file(path, data)
        except OSError as error:
            problem = Problem(option, "out_path", value=printable(path), reason=error.strerror or str(error))
            say(problem.text(lang))
            return 2
    if unprinted is not None:
        say(word("stdout_failed", lang, reason=unprinted))
        return 2
    if left_out:  # the input was not all valid: say how much was left out, and where the report is
        rows = len({problem.row for problem in left_out if problem.row is not None}) or len(left_out)
        say(word("rows_left_out", lang, count=rows, file=printable(args.errors)))
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (130 after an interrupt, Ctrl+C)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = "en" if "--lang=en" in arguments or "--lang en" in " ".join(arguments) else "zh"
    try:
        return run(arguments)
    except SystemExit as exit_:
        return int(exit_.code or 0) if isinstance(exit_.code, int) else 2
    except KeyboardInterrupt:
        say(word("interrupted", lang))
        return 130
    except RuntimeError as error:  # the package was installed without its compiled policy
        say(str(error))
        return 1
    except Exception:  # a bug: say so plainly; the traceback only on request
        if os.environ.get("CALCULATORS_DEBUG"):
            traceback.print_exc()
        say(word("internal_error", lang))
        return 1
    finally:
        _settle()


def _settle() -> None:
    """Flush standard output and error now, so that nothing fails at exit (where Python would print
    an error and exit 120): a stream that cannot take it writes nowhere from now on."""
    for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
        if stream is None:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            _discard(fd)
