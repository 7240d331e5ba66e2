"""How the widget types a form's text as JSON (docs/assets/js/calc/state.mjs `typed`, read by Node): each
field type's JSON type as calculators/kinds.py declares it, and the JSON it makes read by the
calculators as the command line reads the same figures typed as JSON."""

from __future__ import annotations

import json
import subprocess

import pytest

from scripts.paths import ROOT

from .conftest import cpython_only, valid_inputs

pytestmark = cpython_only

STATE = ROOT / "docs" / "assets" / "js" / "calc" / "state.mjs"

# (field type, text typed, the JSON value the widget sends)
CASES = [
    ("bool", "true", True), ("bool", "false", False), ("bool", "yes", "yes"),
    ("integer", "3", 3), ("integer", "+3", 3), ("integer", "-0", 0), ("integer", "007", 7),
    ("integer", "fifteen", "fifteen"), ("integer", "２０", "２０"), ("integer", "1.5", "1.5"),
    ("integer", "1234567890123456", "1234567890123456"),  # beyond 15 digits: left to the calculator to refuse
    ("number", "7.5", 7.5), ("number", "7.50", 7.5), ("number", ".5", 0.5), ("number", "8.", 8),
    ("number", "1e5", "1e5"), ("number", "1,280", "1,280"),
    ("date", "2026-01-10", "2026-01-10"), ("money", "1280.00", "1280.00"), ("money", "1,280", "1,280"),
    ("unknown", "3", "3"),
]

PROBE = """
const state = await import(process.argv[1]);
const cases = JSON.parse(process.argv[2]);
console.log(JSON.stringify({ types: state.JSON_TYPES, typed: cases.map(([type, text]) => state.typed(type, text)) }));
"""


@pytest.fixture(scope="module")
def probe() -> dict:
    cases = [[type_, text] for type_, text, _ in CASES]
    result = subprocess.run(["node", "--input-type=module", "-e", PROBE, STATE.as_uri(), json.dumps(cases)],
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


def test_each_field_type_is_typed_as_the_json_type_the_calculators_declare(probe: dict) -> None:
    from calculators.kinds import FIELD_TYPES

    assert probe["types"] == {name: field_type.json_type for name, field_type in FIELD_TYPES.items()}


def test_a_form_text_becomes_the_json_value_the_command_line_reads(probe: dict) -> None:
    assert probe["typed"] == [sent for _, _, sent in CASES]
    for (type_, _, sent), got in zip(CASES, probe["typed"], strict=True):
        assert type(got) is type(sent) or (isinstance(got, int) and isinstance(sent, int)), (type_, got)


def test_the_widgets_json_gives_the_command_lines_answer(probe: dict) -> None:
    """Figures as the form holds them, typed by the widget and read through the widget's path
    (calculators.api.compute_json), answer as the same figures typed as JSON do on the command line."""
    from calculators.api import compute, compute_json

    typed = dict(zip([(t, text) for t, text, _ in CASES], probe["typed"], strict=True))
    base = valid_inputs()["eligibility"]
    widget = {**base, "team_size": typed[("integer", "007")], "support_hours_per_day": typed[("number", "7.50")],
              "refund_guarantee": typed[("bool", "true")]}
    command_line = {**base, "team_size": 7, "support_hours_per_day": 7.5, "refund_guarantee": True}
    answer = json.loads(compute_json("eligibility", json.dumps(widget), "en"))
    assert answer["ok"] and answer["read"] == {}
    assert answer["result"] == json.loads(json.dumps(compute("eligibility", command_line, "en"), default=str))
