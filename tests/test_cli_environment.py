"""The command line against a hostile environment: bad --out targets, closed pipes, terminals that
are not UTF-8, control characters in user text, options anywhere. Each is exit 0 or 2, never 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.paths import ROOT

from .conftest import cpython_only

pytestmark = cpython_only
HOSTILE_ID = "A\x1b]0;owned\x07\u202eB\x9b"
ORDERS = f"id,date,amount,refunded\n{HOSTILE_ID},2026-01-10,100,\nB,2027-01-11,100,20\n"


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "calculators", *args], input=stdin.encode("utf-8"),
                          capture_output=True, cwd=ROOT, timeout=60, env={**os.environ, **(env or {})})


@pytest.fixture
def orders(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    return path


def test_options_may_stand_before_the_file(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    path.write_text('{"submitted_on": "2026-09-29"}', encoding="utf-8")
    before = run("review", "--json", "--lang", "en", str(path))
    after = run("review", str(path), "--json", "--lang", "en")
    assert before.returncode == after.returncode == 0, before.stderr
    assert json.loads(before.stdout) == json.loads(after.stdout)


@pytest.mark.parametrize("target", ["missing/result.csv", "."], ids=["a missing folder", "a folder"])
def test_an_out_that_cannot_be_written_is_refused_before_computing(orders: Path, tmp_path: Path, target: str) -> None:
    out = tmp_path / target
    result = run("fees", "--csv", str(orders), "--out", str(out), "--lang", "en")
    assert result.returncode == 2
    assert result.stdout == b""
    assert f"cannot write the result file {out}" in result.stderr.decode()
    assert not (tmp_path / "missing").exists()


def test_an_out_equal_to_the_orders_file_is_refused_and_the_orders_kept(orders: Path) -> None:
    result = run("fees", "--csv", str(orders), "--out", str(orders), "--lang", "en")
    assert result.returncode == 2
    assert "also an input file" in result.stderr.decode()
    assert orders.read_text(encoding="utf-8") == ORDERS


def test_out_dash_writes_the_csv_to_standard_output(orders: Path, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "calculators", "fees", "--csv", str(orders), "--out", "-"],
                            capture_output=True, cwd=tmp_path, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("id,date,amount,refunded,fee_base")
    assert lines[2] == "B,2027-01-11,100.00,20.00,80.00,0.10,false,8.00,0.00,72.00,8.00,80.00,"  # no free period
    assert not (tmp_path / "-").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_loses_no_result(orders: Path) -> None:
    result = run("fees", "--csv", str(orders), "--json", "--out", "/dev/full", "--lang", "en")
    assert result.returncode == 2
    assert "/dev/full" in result.stderr.decode() and "Traceback" not in result.stderr.decode()
    assert [o["fee"] for o in json.loads(result.stdout)["orders"]] == ["10.00", "8.00"]  # printed first
    assert Path("/dev/full").is_char_device()


def test_a_closed_pipe_ends_quietly_with_exit_0(tmp_path: Path) -> None:
    rows = "\n".join(f"o{i},2026-01-{i % 28 + 1:02d},{i}.00," for i in range(30_000))
    path = tmp_path / "big.csv"
    path.write_text("id,date,amount,refunded\n" + rows + "\n", encoding="utf-8")
    with subprocess.Popen([sys.executable, "-m", "calculators", "fees", "--csv", str(path)], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # what `| head -1` does
        stderr = process.stderr.read()
        assert process.wait(timeout=60) == 0
    assert stderr == b""


@pytest.mark.parametrize("encoding", ["gbk", "ascii", "latin-1"])
def test_a_terminal_that_is_not_utf8_gets_a_report_it_can_show(orders: Path, encoding: str) -> None:
    report = run("eligibility", "--lang", "zh", stdin=(ROOT / "examples" / "eligibility.json").read_text("utf-8"),
                 env={"PYTHONIOENCODING": encoding})
    assert report.returncode == 0, report.stderr
    text = report.stdout.decode(encoding)  # strict: every byte is in the terminal's encoding
    assert "  v " in text and "  x " in text  # ✓ and ✗ degrade to letters, not to nothing
    assert ("资格自测" if encoding == "gbk" else "\\u8d44\\u683c\\u81ea\\u6d4b") in text
    as_json = run("fees", "--csv", str(orders), "--json", env={"PYTHONIOENCODING": encoding})
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout.decode(encoding))["orders"][0]["id"] == HOSTILE_ID  # escapes, same data


def test_control_and_bidi_characters_never_reach_the_terminal_raw(orders: Path) -> None:
    for args in (["--lang", "en"], ["--json"], ["--out", "-"]):
        result = run("fees", "--csv", str(orders), *args)
        assert result.returncode == 0, result.stderr
        out = result.stdout.decode("utf-8")
        if args[0] == "--out":  # the file's bytes, whose lines end in CRLF: no other carriage return
            out = out.replace("\r\n", "\n")
        for char in ("\x1b", "\x07", "\u202e", "\x9b", "\r"):
            assert char not in out, (args, char)
        assert "\\u001b]0;owned\\u0007\\u202eB\\u009b" in out, args


@pytest.mark.parametrize("csv, said", [
    ('id,date,amount\nA,2026-01-01,1\n"B,2026-01-02,2\n' + "C,2026-01-03,3\n" * 20_000,
     "CSV row 3: a quote opened in this row is never closed: the 20,000 lines after it were read as one cell"),
    ("id,date,amount\nA,2026-01-01," + "9" * 140_000 + "\n", "CSV row 2: a cell is longer than 131,072 characters"),
], ids=["a stray opening quote in a large file", "a cell over the csv module's limit"])
def test_a_csv_the_csv_module_cannot_read_names_the_row(tmp_path: Path, csv: str, said: str) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(csv, encoding="utf-8")
    result = run("fees", "--csv", str(path), "--lang", "en")
    assert result.returncode == 2
    assert said in result.stderr.decode()
