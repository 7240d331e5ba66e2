"""Hardening III: problems counted without bound but kept up to a limit, every CSV row accounted
for, files written whole, the command line's faults (stdout, stderr, SIGINT, options) as exit 2 or
130, CSV cells as strict as JSON. Heavy cases run in a subprocess under limits (tests/limits.py)."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from calculators import InputError
from calculators.api import compute_json, fees_from_csv
from calculators.csv_io import read_orders_csv
from calculators.inputs import MAX_PROBLEMS
from scripts.paths import ROOT

from .conftest import cpython_only
from .limits import run_limited

pytestmark = cpython_only


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


# --- the command line's files, streams and options ---------------------------------------------

ORDERS = "id,date,amount\n" + "".join(f"o{i},2026-01-{i % 28 + 1:02d},{i}.50\n" for i in range(2_000))
BIG = 300_000


def cli(*args: str, stdin: bytes = b"", **popen: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "calculators", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=120, **popen)


@pytest.fixture
def orders(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    return path


def _file_size_limit(size: int) -> None:
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_a_file_that_cannot_be_written_whole_leaves_the_old_one_as_it_was(orders: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    out.write_text("the old result\n", encoding="utf-8")
    result = cli("fees", "--csv", str(orders), "--out", str(out), "--lang", "en",
                 preexec_fn=lambda: _file_size_limit(50_000))  # noqa: PLW1509
    assert result.returncode == 2, result.stderr
    assert f"--out: cannot write the result file {out}: File too large" in result.stderr.decode()
    assert out.read_text(encoding="utf-8") == "the old result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv", "result.csv"]  # no temporary left


def test_a_file_is_replaced_whole_and_keeps_its_mode(orders: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(out)
    result = cli("fees", "--csv", str(orders), "--out", str(link), "--json")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and out.read_bytes().count(b"\r\n") == 2_001
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_still_writes_the_out_file_and_exits_2(orders: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "calculators", "fees", "--csv", str(orders), "--out", str(out),
                                 "--lang", "en"], stdout=full, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert result.returncode == 2
    assert result.stderr.decode() == "cannot write to standard output: No space left on device\n"
    assert out.read_bytes().count(b"\r\n") == 2_001


def test_a_closed_standard_output_still_writes_the_out_file_and_exits_2(orders: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    for lang, said in (("en", "cannot write to standard output: standard output is closed\n"),
                       ("zh", "无法写入标准输出：标准输出已关闭\n")):
        command = f'"{sys.executable}" -m calculators fees --csv "{orders}" --out "{out}" --lang {lang} >&-'
        result = subprocess.run(command, shell=True, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
        assert result.returncode == 2
        assert result.stderr.decode() == said
        assert out.read_bytes().count(b"\r\n") == 2_001
        out.unlink()


def test_a_closed_standard_error_pipe_still_exits_2() -> None:
    with subprocess.Popen([sys.executable, "-m", "calculators", "fees", "-", "--lang", "en"], cwd=ROOT,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdin and process.stderr and process.stdout
        process.stderr.close()  # nobody reads the messages
        process.stdin.write(b'{"orders":[' + b",".join([b"{}"] * 50_000) + b"]}")
        process.stdin.close()
        assert process.stdout.read() == b""
        assert process.wait(timeout=120) == 2


def test_an_interrupt_exits_130_with_one_line_and_no_file(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text("id,date,amount\n" + "".join(f"o{i},2026-01-{i % 28 + 1:02d},{i}.5\n" for i in range(BIG)),
                   encoding="utf-8")
    out = tmp_path / "result.csv"
    with subprocess.Popen([sys.executable, "-m", "calculators", "fees", "--csv", str(big), "--out", str(out),
                           "--lang", "en"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        time.sleep(1.0)  # past start-up, while the orders are read and computed
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert stderr.decode() == "interrupted (no file is left half written)\n"
    assert stdout == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]


@pytest.mark.parametrize("args, said", [
    (["--out", "{tmp}/x.csv", "--errors", "{tmp}/x.csv"], "--errors: names the same file as --out ({tmp}/x.csv)"),
    (["--out", "{tmp}/x.csv", "--errors", "{tmp}/./x.csv"], "--errors: names the same file as --out ({tmp}/./x.csv)"),
    (["--onboarded-on", ""], "--onboarded-on: the value is empty (an unset variable?)"),
    (["--out", ""], "--out: the value is empty"),
    (["--errors", ""], "--errors: the value is empty"),
    (["{tmp}/missing.json"], "FILE: {tmp}/missing.json is given beside --csv {orders}"),
    (["{orders}"], "FILE: {orders} is given beside --csv {orders}"),
], ids=["same file", "same file by another path", "empty onboarded-on", "empty out", "empty errors",
        "a missing FILE beside --csv", "FILE beside --csv"])
def test_options_that_cannot_mean_what_they_say_are_refused_naming_them(orders: Path, tmp_path: Path,
                                                                          args: list[str], said: str) -> None:
    args = [a.format(tmp=tmp_path, orders=orders) for a in args]
    result = cli("fees", "--csv", str(orders), *args, "--lang", "en")
    assert result.returncode == 2
    assert result.stderr.decode().startswith(said.format(tmp=tmp_path, orders=orders)), result.stderr
    assert result.stdout == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv"]
    zh = cli("fees", "--csv", str(orders), *args)
    assert zh.returncode == 2 and zh.stderr.decode().startswith(said.split(":")[0] + "：")


def test_out_dash_writes_exactly_what_the_file_holds(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("id,date,amount\nA\u00a0B,2026-01-10,10\n\u3000=1,2026-01-10,5\nC\x1bD,2026-01-11,1\n",
                      encoding="utf-8")
    out = tmp_path / "result.csv"
    printed = cli("fees", "--csv", str(orders), "--out", "-")
    written = cli("fees", "--csv", str(orders), "--out", str(out), "--json")
    assert printed.returncode == written.returncode == 0
    assert printed.stdout == out.read_bytes()
    rows = list(csv.reader(io.StringIO(printed.stdout.decode("utf-8"), newline="")))
    assert [row[0] for row in rows[1:]] == ["A\u00a0B", "'=1", "C\\u001bD"]


# --- CSV cells as strict as JSON ------------------------------------------------------------------

AMBIGUOUS_AMOUNTS = ["1 2", "①⓪⓪", "¹²", "1 , 2 3 4", "1 ,234", "1, 234", "١٢", "½", "1 280.00", "- 5"]
AMBIGUOUS_DATES = ["²⁰²⁶-⁰¹-⁰⁵", "٢٠٢٦-٠١-٠٥", "②⓪②⑥-01-05"]


@pytest.mark.parametrize("amount", AMBIGUOUS_AMOUNTS)
def test_a_csv_amount_that_could_mean_something_else_is_refused_naming_row_and_field(amount: str) -> None:
    text = f'id,date,amount,refunded\nA,2026-01-05,"{amount}",\nB,2026-01-05,1,"{amount}"\n'
    with pytest.raises(InputError) as caught:
        fees_from_csv(text, None, "en")
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "amount"), (3, "refunded")]
    form = json.loads(compute_json("fees", json.dumps({"orders": [{"id": "A", "date": "2026-01-05",
                                                                   "amount": amount}]}), "en"))
    assert not form["ok"] and [e["field"] for e in form["errors"]] == ["orders[0].amount"]


@pytest.mark.parametrize("day", AMBIGUOUS_DATES)
def test_a_csv_date_in_other_digits_is_refused_naming_row_and_field(day: str) -> None:
    with pytest.raises(InputError) as caught:
        fees_from_csv(f"id,date,amount\nA,{day},1\n", None, "en")
    assert [(p.row, p.field, p.code) for p in caught.value.problems] == [(2, "date", "date")]


def test_what_a_chinese_input_method_types_is_still_read() -> None:
    result = fees_from_csv('id,date,amount,refunded\nA,２０２６－０１－０５,"￥ 1,280.50 元",８．５\n', None)
    assert [result["orders"][0][k] for k in ("date", "amount", "refunded")] == ["2026-01-05", "1280.50", "8.50"]


# --- every row accounted for ----------------------------------------------------------------------

@pytest.mark.parametrize("long_cell", ["x" * 140_000, '"' + "x" * 140_000 + '"', '"' + "x\n" * 70_000 + '"'],
                         ids=["plain", "quoted", "quoted over many lines"])
def test_rows_after_an_over_long_cell_are_computed_and_its_row_reported(long_cell: str, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(f"id,date,amount\nA,2026-01-01,1\nB,2026-01-02,2\n{long_cell},2026-01-03,3\n"
                      "D,2026-01-04,4\nE,2026-01-05,5\n", encoding="utf-8")
    out, errors = tmp_path / "result.csv", tmp_path / "errors.csv"
    result = cli("fees", "--csv", str(orders), "--errors", str(errors), "--out", str(out), "--lang", "en")
    assert result.returncode == 2
    computed = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [(row["id"], row["status"]) for row in computed if row["status"] == "ok"] == [
        ("A", "ok"), ("B", "ok"), ("D", "ok"), ("E", "ok")]
    reported = list(csv.DictReader(io.StringIO(errors.read_text(encoding="utf-8"), newline="")))
    assert [(row["row"], row["problem"]) for row in reported] == [("4", "a cell is longer than 131,072 characters")]
    assert "1 row had problems and was left out" in result.stderr.decode()


# --- the page's row counter and the calculators' CSV reader agree ---------------------------------

CSV_ROWS_MODULE = ROOT / "docs" / "assets" / "js" / "calc" / "csvrows.mjs"
CSV_ALPHABET = ['"', '"', '"', ",", ",", "\r", "\n", "\r\n", " ", "a", "1", "\u3000", "\u2028", "\x0b", "\x1c",
                "\ufeff", "\x00", "\t", "\x85", "\u200b", "é", "😀"]
HANDPICKED = [
    'A,2026-01-01,1\nB"x,2026-01-01,1\nC,2026-01-01,1\n',  # a quote inside an unquoted cell is text
    'a"b\n' * 50,
    '"A"x,1,2\n"B""",1,2\n"C\nD",1,2\r\nE,1,2\rF,1,2',  # after a closing quote; a quoted line end; CR
    '"A,1,2\nB,1,2\nC,1,2\n',  # a quote that never closes takes the rest
    ' , ,\n\u3000,\u2028,\x1c\n"",""\n\n\r\n\r',  # blank records
    '"\n\n"\n',  # a quoted cell of line ends only: blank
    "\ufeff\ufeffA,1,2\n",
]


def _reader_rows(body: str) -> int:
    """The records the calculators' reader makes of `body` under a header: orders plus rows reported."""
    orders, _, problems = read_orders_csv("id,date,amount\n" + body)
    return 1 + len(orders) + len(problems)


def _page_rows(texts: list[str]) -> list[int]:
    script = (f"import {{ csvRecords }} from {json.dumps(CSV_ROWS_MODULE.as_uri())};\n"
              "let input = ''; process.stdin.setEncoding('utf8');\n"
              "process.stdin.on('data', (d) => { input += d; });\n"
              "process.stdin.on('end', () => {\n"
              "  process.stdout.write(JSON.stringify(JSON.parse(input).map(csvRecords)));\n"
              "});\n")
    result = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps(texts).encode(),
                            capture_output=True, timeout=120, check=True)
    return json.loads(result.stdout)


def test_the_pages_row_counter_agrees_with_the_reader_on_every_file() -> None:
    rng = random.Random(23)
    bodies = HANDPICKED + ["".join(rng.choices(CSV_ALPHABET, k=rng.randint(0, 40))) for _ in range(4_000)]
    texts = ["id,date,amount\n" + body for body in bodies]
    counted = _page_rows(texts)
    disagree = [(body, page, _reader_rows(body)) for body, page in zip(bodies, counted, strict=True)
                if page != _reader_rows(body)]
    assert not disagree, disagree[:5]
    assert counted[:2] == [4, 51]  # the two rows a stray quote used to hide, and fifty of them


def test_a_quote_inside_an_unquoted_cell_cannot_hide_rows_from_the_limit() -> None:
    rows = 1_000
    body = "".join(f'o{i}"x,2026-01-01,1\n' for i in range(rows))
    assert _page_rows(["id,date,amount\n" + body]) == [rows + 1] == [_reader_rows(body)]


# --- policy texts, figures and files --------------------------------------------------------------

def _policy_copy(tmp_path: Path) -> Path:
    """A copy of the tests' frozen policy source (tests/fixtures/policy/), whose lines the edits name."""
    from .conftest import FROZEN_POLICY_DIR

    copy = tmp_path / "policy"
    shutil.copytree(FROZEN_POLICY_DIR, copy)
    return copy


def _edit(policy_dir: Path, file: str, old: str, new: str) -> int:
    """Replace `old` by `new` in policy/`file`; the line of the edit."""
    path = policy_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text, "the case no longer matches the frozen policy (tests/fixtures/policy/); update it"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _refusals(policy_dir: Path) -> list[str]:
    from scripts.policy.policy_load import PolicyError
    from scripts.policy.policy_source import compile_policy

    with pytest.raises(PolicyError) as caught:
        compile_policy(policy_dir)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("placeholder", ["{threshold:>300000000}", "{threshold!r}", "{threshold:,}", "{word:^9}"])
def test_a_placeholder_with_a_format_is_refused_with_file_and_line(tmp_path: Path, placeholder: str) -> None:
    policy_dir = _policy_copy(tmp_path)
    line = _edit(policy_dir, "criteria.yaml", "zh: 营业执照需要{word} {threshold} 年\n",
                 f"zh: 营业执照需要{{word}} {placeholder} 年\n")
    refusals = _refusals(policy_dir)
    assert any(f"policy/criteria.yaml:{line}: criteria.conditions[" in r and ".text.zh: the placeholder "
               + placeholder[:40] + " has a format" in r for r in refusals), refusals


def test_a_rounding_quantum_that_is_not_a_money_quantum_is_refused(tmp_path: Path) -> None:
    policy_dir = _policy_copy(tmp_path)
    line = _edit(policy_dir, "fees.yaml", 'quantum: "0.01"', 'quantum: "0.0000000000000000000000000001"')
    refusals = _refusals(policy_dir)
    said = f"policy/fees.yaml:{line}: fees.rounding.quantum: '0.0000000000000000000000000001' is not one of: 0.01, 1"
    assert any(r.endswith(said) for r in refusals), refusals


def test_a_yuan_quantum_is_a_money_quantum(tmp_path: Path) -> None:
    from scripts.policy.policy_source import compile_policy

    policy_dir = _policy_copy(tmp_path)
    _edit(policy_dir, "fees.yaml", 'quantum: "0.01"', 'quantum: "1"')
    assert compile_policy(policy_dir)["fees"]["rounding"]["quantum"] == "1"


SECRET = "TOP-SECRET-CONTENT-0123456789"


@pytest.mark.parametrize("how", ["a symbolic link", "a FIFO", "a source text outside policy/",
                                 "a source text that is a link"])
def test_a_policy_file_that_is_a_link_or_outside_policy_is_refused_unread(tmp_path: Path, how: str,
                                                                         capsys: Any) -> None:
    from scripts.policy import compile_policy as compile_script

    policy_dir = _policy_copy(tmp_path)
    outside = tmp_path / "secret-target-file.yaml"
    outside.write_text(f"{SECRET}: [\n", encoding="utf-8")  # would say so in a YAML error, if it were read
    if how == "a symbolic link":
        (policy_dir / "fees.yaml").unlink()
        (policy_dir / "fees.yaml").symlink_to(outside)
        said = "policy/fees.yaml: is a symbolic link"
    elif how == "a FIFO":
        (policy_dir / "fees.yaml").unlink()
        os.mkfifo(policy_dir / "fees.yaml")  # reading it would wait for ever
        said = "fees.yaml: is not a regular file"
    else:  # the kept text of a source (sources.yaml → text.file, under policy/sources/)
        kept = next((policy_dir / "sources").glob("*.txt"))
        name = f"sources/{kept.name}"
        if how == "a source text that is a link":
            kept.unlink()
            kept.symlink_to(outside)
        else:  # the folder of kept texts is a link to a folder outside policy/
            elsewhere = tmp_path / "secret-target-folder"
            shutil.move(policy_dir / "sources", elsewhere)
            shutil.copy(outside, elsewhere / kept.name)
            (policy_dir / "sources").symlink_to(elsewhere)
        said = f"the kept text policy/{name} is a symbolic link or lies outside policy/ (it was not read)"
    assert compile_script.main(["--policy-dir", str(policy_dir), "--out-dir", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert said in err, err
    assert SECRET not in err  # the file was not read
    if "link" in how:
        assert "secret-target" not in err  # nor the link's target named


# --- the supply chain -----------------------------------------------------------------------------

def test_a_planted_wheel_in_the_cache_is_never_used_and_the_pinned_one_fetched(tmp_path: Path, monkeypatch: Any,
                                                                               capsys: Any) -> None:
    from scripts.assets import wheels

    genuine = wheels.fetch(("chinesecalendar",), tmp_path / "genuine")[0]  # from the project's cache
    cache = tmp_path / "wheel-cache"
    cache.mkdir()
    monkeypatch.setattr(wheels, "CACHE", cache)
    monkeypatch.setattr(wheels, "_download", lambda name, version, folder, pin: shutil.copy(genuine, folder))
    version = wheels.pins()["chinesecalendar"]
    pinned = wheels.PINNED[f"chinesecalendar=={version}"]["wheel"]
    planted = cache / f"chinesecalendar-{version}-py2.py3-none-any.whl"
    planted.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip: a wheel by name only
    shipped = wheels.fetch(("chinesecalendar",), tmp_path / "site-wheels")
    assert [wheels.sha256(path) for path in shipped] == [pinned]
    assert wheels.sha256(planted) == pinned  # the cache now holds the pinned file under that name
    assert planted.name in capsys.readouterr().err


def test_a_fetched_wheel_that_is_not_the_pinned_one_stops_the_build(tmp_path: Path, monkeypatch: Any) -> None:
    from scripts.assets import wheels

    cache = tmp_path / "wheel-cache"
    cache.mkdir()
    monkeypatch.setattr(wheels, "CACHE", cache)
    version = wheels.pins()["chinesecalendar"]
    name = f"chinesecalendar-{version}-py2.py3-none-any.whl"
    monkeypatch.setattr(wheels, "_download",
                        lambda *_: (Path(_[2]) / name).write_bytes(b"PK\x05\x06" + b"\0" * 18))
    with pytest.raises(wheels.Unpinned) as caught:
        wheels.fetch(("chinesecalendar",), tmp_path / "site-wheels")
    assert name in str(caught.value) and wheels.PINNED[f"chinesecalendar=={version}"]["wheel"] in str(caught.value)
    assert not (cache / name).exists() and not (tmp_path / "site-wheels").exists()


def test_every_wheel_that_ships_to_the_site_is_pinned_by_hash(monkeypatch: Any, tmp_path: Path) -> None:
    from scripts.assets import wheels

    versions = wheels.pins()
    for name in wheels.RUNTIME_PACKAGES:
        pin = wheels.PINNED[f"{name}=={versions[name]}"]
        assert re.fullmatch(r"[0-9a-f]{64}", pin["wheel"]) and re.fullmatch(r"[0-9a-f]{64}", pin.get("sdist", "0" * 64))
    monkeypatch.setattr(wheels, "pins", lambda: {**versions, "lunar_python": "9.9.9"})
    monkeypatch.setattr(wheels, "CACHE", tmp_path)
    with pytest.raises(wheels.Unpinned, match=r"lunar_python==9\.9\.9 ships to the site but has no SHA-256"):
        wheels.fetch(("lunar_python",), tmp_path / "site-wheels")


def test_the_site_takes_only_pinned_wheels_from_the_cache() -> None:
    from scripts.assets import wheels

    versions = wheels.pins()
    for path in wheels.fetch(tuple(wheels.RUNTIME_PACKAGES), wheels.WHEELS):
        name = next(n for n in wheels.RUNTIME_PACKAGES if path.name.lower().startswith(n.lower() + "-"))
        assert wheels.sha256(path) == wheels.PINNED[f"{name}=={versions[name]}"]["wheel"]


def test_every_python_dependency_is_pinned_by_version_and_hash() -> None:
    text = (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8")
    requirements = re.split(r"(?<!\\)\n", "\n".join(line for line in text.splitlines() if not line.startswith("#")))
    requirements = [r for r in requirements if r.strip()]
    assert len(requirements) > 40
    for requirement in requirements:
        assert re.match(r"[A-Za-z0-9_.-]+==\S+ \\", requirement), requirement
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", requirement), requirement
    assert "--require-hashes -r requirements/dev.txt" in (ROOT / "Makefile").read_text(encoding="utf-8")
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    packages = {k: v for k, v in lock["packages"].items() if k}
    unhashed = [name for name, v in packages.items()
                if not v.get("link") and not v.get("integrity", "").startswith("sha512-")]
    assert packages and not unhashed, unhashed


def test_the_workers_runtime_refuses_a_csv_larger_than_the_page_reads_naming_the_command_line() -> None:
    from calculators import answers, api

    text = "id,date,amount\n" + "x" * answers.MAX_PAGE_CSV
    answer = json.loads(api.compute_paged("fees", "{}", "en", text))
    assert not answer["ok"] and [e["code"] for e in answer["errors"]] == ["csv_too_large"]
    assert "use the command line: python -m calculators fees --csv orders.csv" in answer["errors"][0]["message"]


def test_a_million_orders_of_unknown_keys_exit_2_within_limits() -> None:
    text = '{"orders":[' + ",".join(['{"a":1,"b":2}'] * 1_000_000) + "]}"
    result = run_limited(["-m", "calculators", "fees", "-", "--lang", "en"], stdin=text.encode(), cpu=20)
    assert result.returncode == 2, result.describe()
    assert _tail(result.stderr) == f"… and {5_000_000 - MAX_PROBLEMS:,} more"  # two unknown, three missing each
    assert len(result.stderr) < 100_000
