"""The policy tool chain: the real source compiles, and every broken edit fails loudly and precisely."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from scripts.paths import ROOT

from .conftest import FROZEN_POLICY_DIR, IN_PYODIDE, case_params

pytestmark = pytest.mark.skipif(IN_PYODIDE, reason="the policy tool chain runs at build time, in CPython")

if not IN_PYODIDE:
    import jsonschema

    from scripts.policy import compile_policy as compile_script
    from scripts.policy.policy_load import POLICY_DIR, PolicyError, load_schema
    from scripts.policy.policy_source import compile_policy, review_warning


def test_the_policy_source_compiles_and_validates_against_its_schema() -> None:
    document = compile_policy()
    jsonschema.Draft202012Validator(load_schema()).validate(document)
    assert document["meta"]["version"] == document["changelog"][0]["version"]


def test_the_package_carries_the_freshly_compiled_policy() -> None:
    package_copy = ROOT / "calculators" / "policy.json"
    assert json.loads(package_copy.read_text(encoding="utf-8")) == compile_policy(), \
        "calculators/policy.json is stale: run `make policy`"


def test_a_past_review_by_date_warns_but_does_not_fail() -> None:
    document = compile_policy()
    review_by = dt.date.fromisoformat(document["meta"]["review_by"])
    assert review_warning(document, review_by) is None
    warning = review_warning(document, review_by + dt.timedelta(days=1))
    assert warning is not None and "review_by" in warning and warning.startswith("warning:")


def _scratch(tmp_path: Path) -> Path:
    """A copy of the tests' frozen policy source (tests/fixtures/policy/), whose lines the edits name."""
    copy = tmp_path / "policy"
    shutil.copytree(FROZEN_POLICY_DIR, copy)
    return copy


@pytest.mark.parametrize("case", case_params("policy_edits"))
def test_a_broken_edit_names_file_line_and_key(case: dict[str, Any], tmp_path: Path, capsys: Any) -> None:
    policy_dir = _scratch(tmp_path)
    path = policy_dir / case["file"]
    text = path.read_text(encoding="utf-8")
    assert case["old"] in text, "the case no longer matches the frozen policy (tests/fixtures/policy/); update it"
    edited = text.replace(case["old"], case["new"], 1)
    path.write_text(edited, encoding="utf-8")
    file_named = case.get("file_named", f"policy/{case['file']}")
    marker = case.get("line_of", case["new"].strip("\n").split("\n")[-1])
    named_text = (edited if file_named == f"policy/{case['file']}"
                  else (policy_dir / file_named.split("/")[1]).read_text(encoding="utf-8"))
    line = named_text[: named_text.index(marker)].count("\n") + 1 if marker else None

    with pytest.raises(PolicyError) as caught:
        compile_policy(policy_dir)
    shown = [str(problem) for problem in caught.value.problems]
    matching = [p for p in caught.value.problems if case["says"] in p.message]
    assert matching, shown
    problem = matching[0]
    assert problem.file.endswith(file_named), shown
    assert problem.key == case["key"], shown
    if case["key"] or line:
        assert problem.line == line, shown

    # the compile command fails, naming the problem, and writes nothing where it writes the compiled policy
    outputs = tmp_path / "out"
    assert compile_script.main(["--policy-dir", str(policy_dir), "--out-dir", str(outputs)]) == 1
    assert case["says"] in capsys.readouterr().err
    assert not outputs.exists()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_the_compile_command_writes_the_package_copy_and_the_data_and_leaves_the_source_alone(
        tmp_path: Path, capsys: Any) -> None:
    """Where a broken source must leave nothing, the sound one writes the compiled policy; policy/ is not touched."""
    policy_dir = _scratch(tmp_path)
    source = _files(policy_dir)
    outputs = tmp_path / "out"
    assert compile_script.main(["--policy-dir", str(policy_dir), "--out-dir", str(outputs)]) == 0
    assert "compiled" in capsys.readouterr().out
    assert sorted(_files(outputs)) == ["calculators/policy.json", "calculators/site.json", "data/policy.json",
                                       "data/policy.schema.json"]
    assert json.loads((outputs / "calculators" / "policy.json").read_text(encoding="utf-8")) \
        == compile_policy(policy_dir)
    assert _files(policy_dir) == source


def test_an_unexpected_file_is_named(tmp_path: Path) -> None:
    policy_dir = _scratch(tmp_path)
    (policy_dir / "deposits.yaml").write_text("amount: 1\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        compile_policy(policy_dir)
    assert "policy/deposits.yaml" in str(caught.value)


@pytest.mark.parametrize("name", ["meta", "sources", "criteria", "markets", "process", "fees", "assumptions",
                                  "changelog", "calendar"])
def test_each_file_names_an_editor_schema_that_resolves_and_validates_it(name: str) -> None:
    """The modeline on line 1 points at policy/schemas/NAME.json, which refers into schema.json."""
    from referencing import Registry, Resource

    text = (POLICY_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=schemas/{name}.json"
    wrapper = json.loads((POLICY_DIR / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    base = (POLICY_DIR / "schemas" / f"{name}.json").as_uri()
    main = (POLICY_DIR / "schema.json").as_uri()
    registry = Registry().with_resource(main, Resource.from_contents(load_schema()))
    validator = jsonschema.Draft202012Validator({**wrapper, "$id": base}, registry=registry)
    validator.validate(compile_policy()[name])
    assert not validator.is_valid({"unexpected": True} if name != "sources" else [{"id": 1}])


def test_every_pattern_in_the_schema_is_explained_in_words() -> None:
    """A docs editor never sees a regular expression: each pattern has a description with an example."""
    def walk(value: Any, where: str) -> list[str]:
        if isinstance(value, dict):
            missing = [where] if "pattern" in value and "for example" not in value.get("description", "") else []
            return missing + [m for key, item in value.items() for m in walk(item, f"{where}/{key}")]
        if isinstance(value, list):
            return [m for index, item in enumerate(value) for m in walk(item, f"{where}/{index}")]
        return []

    assert walk(load_schema(), "#") == []


def test_the_tests_frozen_policy_is_the_compiled_form_of_its_frozen_source() -> None:
    """tests/fixtures/policy.json, which the calculators' tests read, compiles from tests/fixtures/policy/
    (refreeze both with `python -m scripts.policy.freeze_policy`)."""
    from scripts.policy.freeze_policy import FROZEN_JSON

    assert json.loads(FROZEN_JSON.read_text(encoding="utf-8")) == compile_policy(FROZEN_POLICY_DIR), \
        "tests/fixtures/policy.json is stale: run `python -m scripts.policy.freeze_policy`"
