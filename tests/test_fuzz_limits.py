"""Fuzzing for resource bombs: hostile JSON input to the command line and hostile policy sources to
the policy compiler, each case in its own subprocess under a time and memory limit (tests/limits.py).
A case that is killed, runs out of memory or prints a traceback fails, with its input."""

from __future__ import annotations

import json
import re
import shutil
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts.paths import ROOT

from .conftest import IN_PYODIDE, valid_inputs
from .limits import run_limited

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="needs subprocesses and resource limits")

BASES = valid_inputs()
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


@st.composite
def number_tokens(draw: Any) -> str:
    """JSON numbers of any shape: many digits, tiny or huge exponents, zeros with exponents."""
    digits = draw(st.sampled_from(["0", "1", "9" * 30, "1" * 150, "8", "24"]))
    fraction = draw(st.sampled_from(["", ".5", ".000001", "." + "0" * 200 + "1"]))
    exponent = draw(st.sampled_from(["", "e5", "e-5", "e-999999999", "E+999999999", "e99999", "e-1000000000000"]))
    return draw(st.sampled_from(["", "-"])) + digits + fraction + exponent


@st.composite
def hostile_text(draw: Any) -> tuple[str, str]:
    """A calculator and a JSON text built to be expensive: one value of a valid input replaced by a
    hostile token, or a document shaped to stress the parser and its pre-check."""
    name = draw(st.sampled_from(sorted(BASES)))
    kind = draw(st.sampled_from(["number", "string", "nesting", "escapes", "duplicates"]))
    if kind == "nesting":
        depth = draw(st.integers(min_value=1, max_value=100_000))
        return name, "[" * depth + draw(st.sampled_from(["", '"', "1", "{"])) + "]" * draw(st.integers(0, depth))
    if kind == "escapes":
        times = draw(st.integers(min_value=1, max_value=200_000))
        return name, "[" * draw(st.integers(0, 70)) + '"' + '\\"' * times + draw(st.sampled_from(["", '"', "]"]))
    base = json.loads(json.dumps(BASES[name]))
    target = base["orders"][0] if name == "fees" else base
    key = draw(st.sampled_from(sorted(target)))
    target[key] = "\0HOLE\0"
    text = json.dumps(base)
    if kind == "number":
        token = draw(number_tokens())
    elif kind == "string":
        token = json.dumps(draw(st.sampled_from(["x" * 1_000_000, "\x1b]0;t\x07" * 1000, "\u202e" * 100])))
        token = draw(st.sampled_from([token, '"\\ud800"', '"\\udfff\\ud800"', '"' + "\\u0000" * 100_000 + '"']))
    else:  # the key given again, with another value
        token = '"1", "' + key + '": "2"'
    return name, text.replace('"\\u0000HOLE\\u0000"', token)


@given(case=hostile_text(), report=st.booleans())
@FUZZ
def test_hostile_input_stays_within_time_and_memory(case: tuple[str, str], report: bool) -> None:
    name, text = case
    result = run_limited(["-m", "calculators", name, "-", "--lang", "en"] + ([] if report else ["--json"]),
                         stdin=text.encode("utf-8", "surrogatepass"))
    assert result.returncode in (0, 2), result.describe()
    assert b"Traceback" not in result.stderr
    if result.returncode == 2:
        assert result.stderr.strip() and result.stdout == b""


def _alias_bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@st.composite
def hostile_policy(draw: Any) -> tuple[str, str]:
    """One policy file replaced or edited to be hostile: alias bombs, tags, deep nesting, huge texts
    and numbers, raw HTML (which must compile: texts are escaped on the way into pages)."""
    file = draw(st.sampled_from(["meta.yaml", "criteria.yaml", "markets.yaml", "fees.yaml", "sources.yaml"]))
    original = (ROOT / "policy" / file).read_text(encoding="utf-8")
    kind = draw(st.sampled_from(["bomb", "tag", "nesting", "long", "number", "html"]))
    if kind == "bomb":
        return file, _alias_bomb(draw(st.integers(2, 9)), draw(st.integers(2, 10)))
    if kind == "nesting":
        depth = draw(st.integers(10, 50_000))
        return file, original + "deep: " + "[" * depth + "]" * depth + "\n"
    # a value on a `key: value` line of the real file, replaced
    lines = original.splitlines()
    candidates = [i for i, line in enumerate(lines) if re.match(r"\s*(- )?[a-z_]+: \S", line)]
    index = draw(st.sampled_from(candidates))
    key = lines[index].split(":", 1)[0]
    value = {
        "tag": draw(st.sampled_from(["!!python/name:os.system ''", "!!python/object/new:dict {}", "!!binary aGk=",
                                     "!!set {a}", "!!omap [a: 1]", "!custom x", "!!timestamp 2026-01-01",
                                     "!!float 1", "!<tag:yaml.org,2002:str> x"])),
        "long": "'" + "x" * draw(st.sampled_from([2001, 100_000, 3_000_000])) + "'",
        "number": draw(st.sampled_from(["9" * 5000, "1e999999999", ".inf", "-.nan", "0x" + "f" * 3000])),
        "html": json.dumps(draw(st.sampled_from(["<script>alert(1)</script>", "x](javascript:alert(1))",
                                                  "<iframe src=//e.example>", "{: onclick=x }"]))),
    }[kind]
    lines[index] = f"{key}: {value}"
    return file, "\n".join(lines) + "\n"


@given(case=hostile_policy())
@FUZZ
def test_hostile_policy_sources_stay_within_time_and_memory(case: tuple[str, str], tmp_path_factory: Any) -> None:
    file, content = case
    policy = tmp_path_factory.mktemp("policy") / "policy"
    shutil.copytree(ROOT / "policy", policy)
    (policy / file).write_text(content, encoding="utf-8")
    result = run_limited(["-m", "scripts.policy.compile_policy", "--check", "--policy-dir", str(policy)])
    assert result.returncode in (0, 1), result.describe()
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, result.describe()
    if result.returncode == 1:  # every problem names a file (and, where there is one, a line)
        problems = [line for line in stderr.splitlines()[1:] if line.startswith("  ")]
        assert problems and all(line.strip().startswith(str(policy)) for line in problems), stderr[:500]


def test_the_limits_catch_a_bomb() -> None:
    """The harness itself: a case that allocates without end is stopped and reported, not waited for."""
    result = run_limited(["-c", "x = []\nwhile True: x.append(' ' * 10**7)"], cpu=5)
    assert result.returncode != 0 and result.seconds < 15
