"""Shared helpers: the declarative cases, and what runs where (CPython or Pyodide)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).parent / "cases"
IN_PYODIDE = sys.platform == "emscripten"

# Tests that need a subprocess, the policy tool chain (PyYAML, jsonschema) or the site are CPython-only.
cpython_only = pytest.mark.skipif(IN_PYODIDE, reason="needs subprocesses or build tools, absent in Pyodide")


def load_cases(name: str) -> dict[str, Any]:
    """A case file: YAML where PyYAML exists, else its JSON copy made for Pyodide by the build."""
    json_copy = CASES / f"{name}.json"
    if json_copy.exists() and IN_PYODIDE:
        return json.loads(json_copy.read_text(encoding="utf-8"))
    import yaml

    return yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))


def case_params(name: str) -> list[Any]:
    """The cases of a file as pytest params, each with its sentence name as id."""
    return [pytest.param(case, id=case["name"]) for case in load_cases(name)["cases"]]
